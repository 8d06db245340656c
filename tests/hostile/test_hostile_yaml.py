"""Hostile YAML: rules files (`--regles`), bank profiles (`--profil`) and charts
(`coop init --plan`): python tags, alias bombs, patterns that need backtracking, bad
types, unknown keys. Each refused with the file (and rule, field or line) and what."""

from __future__ import annotations

from pathlib import Path

import pytest


def _bombe(cle: str = "a") -> str:
    """Nine levels of nine aliases: a billion strings once expanded."""
    texte = f'{cle}0: &{cle}0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        texte += f"{cle}{i}: &{cle}{i} [" + ",".join([f"*{cle}{i - 1}"] * 9) + "]\n"
    return texte


REGLE = '- nom: Frais\n  motif: "FRAIS"\n  compte: "627"\n'

# (id, rules file text, where, what)
CAS_REGLES = [
    (
        "tag-python",
        '- nom: !!python/object/apply:os.system ["echo pwned"]\n  motif: A\n  compte: "627"\n',
        "regles.yaml:1",
        "YAML illisible",
    ),
    ("bombe-alias", _bombe(), "regles.yaml:", "trop grand une fois les alias (*…) développés"),
    (
        "bombe-alias-dans-une-regle",
        "- &r {nom: A, motif: A, compte: '627'}\n" + "".join("- *r\n" for _ in range(150)),
        "regles.yaml:",
        "plus de 100 alias",
    ),
    ("alias-recursif", "- &a [*a]\n", "regles.yaml:1", "se contient lui-même"),
    (
        "reference-arriere",
        '- nom: A\n  motif: "/(AB)\\\\1/"\n  compte: "627"\n',
        "regles.yaml: regles[0] (A).motif",
        "les références arrière (\\1…) ne sont pas acceptées",
    ),
    (
        "assertion-avant",
        '- nom: A\n  motif: "/FRAIS(?=X)/"\n  compte: "627"\n',
        "regles.yaml: regles[0] (A).motif",
        "les assertions",
    ),
    (
        "repetition-geante",
        '- nom: A\n  motif: "/(A{1000}){1000}/"\n  compte: "627"\n',
        "regles.yaml: regles[0] (A).motif",
        "expression régulière",
    ),
    (
        "regex-non-fermee",
        '- nom: A\n  motif: "/(PRLV/"\n  compte: "627"\n',
        "regles.yaml: regles[0] (A).motif",
        "expression régulière invalide",
    ),
    (
        "champ-inconnu",
        '- nom: A\n  motif: A\n  compte: "627"\n  comtpe: "628"\n',
        "regles.yaml: regles[0] (A).comtpe",
        "champ inconnu",
    ),
    (
        "motif-liste",
        '- nom: A\n  motif: [A, B]\n  compte: "627"\n',
        "regles.yaml: regles[0] (A).motif",
        "texte attendu",
    ),
    (
        "dictionnaire-au-lieu-de-liste",
        'nom: A\nmotif: A\ncompte: "627"\n',
        "regles.yaml",
        "liste de règles attendue",
    ),
    (
        "compte-inconnu",
        '- nom: A\n  motif: A\n  compte: "9999"\n',
        "regles.yaml: regles[0] (A).compte",
        "9999",
    ),
    (
        # it said « found a tab character that violates indentation »
        "tabulation",
        '- nom: A\n\tmotif: A\n  compte: "627"\n',
        "regles.yaml:2",
        "tabulation interdite : indentez avec des espaces",
    ),
    (
        "deux-documents",
        '- nom: A\n  motif: A\n  compte: "627"\n---\n- nom: B\n',
        "regles.yaml:4",
        "plusieurs documents (« --- ») : un seul par fichier",
    ),
    ("accolade-ouverte", "- {nom: A\n", "regles.yaml:2", "accolade « } » non refermée"),
    (
        "pourcentages-plus-de-100",
        "- nom: A\n  motif: A\n  ventilation:\n"
        '    - {compte: "62810008", part: 80%}\n    - {compte: "61681008", part: 30%}\n',
        "regles.yaml: regles[0] (A).ventilation",
        "100",
    ),
    (
        "montant-min-illisible",
        '- nom: A\n  motif: A\n  compte: "627"\n  montant_min: douze\n',
        "regles.yaml: regles[0] (A).montant_min",
        "montant illisible « douze »",
    ),
    (
        # YAML's float 12.345 was read as the French « 12.345 »: a minimum of 12 345,00 €
        "montant-min-trois-decimales",
        '- nom: A\n  motif: A\n  compte: "627"\n  montant_min: 12.345\n',
        "regles.yaml: regles[0] (A).montant_min",
        "montant illisible « 12,345 »",
    ),
    (
        # Decimal read it, then comparing it raised InvalidOperation: a traceback
        "part-nan",
        "- nom: A\n  motif: A\n  ventilation:\n"
        '    - {compte: "62810008", part: "NaN%"}\n    - {compte: "61681008"}\n',
        "regles.yaml: regles[0] (A).ventilation[0].part",
        "pourcentage illisible « NaN% »",
    ),
    (
        "part-chiffres-arabes",
        "- nom: A\n  motif: A\n  ventilation:\n"
        '    - {compte: "62810008", part: "٥٠%"}\n    - {compte: "61681008"}\n',
        "regles.yaml: regles[0] (A).ventilation[0].part",
        "pourcentage illisible « ٥٠% »",
    ),
    (
        # YAML kept the last value: the first « compte » was dropped unseen
        "cle-repetee",
        '- nom: A\n  motif: A\n  compte: "627"\n  compte: "6183"\n',
        "regles.yaml:4",
        "clé « compte » répétée",
    ),
    (
        # YAML 1.1 reads 0627 in octal: it said « compte inconnu « 407 » »
        "compte-zero-initial",
        "- nom: A\n  motif: A\n  compte: 0627\n",
        "regles.yaml: regles[0] (A).compte",
        "compte inconnu « 0627 »",
    ),
    (
        # pydantic took yes for 1: a rule for amounts ≥ 1,00 €
        "montant-min-booleen",
        '- nom: A\n  motif: A\n  compte: "627"\n  montant_min: yes\n',
        "regles.yaml: regles[0] (A).montant_min",
        "montant attendu, pas oui/non",
    ),
    (
        "sens-inconnu",
        '- nom: A\n  motif: A\n  compte: "627"\n  sens: entree\n',
        "regles.yaml: regles[0] (A).sens",
        "recette ou depense",
    ),
    (
        "etiquette-inconnue",
        '- nom: !chiffre A\n  motif: A\n  compte: "627"\n',
        "regles.yaml:1",
        "étiquette « !chiffre » refusée",
    ),
    (
        # bytes, which pydantic turned into text unchecked (here ESC [2J: clear screen)
        "binaire",
        '- nom: !!binary G1sySg==\n  motif: A\n  compte: "627"\n',
        "regles.yaml:1",
        "étiquette « !!binary » refusée",
    ),
    (
        "sequence-ansi-dans-le-nom",
        '- nom: "Frais\\e[2J"\n  motif: A\n  compte: "627"\n',
        "regles.yaml:1",
        "caractère de contrôle \\x1b refusé dans « Frais\\x1b[2J »",
    ),
    (
        "inversion-bidi-dans-le-motif",
        '- nom: A\n  motif: "\\u202eSIARF"\n  compte: "627"\n',
        "regles.yaml:2",
        "caractère de contrôle \\u202e refusé",
    ),
    (
        "libelle-sur-deux-lignes",
        '- nom: A\n  motif: A\n  compte: "627"\n  libelle: |\n    deux\n    lignes\n',
        "regles.yaml: regles[0] (A).libelle",
        "caractère de contrôle \\n refusé",
    ),
    (
        "tabulation-dans-la-classe",
        '- nom: A\n  motif: A\n  compte: "627"\n  classe: "CM\\t2"\n',
        "regles.yaml: regles[0] (A).classe",
        "caractère de contrôle \\t refusé",
    ),
    (
        "imbrication-profonde",
        "- " + "[" * 150 + "]" * 150 + "\n",
        "regles.yaml:",
        "YAML illisible",
    ),
]


