"""`coop export dossier.pdf`: the year-end dossier of the example year, read back as text."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from coopcompta.cli import app
from coopcompta.domain.dossier import controles_en_clair, evolution_mensuelle
from coopcompta.domain.model import Anomalie, Exercice, Gravite
from coopcompta.domain.money import formater_euros
from coopcompta.importers.plan import charger_plan

RACINE = Path(__file__).resolve().parents[2]
NOM = "Coopérative de l'école Jules Ferry"


def coop(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _commande_1() -> list[list[str]]:
    """The `coop …` steps of the README's command 1."""
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    ligne = next(x for x in readme.splitlines() if x.startswith("python3 -m venv") and "init" in x)
    etapes = [shlex.split(e) for e in re.split(r"\s&&\s", ligne)]
    return [e[1:] for e in etapes if e[0] == "coop"]


@pytest.fixture(scope="module")
def annee(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The README's example year with its year-end work, and its dossier.pdf beside it."""
    dossier = tmp_path_factory.mktemp("dossier")
    db = dossier / "exemple.db"
    mp = pytest.MonkeyPatch()
    mp.chdir(RACINE)
    try:
        for etape in _commande_1():
            r = coop(*(str(db) if a == "exemple.db" else a for a in etape))
            assert r.exit_code == 0, (etape, r.output)
    finally:
        mp.undo()
    r = coop("export", dossier / "dossier.pdf", "--db", db)
    assert r.exit_code == 0, r.output
    return db


def _pages(pdf: Path) -> list[str]:
    """Each page's text; Typst's typographic apostrophes read as the keyboard's."""
    return [p.extract_text().replace("\u2019", "'") for p in PdfReader(pdf).pages]


def _bilan_json(db: Path) -> dict:
    r = coop("bilan", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _euros(point: str) -> str:
    """`1234.50` (JSON) as the dossier prints it: `1 234,50 €`."""
    return formater_euros(Decimal(point))


def test_export_pdf_says_what_it_wrote_and_leaves_only_the_pdf(annee):
    pdf = annee.parent / "autre.pdf"
    r = coop("export", pdf, "--db", annee)
    assert r.exit_code == 0, r.output
    assert re.fullmatch(
        rf"{re.escape(str(pdf))} : dossier de fin d'exercice de \d+ pages, exercice 2025-2026, "
        r"185 écritures\.\n",
        r.stdout,
    )
    assert PdfReader(pdf).pages
    assert not [p for p in annee.parent.iterdir() if p.name.endswith(".tmp")]


def test_every_page_names_the_cooperative_and_says_page_x_of_n(annee):
    pages = _pages(annee.parent / "dossier.pdf")
    assert len(pages) >= 5
    for i, texte in enumerate(pages, 1):
        assert NOM in texte
        assert f"page {i} / {len(pages)}" in texte


def test_the_dossier_has_every_section_of_the_year_end_file(annee):
    texte = "\n".join(_pages(annee.parent / "dossier.pdf"))
    for section in (
        "Compte rendu financier",
        "Exercice 2025-2026",
        "Compte de fonctionnement",
        "Dépenses (charges)",
        "Recettes (produits)",
        "Bilan simplifié",
        "Équilibre du bilan",
        "Le bilan est équilibré",
        "Charges et produits exceptionnels",
        "Dépenses par rubrique",
        "Recettes par rubrique",
        "Recettes et dépenses mois par mois",
        "Trésorerie au fil de l'année",
        "Rapprochement bancaire au 31/08/2026",
        "Arrêté de caisse",
        "Régies d'avances",
        "Tableau des subventions",
        "Cahier d'inventaire",
        "Par classe ou projet",
        "Contrôles",
        "Quitus des vérificateurs aux comptes",
        "parent d'élève",
        "Mandataire",
        "Signature",
    ):
        assert section in texte, section
    # The OCCE quotation once, as a footnote, not a page of its own.
    assert texte.count("comme leur nom l'indique") == 1


def test_the_dossier_shows_every_figure_of_the_example_year(annee):
    b = _bilan_json(annee)
    texte = "\n".join(_pages(annee.parent / "dossier.pdf"))
    montants = [
        *b["depenses"].values(),
        *b["recettes"].values(),
        *b["rubriques_depenses"].values(),
        *b["rubriques_recettes"].values(),
        *b["tresorerie"].values(),
        *b["tresorerie_ouverture"].values(),
        b["total_depenses"],
        b["total_recettes"],
        b["resultat"],
        b["report_a_nouveau"],
        b["total_tresorerie"],
        b["exceptionnel"]["charges"],
        b["exceptionnel"]["produits"],
        b["exceptionnel"]["solde"],
        b["rapprochements"]["512"]["solde_releve"],
        b["rapprochements"]["512"]["solde_livre"],
        b["arretes_caisse"]["53"]["total"],
        *(s["montant"] for s in b["subventions"]),
        *(i["valeur"] for i in b["inventaire"]),
        *(v for c in b["classes"].values() for v in c.values()),
    ]
    for m in montants:
        assert _euros(m) in texte, m
    for numero in (*b["depenses"], *b["recettes"], *b["tresorerie"]):
        assert numero in texte
    for mot in ("Commune de Saint-Alban", "Plastifieuse A3", "Classe de CM1", "Mme Martin", "CP"):
        assert mot in texte
    assert "115,85\u00a0€" in texte and "excédent" in texte


def test_the_checks_are_said_in_words_passed_ones_too(annee):
    texte = " ".join(" ".join(_pages(annee.parent / "dossier.pdf")).split())
    assert "Aucun numéro de pièce n'est utilisé deux fois." in texte
    assert "Les régies d'avances sont revenues à zéro." in texte
    assert "0 erreur, 0 avertissement" in texte
    assert "exceptionnel-hors-tolerance" not in texte  # no internal code on paper


def test_no_local_path_in_the_dossier(annee):
    texte = "\n".join(_pages(annee.parent / "dossier.pdf"))
    brut = (annee.parent / "dossier.pdf").read_bytes()
    for chemin in (str(annee.parent), str(RACINE), str(Path.home())):
        assert chemin not in texte
        assert chemin.encode() not in brut


def test_a_dossier_is_not_written_over_an_existing_file_without_force(annee):
    pdf = annee.parent / "dossier.pdf"
    avant = pdf.read_bytes()
    r = CliRunner().invoke(app, ["export", str(pdf), "--db", str(annee)])
    assert r.exit_code != 0
    assert "existe déjà" in r.stderr and "Traceback" not in r.output
    assert pdf.read_bytes() == avant


# -- the months and the checks, pure ------------------------------------------------


def test_the_twelve_months_add_up_to_the_compte_de_fonctionnement():
    plan = charger_plan(None)
    ex = Exercice.depuis_nom("2025-2026")
    d = Decimal
    soldes = {
        ("2025-09", "512"): d("1000"),  # opening balance
        ("2025-09", "110"): d("-1000"),
        ("2025-10", "512"): d("50"),
        ("2025-10", "7070"): d("-80"),
        ("2025-10", "53"): d("30"),
        ("2026-06", "6257"): d("20.50"),
        ("2026-06", "512"): d("-20.50"),
    }
    mois = evolution_mensuelle(ex, soldes, plan)
    assert [m.court for m in mois][:3] == ["sept.", "oct.", "nov."] and len(mois) == 12
    assert sum(m.recettes for m in mois) == d("80")
    assert sum(m.depenses for m in mois) == d("20.50")
    assert [m.tresorerie for m in mois][:2] == [d("1000"), d("1080")]
    assert mois[-1].tresorerie == d("1059.50")


def test_checks_in_words_put_failures_first_and_keep_every_passed_one():
    a = Anomalie(Gravite.ERREUR, "piece-en-double", "pièce 4 en double")
    controles = controles_en_clair([a])
    assert controles[0].code == "piece-en-double" and not controles[0].passe
    assert all(c.passe for c in controles[1:]) and len(controles) > 10


# -- printed size: the smallest text on every page ------------------------------------


def _mesure():
    spec = importlib.util.spec_from_file_location("taille", RACINE / "benchmarks/taille_texte.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
def test_no_text_in_the_dossier_is_smaller_than_7_points(annee):
    taille = _mesure()
    pages = taille.plus_petits_mots(annee.parent / "dossier.pdf")
    assert pages and all(h >= taille.HAUTEUR_MIN for h, _ in pages), pages


# -- one computation, the same figures everywhere ------------------------------------


def _chiffres(texte: str) -> str:
    """Amounts stripped of their thousands spaces (NBSP, narrow NBSP, space) and of `€`."""
    return re.sub(r"[\s\u00a0\u202f€]", "", texte)


def test_the_bilan_agrees_in_the_terminal_the_json_the_workbook_and_the_pdf(annee):
    from openpyxl import load_workbook

    b = _bilan_json(annee)
    classeur = annee.parent / "accord.xlsx"
    assert coop("export", classeur, "--db", annee).exit_code == 0
    wb = load_workbook(classeur)

    def montants(feuille: str, colonnes: tuple[int, ...]) -> dict[str, Decimal]:
        out = {}
        for row in wb[feuille].iter_rows(values_only=True):
            for k in colonnes:
                if len(row) > k + 2 and isinstance(row[k + 1], str) and row[k + 2] is not None:
                    cle = row[k] if isinstance(row[k], str) and row[k][:1].isdigit() else row[k + 1]
                    if isinstance(row[k + 2], int | float):
                        out[cle] = Decimal(str(row[k + 2])).quantize(Decimal("0.01"))
        return out

    cdf = montants("Compte de fonctionnement", (0, 4))
    bilan = montants("Bilan", (0,))
    attendu = {**b["depenses"], **b["recettes"]}
    assert {k: cdf[k] for k in attendu} == {k: Decimal(v) for k, v in attendu.items()}
    assert cdf["Total des dépenses"] == Decimal(b["total_depenses"])
    assert cdf["Total des recettes"] == Decimal(b["total_recettes"])
    assert cdf["Résultat de l'exercice (recettes − dépenses)"] == Decimal(b["resultat"])
    assert {k: bilan[k] for k in b["tresorerie"]} == {
        k: Decimal(v) for k, v in b["tresorerie"].items()
    }
    assert bilan["Total de la trésorerie"] == Decimal(b["total_tresorerie"])
    assert bilan["110"] == Decimal(b["report_a_nouveau"])

    pdf = _chiffres(" ".join(_pages(annee.parent / "dossier.pdf")))
    r = CliRunner().invoke(app, ["bilan", "--db", str(annee)], env={"COLUMNS": "120"})
    terminal = _chiffres(r.stdout)
    for cle in ("total_depenses", "total_recettes", "resultat", "report_a_nouveau",
                "total_tresorerie"):  # fmt: skip
        chiffre = _chiffres(formater_euros(Decimal(b[cle]), symbole=False))
        assert chiffre in pdf, cle
        assert chiffre in terminal, cle


def test_a_register_too_long_for_a_dossier_prints_its_first_rows_and_counts_the_rest(
    annee, tmp_path, monkeypatch
):
    """A ledger with thousands of subsidy lines still gives a dossier of a few pages (Typst
    lays it out in memory: 1.3 GB at 14 000 lines); the total covers every line."""
    from coopcompta.exports import dossier

    def texte(pdf: Path) -> str:
        return re.sub(r"\s+", " ", " ".join(_pages(pdf)))

    complet = texte(annee.parent / "dossier.pdf")
    total = re.search(r"Total des subventions [\d\u202f\u00a0 ]+,\d\d\s?€", complet)
    assert total is not None
    monkeypatch.setattr(dossier, "LIGNES_DE_REGISTRE", 1)
    assert coop("export", tmp_path / "court.pdf", "--db", annee).exit_code == 0
    court = texte(tmp_path / "court.pdf")
    assert re.search(
        r"et 1 autre ligne de subvention : le classeur \(coop export fichier\.xlsx\) "
        r"et coop subventions liste les donnent toutes\.",
        court,
    ), court
    assert total.group(0) in court  # every line counted
