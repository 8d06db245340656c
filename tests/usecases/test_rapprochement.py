"""Bank reconciliation on the example year: pointing, the tableau at 31 August, what is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from coopcompta.domain.errors import CoopComptaError
from coopcompta.importers.plan import charger_plan
from coopcompta.storage import Ledger
from coopcompta.usecases import rapprochement as uc

PLAN = charger_plan(None)
RELEVE_31_AOUT = Decimal("2018.77")  # books 1 940,17 + cheque 4518244 (78,60) not cashed


def test_the_tableau_at_31_august_lists_the_cheque_not_cashed_and_falls_to_zero(
    annee: Ledger,
) -> None:
    prep = uc.preparer(annee, PLAN, solde=RELEVE_31_AOUT)
    assert prep.date == dt.date(2026, 8, 31)
    assert prep.solde_livre == Decimal("1940.17")
    pointes = uc.pointes_demandes(prep, tout=True, sauf=["181"])
    t = prep.tableau(pointes)
    assert [(m.piece, m.montant) for m in t.cheques_non_encaisses] == [("181", Decimal("-78.60"))]
    assert t.depots_non_credites == ()
    assert t.ecart == 0
    uc.enregistrer(annee, prep, t, pointes)
    (fait,) = uc.rapprochements(annee, "2025-2026")
    assert fait.actuel.equilibre and fait.actuel.date == dt.date(2026, 8, 31)


def test_pointing_by_piece_and_range_leaves_the_rest_outstanding(annee: Ledger) -> None:
    prep = uc.preparer(annee, PLAN, date=dt.date(2025, 9, 30), solde=Decimal("0"))
    avant = len(prep.mouvements)
    pointes = uc.pointes_demandes(prep, pointer=["3", "5-20"])
    t = prep.tableau(pointes)
    assert len(t.en_suspens) < avant
    assert "3" not in {m.piece for m in t.en_suspens}


def test_a_pointing_that_does_not_balance_is_refused_and_nothing_is_kept(annee: Ledger) -> None:
    prep = uc.preparer(annee, PLAN, solde=RELEVE_31_AOUT)
    pointes = uc.pointes_demandes(prep, tout=True)  # the cheque 181 pointed as if cashed
    t = prep.tableau(pointes)
    assert t.ecart == Decimal("-78.60")
    with pytest.raises(CoopComptaError, match="ne s'équilibre pas"):
        uc.enregistrer(annee, prep, t, pointes)
    assert uc.rapprochements(annee, "2025-2026") == []
    assert uc.preparer(annee, PLAN, solde=RELEVE_31_AOUT).mouvements == prep.mouvements


def test_a_date_outside_the_exercice_is_refused(annee: Ledger) -> None:
    with pytest.raises(CoopComptaError, match="hors de l'exercice 2025-2026"):
        uc.preparer(annee, PLAN, date=dt.date(2026, 9, 15), solde=Decimal("1"))


def test_an_unknown_piece_is_refused_saying_which(annee: Ledger) -> None:
    prep = uc.preparer(annee, PLAN, solde=RELEVE_31_AOUT)
    with pytest.raises(CoopComptaError, match="pièce 9999"):
        uc.pointes_demandes(prep, pointer=["9999"])


def test_the_statement_balance_comes_from_the_export_balance_column(
    annee: Ledger, tmp_path: Path
) -> None:
    releve = tmp_path / "releve.csv"
    releve.write_text(
        "Date;Libellé;Montant;Solde\n28/08/2026;CHEQUE 4518243;-142,60;2 030,00\n"
        "31/08/2026;FRAIS;-11,23;2 018,77\n",
        encoding="utf-8",
    )
    prep = uc.preparer(annee, PLAN, releve=releve)
    assert (prep.date, prep.solde_releve) == (dt.date(2026, 8, 31), RELEVE_31_AOUT)


def test_a_solde_au_line_and_ofx_ledgerbal_are_read(tmp_path: Path) -> None:
    from coopcompta.importers.solde import lire_solde

    csv = tmp_path / "r.csv"
    csv.write_text("Date;Libellé;Montant\n01/08/2026;X;-1,00\nSolde au 31/08/2026;;1 940,17\n")
    lu = lire_solde(csv)
    assert lu is not None and (lu.date, lu.montant) == (dt.date(2026, 8, 31), Decimal("1940.17"))
    ofx = tmp_path / "r.ofx"
    ofx.write_text(
        "OFXHEADER:100\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><LEDGERBAL><BALAMT>2018.77"
        "<DTASOF>20260831</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    lu = lire_solde(ofx)
    assert lu is not None and (lu.date, lu.montant) == (dt.date(2026, 8, 31), RELEVE_31_AOUT)


def test_lines_imported_from_the_statement_are_pointed_without_asking(
    ledger_path: Path, invoke
) -> None:
    releve = Path(__file__).resolve().parents[2] / "examples" / "releve-banque-2025-10.csv"
    r = invoke("import", releve, "--db", ledger_path, "--non-interactif")
    assert r.exit_code == 0, r.output
    from coopcompta.storage import ouvrir

    with ouvrir(ledger_path) as ledger:
        prep = uc.preparer(ledger, PLAN, date=dt.date(2025, 10, 23))
        assert prep.mouvements == ()  # every bank line came from the statement itself
        assert prep.solde_releve == Decimal("2903.77")  # kept from the balance column