@pytest.mark.parametrize(
    ("texte", "ou", "quoi"), [c[1:] for c in CAS_REGLES], ids=[c[0] for c in CAS_REGLES]
)
def test_a_hostile_rules_file_is_refused_naming_file_rule_and_field(
    refuser, ledger_copie: Path, tmp_path: Path, texte: str, ou: str, quoi: str
) -> None:
    regles = tmp_path / "regles.yaml"
    regles.write_text(texte, encoding="utf-8")
    refuser(
        ["regles", "--regles", regles, "--db", ledger_copie], ledger=ledger_copie, ou=ou, quoi=quoi
    )


def test_a_rules_file_not_in_utf8_is_refused(refuser, ledger_copie: Path, tmp_path: Path) -> None:
    regles = tmp_path / "regles.yaml"
    regles.write_bytes(REGLE.replace("Frais", "Frais é").encode("cp1252"))
    refuser(
        ["regles", "--regles", regles, "--db", ledger_copie],
        ledger=ledger_copie,
        ou="regles.yaml",
        quoi="illisible",
    )


# (id, profile text, where, what): read by coop import --profil.
CAS_PROFILS = [
    ("tag-python", "date: !!python/name:os.system\nmontant: Montant\n", "p.yaml:1", "illisible"),
    ("bombe-alias", _bombe() + "date: Date\nmontant: Montant\n", "p.yaml:", "trop grand"),
    ("champ-inconnu", "date: Date\nmontant: Montant\nsepareteur: ';'\n", "p.yaml", "champ inconnu"),
    ("liste-au-lieu-de-champs", "- date\n- montant\n", "p.yaml", "clé: valeur"),
    ("sans-montant", "date: Date\n", "p.yaml", "montant: champ requis"),
    (
        "separateur-inconnu",
        "date: Date\nmontant: Montant\nseparateur: '::'\n",
        "p.yaml",
        "séparateur",
    ),
    (
        "format-date-inconnu",
        "date: Date\nmontant: Montant\nformat_date: jj.mm\n",
        "p.yaml",
        "format de date",
    ),
    (
        "encodage-inconnu",
        "date: Date\nmontant: Montant\nencodage: klingon\n",
        "p.yaml",
        "encodage inconnu",
    ),
    (
        "ignorer-avec-assertion",
        "date: Date\nmontant: Montant\nignorer: ['^SOLDE(?!X)']\n",
        "p.yaml",
        "les assertions",
    ),
    (
        "fin-reference-arriere",
        "date: Date\nmontant: Montant\nfin: '(CB)\\1'\n",
        "p.yaml",
        "références arrière",
    ),
    (
        "sans-entete-colonnes-nommees",
        "date: Date\nmontant: 3\nsans_entete: true\n",
        "p.yaml",
        "numéros",
    ),
    ("date-liste", "date: [1, 2]\nmontant: Montant\n", "p.yaml", "date"),
    # YAML reads `yes`, `on`, `true` as booleans: pydantic took one for column 1
    (
        "colonne-booleen",
        "sans_entete: true\ndate: on\nmontant: 3\n",
        "p.yaml",
        "date: nom ou numéro de colonne attendu",
    ),
    (
        # it said « did not find expected ',' or ']' »
        "crochet-ouvert",
        "date: Date\nmontant: [Montant\n",
        "p.yaml:3",
        "crochet « ] » non refermé",
    ),
    (
        "cle-repetee",
        "date: Date\nmontant: Montant\ndate: Date valeur\n",
        "p.yaml:3",
        "clé « date » répétée",
    ),
    (
        "colonne-zero",
        "sans_entete: true\ndate: 1\nmontant: 0\n",
        "p.yaml",
        "montant: numéro de colonne « 0 » : 1 est la première",
    ),
    (
        "colonne-negative",
        "sans_entete: true\ndate: 1\nlibelle: [2, -1]\nmontant: 3\n",
        "p.yaml",
        "libelle: numéro de colonne « -1 »",
    ),
    # codecs.lookup knows rot13 and base64, which do not read text
    ("encodage-rot13", "date: Date\nmontant: Montant\nencodage: rot13\n", "p.yaml", "rot13"),
    (
        "nom-avec-sequence-ansi",
        'date: Date\nmontant: Montant\nnom: "\\e]8;;http://x\\aBanque"\n',
        "p.yaml:3",
        "caractère de contrôle \\x1b",
    ),
    (
        "etiquette-python-dans-une-liste",
        "date: Date\nmontant: Montant\nignorer: [!!python/tuple [a]]\n",
        "p.yaml:3",
        "étiquette « !!python/tuple » refusée",
    ),
]


