"""The tableau des subventions and the cahier d'inventaire, built from the books and completed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coopcompta.domain.errors import CoopComptaError
from coopcompta.storage import Ledger
from coopcompta.usecases import registres as uc


def test_the_subsidies_come_from_the_74_accounts_without_the_cancelled_entry(
    annee: Ledger,
) -> None:
    subventions = uc.subventions(annee)
    assert [(s.piece, s.compte, s.montant) for s in subventions] == [
        ("57", "7440", Decimal("1342.00")),
        ("119", "7460", Decimal("300.00")),
    ]
    assert subventions[0].a_completer == ["financeur", "justificatif"]


def test_a_subsidy_is_completed_by_its_piece(annee: Ledger) -> None:
    s = uc.completer_subvention(
        annee,
        "57",
        financeur="Commune de Saint-Alban",
        decision=dt.date(2025, 10, 2),
        objet="Sorties scolaires",
        justificatif="Délibération 2025-41",
        utilise=Decimal("1000"),
    )
    assert (s.financeur, s.decision, s.utilise, s.a_completer) == (
        "Commune de Saint-Alban",
        dt.date(2025, 10, 2),
        Decimal("1000.00"),
        [],
    )
    with pytest.raises(CoopComptaError, match="aucune subvention à la pièce 3"):
        uc.completer_subvention(annee, "3", financeur="X")


def test_the_inventory_lists_durable_goods_and_keeps_location_and_disposal(
    annee: Ledger,
) -> None:
    (bien,) = uc.inventaire(annee)
    assert (bien.piece, bien.date, bien.valeur) == ("93", dt.date(2026, 3, 5), Decimal("64.90"))
    b = uc.completer_bien(annee, "93", designation="Plastifieuse A3", lieu="Salle des maîtres")
    assert (b.nom, b.lieu, b.present_au(dt.date(2026, 8, 31))) == (
        "Plastifieuse A3",
        "Salle des maîtres",
        True,
    )
    b = uc.completer_bien(annee, "93", sortie=dt.date(2026, 7, 1))
    assert not b.present_au(dt.date(2026, 8, 31))
