"""Completing an écriture left on 471: the pure decision, its description, and the write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.ecritures import Part, lire_part
from coopcompta.domain.errors import SaisieInvalide
from coopcompta.domain.model import Ecriture, Exercice, Ligne, Sens
from coopcompta.importers.plan import charger_plan
from coopcompta.usecases.ventiler import (
    decider,
    description,
    en_attente,
    enregistrer_ventilations,
    resume_ecritures,
    sur_attente,
)

PLAN = charger_plan(None)
NBSP = "\u00a0"


def ecriture(sens: Sens = Sens.DEPENSE, *lignes: Ligne, montant: str = "45,90") -> Ecriture:
    total = Decimal(montant.replace(",", "."))
    return Ecriture(
        date=dt.date(2025, 10, 8),
        sens=sens,
        libelle="CB LIBRAIRIE DU CENTRE",
        montant=total,
        tresorerie="512",
        ventilation=lignes or (Ligne("471", total),),
        piece="5",
        exercice="2025-2026",
        id=7,
        empreinte="abc",
    )


def parts(*textes: str) -> list[Part]:
    return [lire_part(t) for t in textes]


def test_one_account_without_amount_takes_everything_on_471():
    v = decider(PLAN, ecriture(), parts("6183"))
    assert v.apres.ventilation == (Ligne("6183", Decimal("45.90")),)
    assert (v.apres.montant, v.apres.tresorerie, v.apres.empreinte) == (
        Decimal("45.90"),
        "512",
        "abc",
    )
    assert description(v) == (
        f"Pièce 5 du 08/10/2025 « CB LIBRAIRIE DU CENTRE » : 471 → 6183 45,90{NBSP}€"
    )


def test_only_the_part_on_471_is_replaced_in_its_place():
    e = ecriture(
        Sens.DEPENSE,
        Ligne("6068", Decimal("10.00")),
        Ligne("471", Decimal("30.00")),
        Ligne("6183", Decimal("5.90"), "CM1"),
    )
    assert sur_attente(e) == Decimal("30.00")
    v = decider(PLAN, e, parts("6251=20:CM2", "6241=10"))
    assert v.apres.ventilation == (
        Ligne("6068", Decimal("10.00")),
        Ligne("6251", Decimal("20.00"), "CM2"),
        Ligne("6241", Decimal("10.00")),
        Ligne("6183", Decimal("5.90"), "CM1"),
    )
    assert description(v).endswith(f"471 → 6251 20,00{NBSP}€ [CM2], 6241 10,00{NBSP}€")


def test_the_new_lines_must_add_up_to_the_amount_on_471():
    with pytest.raises(SaisieInvalide) as exc:
        decider(PLAN, ecriture(), parts("6183=40", "6068=5"))
    assert str(exc.value) == (
        f"--compte: la ventilation (45,00{NBSP}€) ne fait pas le montant en attente sur 471 "
        f"(45,90{NBSP}€) ; écart 0,90{NBSP}€"
    )


def test_a_recette_goes_to_produits_only():
    with pytest.raises(SaisieInvalide, match="une recette se ventile sur un compte de produit"):
        decider(PLAN, ecriture(Sens.RECETTE), parts("6183"))
    v = decider(PLAN, ecriture(Sens.RECETTE), parts("7070"))
    assert v.apres.lignes_comptables() == [
        ("7070", Decimal("-45.90"), None),
        ("512", Decimal("45.90"), None),
    ]


@pytest.mark.parametrize(
    ("sens", "source", "destination"),
    [(Sens.DEPENSE, "512", "53"), (Sens.RECETTE, "53", "512")],
)
def test_a_treasury_account_alone_makes_a_virement_interne(sens, source, destination):
    v = decider(PLAN, ecriture(sens), parts("53"))
    assert (v.apres.sens, v.apres.tresorerie, v.apres.contrepartie) == (
        Sens.VIREMENT,
        source,
        destination,
    )
    assert v.apres.ventilation == ()
    assert description(v).endswith(f"471 → virement interne {source} → {destination} 45,90{NBSP}€")


def test_a_virement_needs_the_whole_entry_on_471():
    e = ecriture(Sens.DEPENSE, Ligne("6183", Decimal("5.90")), Ligne("471", Decimal("40.00")))
    with pytest.raises(SaisieInvalide, match="n'est qu'en partie sur 471"):
        decider(PLAN, e, parts("53"))


def test_an_entry_with_nothing_on_471_is_refused():
    e = ecriture(Sens.DEPENSE, Ligne("6183", Decimal("45.90")))
    with pytest.raises(SaisieInvalide) as exc:
        decider(PLAN, e, parts("6068"))
    assert str(exc.value) == "pièce 5: rien n'attend sur 471"


def test_the_summary_counts_in_french():
    assert resume_ecritures(0, 0) == "0 écriture ventilée, 0 reste sur 471"
    assert resume_ecritures(1, 1) == "1 écriture ventilée, 1 reste sur 471"
    assert resume_ecritures(3, 2) == "3 écritures ventilées, 2 restent sur 471"


def test_an_entry_changed_meanwhile_stops_the_whole_write(tmp_path: Path):
    from coopcompta.storage import creer

    ex = Exercice.commencant(2025)
    with creer(tmp_path / "coop.db", {"nom": "Coop"}, ex, {"512": Decimal("100")}) as ledger:
        a, b = (
            ledger.ajouter(
                Ecriture(
                    date=dt.date(2025, 10, jour),
                    sens=Sens.DEPENSE,
                    libelle=f"Facture {jour}",
                    montant=Decimal("12.00"),
                    tresorerie="512",
                    ventilation=(Ligne("471", Decimal("12.00")),),
                    piece=str(jour),
                    exercice=ex.nom,
                )
            )
            for jour in (1, 2)
        )
        premiere, seconde = en_attente(ledger, ex.nom)
        v1 = decider(PLAN, premiere, parts("6068"))
        v2 = decider(PLAN, seconde, parts("6183"))
        # Another command ventilates the second one between the question and the write.
        assert (
            enregistrer_ventilations(ledger, ex.nom, [decider(PLAN, seconde, parts("6251"))]) == 1
        )
        with pytest.raises(SaisieInvalide) as exc:
            enregistrer_ventilations(ledger, ex.nom, [v1, v2])
        assert str(exc.value) == (
            "pièce 2: modifiée par une autre commande pendant la ventilation : rien n'a été "
            "enregistré, relancez coop ventiler"
        )
        assert [e.id for e in en_attente(ledger, ex.nom)] == [a]  # v1 was not written either
        assert ledger.ecriture(b).ventilation == (Ligne("6251", Decimal("12.00")),)  # type: ignore[union-attr]