@pytest.mark.parametrize(
    ("texte", "ou", "quoi"), [c[1:] for c in CAS_PROFILS], ids=[c[0] for c in CAS_PROFILS]
)
def test_a_hostile_bank_profile_is_refused_naming_the_file_and_field(
    refuser, ledger_copie: Path, tmp_path: Path, texte: str, ou: str, quoi: str
) -> None:
    profil = tmp_path / "p.yaml"
    profil.write_text(texte, encoding="utf-8")
    releve = tmp_path / "r.csv"
    releve.write_text("Date;Libellé;Montant\n01/10/2025;ACHAT;-1,00\n", encoding="utf-8")
    refuser(
        ["import", releve, "--profil", profil, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou=ou,
        quoi=quoi,
    )


COMPTE = '  - {numero: "512", libelle: Banque, nature: tresorerie, rubrique: Trésorerie}\n'

# (id, chart text, where, what): read by coop init --plan, which must create nothing.
CAS_PLANS = [
    (
        "tag-python",
        "nom: !!python/object/new:os.getcwd []\ncomptes: []\n",
        "plan.yaml:1",
        "YAML illisible",
    ),
    ("bombe-alias", _bombe("x") + "comptes: []\n", "plan.yaml:", "trop grand"),
    ("liste-au-lieu-de-dictionnaire", "- 512\n- 627\n", "plan.yaml", ""),
    (
        "champ-inconnu",
        "nom: P\ncomptes:\n" + COMPTE.replace("}", ", libele: X}"),
        "plan.yaml",
        "champ",
    ),
    (
        "nature-inconnue",
        "nom: P\ncomptes:\n" + COMPTE.replace("tresorerie,", "argent,"),
        "plan.yaml",
        "nature",
    ),
    (
        # \\d matched them: the ledger got an account ٥١٢ no one can type at saisie
        "numero-en-chiffres-arabes",
        "nom: P\ncomptes:\n" + COMPTE.replace('"512"', '"٥١٢"'),
        "plan.yaml: comptes[0]",
        "numéro mal formé « ٥١٢ »",
    ),
    (
        # 0512 was read in octal: the ledger got an account 330
        "numero-zero-initial",
        "nom: P\ncomptes:\n"
        + COMPTE.replace('"512"', "0512").replace("nature: tresorerie", "nature: argent"),
        "plan.yaml: comptes[0] (0512).nature",
        "nature",
    ),
    (
        "tabulation-dans-un-libelle",
        "nom: P\ncomptes:\n" + COMPTE.replace("Banque", '"Ban\\tque"'),
        "plan.yaml: comptes[0] (512).libelle",
        "caractère de contrôle \\t refusé",
    ),
    (
        "sequence-ansi-dans-le-nom",
        'nom: "\\e[31mPlan"\ncomptes:\n' + COMPTE,
        "plan.yaml:1",
        "caractère de contrôle \\x1b",
    ),
]


@pytest.mark.parametrize(
    ("texte", "ou", "quoi"), [c[1:] for c in CAS_PLANS], ids=[c[0] for c in CAS_PLANS]
)
def test_a_hostile_chart_is_refused_and_no_ledger_is_created(
    refuser, tmp_path: Path, texte: str, ou: str, quoi: str
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(texte, encoding="utf-8")
    db = tmp_path / "nouvelle.db"
    refuser(
        ["init", "--db", db, "--plan", plan, "--nom", "X", "--exercice", "2025-2026"],
        ledger=db,
        ou=ou,
        quoi=quoi,
    )
    assert not db.exists()


PROFIL_850 = "date: Date\nmontant: Montant\nlibelle: Libellé\nencodage: {}\n"


def test_a_profile_encoding_is_the_one_the_statement_is_read_with(
    invoke, ledger_copie: Path, tmp_path: Path
) -> None:
    # It was detected over, silently: this cp850 (DOS) file was read as ISO-8859-1 and
    # CAFÉ became « CAF DU PORT ».
    profil = tmp_path / "p.yaml"
    profil.write_text(PROFIL_850.format("cp850"), encoding="utf-8")
    releve = tmp_path / "r.csv"
    releve.write_bytes("Date;Libellé;Montant\n01/10/2025;CAFÉ DU PORT;-1,00\n".encode("cp850"))
    r = invoke("import", releve, "--profil", profil, "--db", ledger_copie, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "CAFÉ DU PORT" in r.output


def test_a_statement_not_in_its_profile_encoding_is_refused_at_the_line(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    profil = tmp_path / "p.yaml"
    profil.write_text(PROFIL_850.format("utf-8"), encoding="utf-8")
    releve = tmp_path / "r.csv"
    texte = "Date;Libelle;Montant\n01/10/2025;ACHAT;-1,00\n02/10/2025;CAFÉ;-2,00\n"
    releve.write_bytes(texte.encode("cp1252"))
    refuser(
        ["import", releve, "--profil", profil, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="r.csv:3",
        quoi="octet illisible en utf-8 (l'encodage du profil)",
    )


def test_a_rules_path_that_is_a_folder_is_refused_in_french(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    # It said « fichier illisible ([Errno 21] Is a directory: 'regles') ».
    (tmp_path / "regles").mkdir()
    refuser(
        ["regles", "--regles", tmp_path / "regles", "--db", ledger_copie],
        ledger=ledger_copie,
        ou="regles",
        quoi="c'est un dossier, pas un fichier",
    )


def test_profile_patterns_too_big_together_are_refused_naming_file_and_field(
    refuser, ledger_copie: Path, tmp_path: Path
) -> None:
    # Each is fine, together they pass RE2's memory bound: the message listed all of
    # them (60 000 characters for 3 000) without the file.
    motifs = ", ".join(f"'[a-z]{{1,1000}}{i}'" for i in range(100))
    profil = tmp_path / "p.yaml"
    profil.write_text(f"date: Date\nmontant: Montant\nignorer: [{motifs}]\n", encoding="utf-8")
    releve = tmp_path / "r.csv"
    releve.write_text("Date;Libellé;Montant\n01/10/2025;ACHAT;-1,00\n", encoding="utf-8")
    r = refuser(
        ["import", releve, "--profil", profil, "--db", ledger_copie, "--non-interactif"],
        ledger=ledger_copie,
        ou="p.yaml: ignorer",
        quoi="100 motifs « [a-z]{1,1000}0 | [a-z]{1,1000}1",
    )
    assert len(r.sortie) < 400, r.sortie
