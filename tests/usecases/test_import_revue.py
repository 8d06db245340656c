"""The steps of `coop import` as use cases: the statement with its rules, the review's
decisions, the rules it adds."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.errors import CoopComptaError
from coopcompta.domain.model import Ligne
from coopcompta.usecases import importation as uc
from coopcompta.usecases.comptabilite import ouvrir_ledger

DATA = Path(__file__).parents[1] / "data" / "import"
OCTOBRE = DATA / "octobre.csv"


def _preparer(ledger, regles: Path | None = None, avertis: list[str] | None = None):
    releve = uc.lire_releve_a_importer(OCTOBRE)
    avertir = (avertis if avertis is not None else []).append
    return uc.preparer_import(ledger, releve, None, regles, avertir), releve


def test_a_statement_without_review_is_imported_with_its_rules(comptabilite: Path):
    shutil.copy(DATA / "regles.yaml", comptabilite.parent / "regles.yaml")  # found beside it
    with ouvrir_ledger(comptabilite) as ledger:
        (ctx, chemin_regles), releve = _preparer(ledger)
        assert (ctx.tresorerie, chemin_regles) == ("512", comptabilite.parent / "regles.yaml")
        resultat = uc.enregistrer_releve(ledger, ctx, releve.lignes)
        assert (resultat.lues, resultat.nouvelles, resultat.par_regle) == (8, 8, 2)
        soldes = ledger.soldes("2025-2026")
    assert soldes["627"] == Decimal("3.60")
    assert soldes["62810008"] == Decimal("96.00")  # 80 % of the OCCE direct debit


def test_a_rules_file_remembered_but_gone_is_said_and_ignored(comptabilite: Path, tmp_path: Path):
    disparu = tmp_path / "ailleurs" / "regles.yaml"
    with ouvrir_ledger(comptabilite) as ledger:
        with ledger.transaction():
            ledger.ecrire_meta("regles", str(disparu))
        avertis: list[str] = []
        (ctx, chemin), _ = _preparer(ledger, avertis=avertis)
        assert (chemin, ctx.regles) == (disparu, [])
        assert avertis == [f"fichier de règles {disparu} introuvable, ignoré."]
        with pytest.raises(CoopComptaError) as exc:
            _preparer(ledger, regles=tmp_path / "absent.yaml")
        assert str(exc.value) == f"{tmp_path / 'absent.yaml'}: fichier de règles introuvable"


def test_review_decisions_place_a_line_on_an_account_a_virement_or_a_split(comptabilite: Path):
    with ouvrir_ledger(comptabilite) as ledger:
        (ctx, _), releve = _preparer(ledger)
        analyses = list(uc.analyser(ledger, releve.lignes, ctx))
        a_revoir = [a.ligne.libelle for a in analyses if uc.est_a_revoir(a)]
        assert len(a_revoir) == 7  # no rules: all but the cash deposit, a recognised virement
        assert "VERSEMENT ESPECES" not in a_revoir
        librairie = next(a for a in analyses if "LIBRAIRIE" in a.ligne.libelle)
        uc.affecter_compte(librairie, ctx, ctx.plan.compte("6183"))
        assert librairie.categorisation is not None
        assert librairie.categorisation.ventilation == (Ligne("6183", Decimal("45.90")),)

        regie = next(a for a in analyses if a.ligne.libelle == "CHEQUE 4518203")
        uc.affecter_compte(regie, ctx, ctx.plan.compte("5411"))  # a class's petty cash
        assert regie.categorisation is not None
        assert regie.categorisation.contrepartie == "5411"
        with pytest.raises(CoopComptaError) as exc:
            uc.affecter_compte(regie, ctx, ctx.plan.compte("512"))
        assert exc.value.message == "512 est le compte du relevé lui-même."

        occe = next(a for a in analyses if "OCCE" in a.ligne.libelle)
        assert uc.reste_de_ligne_releve(occe, [Ligne("62810008", Decimal("100"))]) == 20
        uc.ventiler_ligne_releve(
            occe, [Ligne("62810008", Decimal("100")), Ligne("61681008", Decimal("20"))]
        )
        resultat = uc.enregistrer_releve(ledger, ctx, analyses=analyses)
        assert (resultat.a_la_main, resultat.virements, resultat.en_attente) == (3, 1, 4)
        soldes = ledger.soldes("2025-2026")
    assert (soldes["6183"], soldes["61681008"], soldes["5411"]) == (
        Decimal("45.90"),
        Decimal("20.00"),
        Decimal("52.00"),
    )


def test_a_rule_added_during_the_review_places_the_next_lines_and_is_written(
    comptabilite: Path,
):
    with ouvrir_ledger(comptabilite) as ledger:
        (ctx, chemin), releve = _preparer(ledger)
        analyses = list(uc.analyser(ledger, releve.lignes, ctx))
        martin, encore = [a for a in analyses if "MARTIN" in a.ligne.libelle]
        motif = uc.motif_propose(martin)
        regle, texte = uc.creer_regle(martin, ctx, motif, ctx.plan.compte("7068"), chemin.name)
        assert martin.categorisation is not None
        assert martin.categorisation.ventilation == (Ligne("7068", Decimal("15.00")),)
        assert uc.categoriser_par_regles(encore, ctx, [regle])
        with pytest.raises(CoopComptaError) as exc:
            uc.creer_regle(analyses[0], ctx, "KERMESSE", ctx.plan.compte("7088"), chemin.name)
        assert str(exc.value) == (
            "Ce motif ne reconnaît pas ce libellé lui-même ; règle non ajoutée."
        )
        assert uc.retenir_regles(ledger, ctx, chemin, [texte], None) == 1
    assert chemin.read_text("utf-8").endswith(
        '- nom: "VIR SEPA RECU /DE FAMILLE MARTIN"\n'
        '  motif: "VIR SEPA RECU /DE FAMILLE MARTIN"\n'
        "  sens: recette\n"
        '  compte: "7068"\n'
    )
