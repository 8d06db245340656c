"""Write the example journals of examples/ (deterministic: same output on every run).

    python examples/generer.py

The committed CSV files are the artefacts; this script only documents how they
were built and keeps pièce and cheque numbers consistent when an entry moves.
Each year is written as the treasurer would record it: entries in date order,
pièces 1, 2, 3… in that order, the coop's own cheques numbered in sequence.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ICI = Path(__file__).resolve().parent
ENTETE = "date;piece;libelle;sens;tresorerie;mode;cheque;total;compte;montant;classe;annule"
CLASSES = ("CP", "CE1", "CE2", "CM1", "CM2")
EFFECTIFS = {"CP": 24, "CE1": 25, "CE2": 23, "CM1": 24, "CM2": 26}
CENT = Decimal("0.01")

BANQUE, CAISSE, ASSOCONNECT, REGIE_CP = "512", "53", "517", "5411"


def d(texte: str) -> Decimal:
    return Decimal(texte).quantize(CENT)


def euros(montant: Decimal) -> str:
    """`1 234,56`: the journal's French amount format."""
    signe = "-" if montant < 0 else ""
    entier, _, dec = f"{abs(montant):.2f}".partition(".")
    groupes = []
    while len(entier) > 3:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    groupes.insert(0, entier)
    return f"{signe}{' '.join(groupes)},{dec}"


@dataclass
class Ec:
    """One écriture before numbering."""

    date: dt.date
    sens: str
    libelle: str
    tresorerie: str
    lignes: list[tuple[str, Decimal, str]]  # (compte, montant, classe)
    mode: str = ""
    cheque_coop: bool = False  # one of the coop's own cheques: numbered in sequence
    cle: str = ""  # to reference this écriture from a contre-passation
    annule: str = ""  # cle of the cancelled écriture
    piece: str = ""
    cheque: str = ""
    ordre: int = field(default=0)


class Journal:
    """Collects écritures, then numbers pièces and cheques in date order."""

    def __init__(self, premier_cheque: int) -> None:
        self.ecritures: list[Ec] = []
        self.premier_cheque = premier_cheque

    def _add(self, e: Ec) -> Ec:
        e.ordre = len(self.ecritures)
        self.ecritures.append(e)
        return e

    def ouverture(self, jour: dt.date, tresorerie: str, montant: str) -> None:
        self._add(Ec(jour, "ouverture", "Report à nouveau", tresorerie, [("", d(montant), "")]))

    def recette(self, jour, libelle, tresorerie, mode, lignes, **kw) -> Ec:
        return self._add(Ec(jour, "recette", libelle, tresorerie, _lignes(lignes), mode, **kw))

    def depense(self, jour, libelle, tresorerie, mode, lignes, **kw) -> Ec:
        coop = mode == "cheque" and tresorerie == BANQUE
        return self._add(
            Ec(jour, "depense", libelle, tresorerie, _lignes(lignes), mode, cheque_coop=coop, **kw)
        )

    def virement(self, jour, libelle, source, destination, montant, mode, cheque_coop=False):
        return self._add(
            Ec(
                jour,
                "virement",
                libelle,
                source,
                [(destination, d(str(montant)), "")],
                mode,
                cheque_coop=cheque_coop,
            )
        )

    def annulation(self, jour, libelle, originale: Ec) -> Ec:
        lignes = [(c, -m, k) for c, m, k in originale.lignes]
        e = Ec(jour, originale.sens, libelle, originale.tresorerie, lignes, originale.mode)
        e.annule = originale.cle
        return self._add(e)

    def solde(self, tresorerie: str, jusqu_au: dt.date) -> Decimal:
        """Balance of a treasury account at the end of a day, from what is recorded so far."""
        solde = Decimal("0")
        for e in self.ecritures:
            if e.date > jusqu_au:
                continue
            total = sum((m for _, m, _ in e.lignes), Decimal("0"))
            if e.sens == "virement":
                solde += total if e.lignes[0][0] == tresorerie else Decimal("0")
                solde -= total if e.tresorerie == tresorerie else Decimal("0")
            elif e.tresorerie == tresorerie:
                solde += -total if e.sens == "depense" else total
        return solde

    def numeroter(self) -> list[Ec]:
        ordonnees = sorted(self.ecritures, key=lambda e: (e.date, e.ordre))
        par_cle = {}
        cheque = self.premier_cheque
        for n, e in enumerate(ordonnees, start=1):
            e.piece = str(n)
            if e.cle:
                par_cle[e.cle] = e.piece
            if e.cheque_coop:
                e.cheque = f"{cheque:07d}"
                cheque += 1
        for e in ordonnees:
            if e.annule:
                e.annule = par_cle[e.annule]
        return ordonnees

    def ecrire(self, chemin: Path) -> None:
        rows = [ENTETE]
        for e in self.numeroter():
            total = sum((m for _, m, _ in e.lignes), Decimal("0"))
            for i, (compte, montant, classe) in enumerate(e.lignes):
                champs = [
                    f"{e.date:%d/%m/%Y}",
                    e.piece,
                    e.libelle,
                    e.sens,
                    e.tresorerie,
                    e.mode,
                    e.cheque,
                    euros(total) if i == 0 else "",
                    compte,
                    euros(montant),
                    classe,
                    e.annule,
                ]
                assert not any(";" in c or '"' in c for c in champs), champs
                rows.append(";".join(champs))
        chemin.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _lignes(lignes) -> list[tuple[str, Decimal, str]]:
    if isinstance(lignes, tuple):  # a single line
        lignes = [lignes]
    out = []
    for ligne in lignes:
        compte, montant, *classe = ligne
        out.append((compte, d(str(montant)), classe[0] if classe else ""))
    return out


def j(jour: int, mois: int) -> dt.date:
    return dt.date(2025 if mois >= 9 else 2026, mois, jour)


def frais_assoconnect(montant: Decimal) -> Decimal:
    """AssoConnect's documented fee per card payment: 1.8 % + 0.25 €."""
    return (montant * Decimal("0.018")).quantize(CENT, rounding=ROUND_HALF_UP) + Decimal("0.25")


# -- the school year 2025-2026 of the Jules Ferry cooperative -------------------------


def annee_jules_ferry() -> Journal:
    hasard = random.Random(20252026)
    jr = Journal(premier_cheque=4_518_201)

    # Opening balances (report à nouveau) of the bank account and the cash box.
    jr.ouverture(j(1, 9), BANQUE, "1812.47")
    jr.ouverture(j(1, 9), CAISSE, "62.30")

    # -- Voluntary contributions of the families (September-October) ------------------
    # Suggested 15 € per child; families give 10 to 40 €. Cheques go to the bank in
    # deposit slips (remises), cash envelopes go to the cash box, then to the bank.
    montants = ["10", "15", "15", "15", "15", "20", "20", "25", "30"]

    def cheques(n: int) -> Decimal:
        return sum((d(hasard.choice(montants)) for _ in range(n)), Decimal("0"))

    remises = [
        (j(16, 9), {"CP": 6, "CE1": 5}),
        (j(19, 9), {"CE2": 7, "CM1": 6, "CM2": 4}),
        (j(23, 9), {"CP": 5, "CE1": 6, "CM2": 8}),
        (j(26, 9), {"CE2": 4, "CM1": 5}),
        (j(30, 9), {"CP": 3, "CE1": 3, "CE2": 4, "CM1": 4, "CM2": 5}),
        (j(7, 10), {"CP": 2, "CE2": 2, "CM1": 3, "CM2": 2}),
        (j(14, 10), {"CE1": 2, "CM1": 1, "CM2": 2}),
        (j(21, 10), {"CP": 1, "CE2": 1, "CM2": 1}),
    ]
    for n, (jour, par_classe) in enumerate(remises, start=1):
        total_cheques = sum(par_classe.values())
        jr.recette(
            jour,
            f"Participation volontaire des familles (remise n°{n}, {total_cheques} chèques)",
            BANQUE,
            "cheque",
            [("75620008", cheques(k), c) for c, k in par_classe.items()],
        )
    especes = [
        (j(12, 9), "CP", "15.00"),
        (j(15, 9), "CE1", "30.00"),
        (j(15, 9), "CM2", "20.00"),
        (j(18, 9), "CE2", "25.00"),
        (j(22, 9), "CM1", "15.00"),
        (j(22, 9), "CP", "35.00"),
        (j(25, 9), "CM2", "15.00"),
        (j(29, 9), "CE1", "10.00"),
        (j(2, 10), "CE2", "20.00"),
        (j(6, 10), "CM1", "30.00"),
        (j(9, 10), "CP", "20.00"),
        (j(13, 10), "CM2", "25.00"),
        (j(13, 10), "CE1", "15.00"),
        (j(20, 10), "CE2", "15.00"),
        (j(20, 10), "CM1", "10.00"),
        (j(4, 11), "CP", "15.00"),
        (j(4, 11), "CE1", "20.00"),
    ]
    for jour, classe, montant in especes:
        jr.recette(
            jour,
            f"Participation volontaire des familles {classe} (espèces)",
            CAISSE,
            "especes",
            ("75620008", montant, classe),
        )
    jr.virement(j(26, 9), "Versement espèces au Crédit Mutuel", CAISSE, BANQUE, "155.00", "especes")
    jr.virement(j(16, 10), "Versement espèces au Crédit Mutuel", CAISSE, BANQUE, "95.00", "especes")

    # -- Start of the year ------------------------------------------------------------
    jr.depense(
        j(8, 9),
        "Café d'accueil des familles - jour de la rentrée",
        CAISSE,
        "especes",
        ("6257", "14.60"),
    )
    jr.recette(
        j(11, 9),
        "Chèque n°4518163 de 2024-2025 prescrit, jamais encaissé (régularisation)",
        BANQUE,
        "",
        ("772", "12.00"),
    )
    jr.depense(
        j(17, 9),
        "Abonnement L'École des loisirs - bibliothèque CP",
        BANQUE,
        "cheque",
        ("6183", "119.00", "CP"),
    )
    jr.depense(
        j(24, 9),
        "Abonnement J'aime lire - Bayard Jeunesse CE1",
        BANQUE,
        "cheque",
        ("6183", "64.90", "CE1"),
    )
    jr.depense(
        j(2, 10),
        "Remboursement participation sortie 2024-2025 annulée - famille Morel",
        BANQUE,
        "cheque",
        ("672", "15.00"),
    )
    jr.depense(
        j(3, 10),
        "OCCE 35 - cotisation et assurance 2025-2026 (122 élèves)",
        BANQUE,
        "cheque",
        [("62810008", "214.72"), ("61681008", "53.68")],
    )
    jr.depense(
        j(10, 10),
        "Semaine du goût - fruits et légumes de saison - Biocoop",
        BANQUE,
        "cheque",
        [
            ("6257", "18.40", "CP"),
            ("6257", "17.85", "CE1"),
            ("6257", "16.30", "CE2"),
            ("6257", "17.10", "CM1"),
            ("6257", "18.65", "CM2"),
        ],
    )
    jr.depense(
        j(29, 9),
        "Abonnement Le Petit Quotidien - Play Bac Presse CM2",
        BANQUE,
        "cheque",
        ("6183", "52.00", "CM2"),
    )
    jr.depense(
        j(9, 10),
        "Inscription au prix littéraire des Incorruptibles (CE2, CM1) - lots de livres",
        BANQUE,
        "cheque",
        [("6183", "60.50", "CE2"), ("6183", "60.50", "CM1")],
    )
    jr.depense(
        j(14, 10),
        "Abonnement Images Doc - Bayard Jeunesse CM1",
        BANQUE,
        "cheque",
        ("6183", "59.90", "CM1"),
    )
    jr.depense(
        j(17, 10),
        "Matériel arts plastiques (gouaches, pinceaux) - Cultura",
        BANQUE,
        "cheque",
        [("6068", "42.60", "CE2"), ("6068", "38.95", "CM1")],
    )

    # -- Class photos: sold to the families in November, paid in December ------------
    # Pochette 18 € (cost 11,50 €), group photo alone 8 € (cost 4,20 €).
    commandes = {"CP": (17, 4), "CE1": (18, 3), "CE2": (15, 5), "CM1": (14, 6), "CM2": (16, 5)}
    ventes = {c: 18 * p + 8 * g for c, (p, g) in commandes.items()}
    achats = {c: Decimal("11.50") * p + Decimal("4.20") * g for c, (p, g) in commandes.items()}
    en_especes = {"CP": 44, "CE1": 26, "CE2": 34, "CM1": 18, "CM2": 26}
    jr.recette(
        j(7, 11),
        "Photos de classe - remise de chèques n°9 (CP, CE1, CE2)",
        BANQUE,
        "cheque",
        [("7070", ventes[c] - en_especes[c], c) for c in ("CP", "CE1", "CE2")],
    )
    jr.recette(
        j(10, 11),
        "Photos de classe - remise de chèques n°10 (CM1, CM2)",
        BANQUE,
        "cheque",
        [("7070", ventes[c] - en_especes[c], c) for c in ("CM1", "CM2")],
    )
    for jour, classe in ((4, "CP"), (4, "CE1"), (5, "CE2"), (6, "CM1"), (6, "CM2")):
        jr.recette(
            j(jour, 11),
            f"Photos de classe {classe} - commandes payées en espèces",
            CAISSE,
            "especes",
            ("7070", en_especes[classe], classe),
        )
    jr.recette(
        j(20, 11),
        "Photos de classe CM1 - commandes retardataires (espèces)",
        CAISSE,
        "especes",
        [("7070", "18.00", "CM1"), ("7070", "8.00", "CE2")],
    )
    jr.virement(
        j(12, 11), "Versement espèces photos au Crédit Mutuel", CAISSE, BANQUE, "140.00", "especes"
    )
    jr.depense(
        j(8, 12),
        "Photos de classe - Photographe Lumière (facture 2025-118)",
        BANQUE,
        "cheque",
        [("6070", achats[c], c) for c in CLASSES],
    )

    # -- Town-hall subsidy: recorded on the wrong account, cancelled, recorded again --
    fausse = jr.recette(
        j(18, 11),
        "VIR SEPA RECU /DE MAIRIE DE SAINT-ALBAN /MOTIF SUBVENTION COOPERATIVE 2025-2026",
        BANQUE,
        "virement",
        ("7430", "1342.00"),
        cle="subvention",
    )
    jr.annulation(j(24, 11), "Annulation : subvention de la mairie saisie en 7430", fausse)
    jr.recette(
        j(24, 11),
        "VIR SEPA RECU /DE MAIRIE DE SAINT-ALBAN /MOTIF SUBVENTION COOPERATIVE 2025-2026",
        BANQUE,
        "virement",
        ("7440", "1342.00"),
    )

    # -- Autumn and Christmas -------------------------------------------------------------
    jr.depense(
        j(13, 11),
        "École et cinéma - séance 1 (CE2, CM1, CM2) - Cinéma Le Sévigné",
        BANQUE,
        "cheque",
        [("6251", "57.50", "CE2"), ("6251", "60.00", "CM1"), ("6251", "65.00", "CM2")],
    )
    jr.depense(
        j(20, 11),
        "Albums pour la bibliothèque de classe - Librairie Le Failler",
        BANQUE,
        "cheque",
        [("6183", "48.70", "CP"), ("6183", "56.30", "CE1")],
    )
    jr.depense(
        j(27, 11),
        "Matériel pour objets du marché de Noël (bougies, perles, feutrine) - Cultura",
        BANQUE,
        "cheque",
        [
            ("6181", "21.40", "CP"),
            ("6181", "18.95", "CE1"),
            ("6181", "19.60", "CE2"),
            ("6181", "17.25", "CM1"),
            ("6181", "19.60", "CM2"),
        ],
    )
    jr.depense(
        j(1, 12),
        "Pots en verre et mèches - objets du marché de Noël",
        CAISSE,
        "especes",
        [("6181", "18.20", "CE2"), ("6181", "24.10", "CM2")],
    )
    jr.recette(
        j(12, 12),
        "Marché de Noël - vente des objets fabriqués par les élèves (espèces)",
        CAISSE,
        "especes",
        [
            ("7080", "68.50", "CP"),
            ("7080", "54.00", "CE1"),
            ("7080", "71.50", "CE2"),
            ("7080", "49.00", "CM1"),
            ("7080", "82.00", "CM2"),
        ],
    )
    jr.recette(
        j(15, 12),
        "Marché de Noël - remise de chèques n°11",
        BANQUE,
        "cheque",
        [("7080", "24.00", "CP"), ("7080", "36.00", "CE2"), ("7080", "42.00", "CM2")],
    )
    jr.virement(
        j(15, 12),
        "Versement espèces marché de Noël au Crédit Mutuel",
        CAISSE,
        BANQUE,
        "300.00",
        "especes",
    )
    jr.depense(
        j(16, 12),
        "Spectacle de Noël - Cie Les Zinzins (facture 2025-47)",
        BANQUE,
        "cheque",
        ("6226", "420.00"),
    )
    jr.depense(
        j(17, 12),
        "Goûter de Noël - Boulangerie Au Pain Doré",
        BANQUE,
        "cheque",
        ("6257", "94.80"),
    )
    jr.depense(
        j(18, 12),
        "Chocolats de Noël pour les 122 élèves - Chocolaterie Durand",
        BANQUE,
        "cheque",
        ("6257", "122.00"),
    )
    jr.depense(
        j(19, 12),
        "Jus de fruits et clémentines - goûter de Noël",
        CAISSE,
        "especes",
        ("6257", "26.35"),
    )

    # -- January: AssoConnect opens, the CP régie d'avances --------------------------------
    jr.virement(
        j(9, 1),
        "Avance régie classe CP (Mme Le Goff)",
        BANQUE,
        REGIE_CP,
        "100.00",
        "cheque",
        cheque_coop=True,
    )
    jr.depense(
        j(9, 1),
        "Galettes des rois - Boulangerie Au Pain Doré",
        BANQUE,
        "cheque",
        ("6257", "57.60"),
    )
    paiements_janvier = [
        (j(12, 1), "CE1", "15.00"),
        (j(13, 1), "CM2", "20.00"),
        (j(15, 1), "CP", "15.00"),
        (j(19, 1), "CE2", "10.00"),
        (j(22, 1), "CM1", "30.00"),
        (j(27, 1), "CE1", "15.00"),
        (j(29, 1), "CP", "20.00"),
    ]
    paiements_assoconnect(
        jr,
        paiements_janvier,
        "75620008",
        "AssoConnect - participation volontaire {classe}",
        j(31, 1),
        j(3, 2),
        "janvier",
    )
    jr.depense(
        j(16, 1),
        "Pâte à modeler et peinture - Cultura (régie CP)",
        REGIE_CP,
        "especes",
        ("6068", "18.40", "CP"),
    )
    jr.depense(
        j(21, 1),
        "Intervention musique, 1er trimestre - Association Do Ré Mi (facture F2026-003)",
        BANQUE,
        "cheque",
        [("6226", "90.00", "CE1"), ("6226", "90.00", "CE2"), ("6226", "90.00", "CM1")],
    )
    jr.depense(
        j(23, 1),
        "Jeux de société pour les ateliers de la classe - Le Dé à Trois Faces",
        BANQUE,
        "cheque",
        ("6068", "87.40", "CE1"),
    )
    jr.depense(
        j(30, 1),
        "Atelier cuisine CE2 - pommes, farine et sucre",
        CAISSE,
        "especes",
        ("6257", "16.85", "CE2"),
    )
    jr.depense(
        j(28, 1),
        "Abonnement Wapiti - Milan Presse CE2",
        BANQUE,
        "cheque",
        ("6183", "62.00", "CE2"),
    )

    # -- February - March --------------------------------------------------------------
    jr.depense(
        j(5, 2),
        "Farine, beurre, pommes - atelier cuisine (régie CP)",
        REGIE_CP,
        "especes",
        ("6257", "12.85", "CP"),
    )
    jr.depense(
        j(6, 2),
        "École et cinéma - séance 2 (CE2, CM1, CM2) - Cinéma Le Sévigné",
        BANQUE,
        "cheque",
        [("6251", "57.50", "CE2"), ("6251", "60.00", "CM1"), ("6251", "62.50", "CM2")],
    )
    jr.depense(
        j(12, 2),
        "Carnaval - tissus, crépon et maquillage - Mercerie Centrale",
        BANQUE,
        "cheque",
        [
            ("6068", "23.50", "CP"),
            ("6068", "21.80", "CE1"),
            ("6068", "19.90", "CE2"),
            ("6068", "16.40", "CM1"),
            ("6068", "18.30", "CM2"),
        ],
    )
    jr.depense(
        j(13, 2),
        "Carnaval - ballons et confettis",
        CAISSE,
        "especes",
        ("6068", "12.90"),
    )
    jr.depense(
        j(26, 2),
        "Album photo et colle - cahier de vie de la classe (régie CP)",
        REGIE_CP,
        "especes",
        ("6068", "11.95", "CP"),
    )
    jr.depense(
        j(3, 3),
        "Intervention « les abeilles » - Rucher école du Pays de Rennes (facture 2026-09)",
        BANQUE,
        "cheque",
        ("6226", "150.00", "CM1"),
    )
    jr.depense(
        j(5, 3),
        "Plastifieuse A3 et 200 pochettes - Bureau Vallée",
        BANQUE,
        "cheque",
        [("68000008", "64.90"), ("6068", "24.90")],
    )
    jr.depense(
        j(10, 3),
        "Spectacle jeune public (CP, CE1) - Centre culturel Le Triangle",
        BANQUE,
        "cheque",
        [("6251", "120.00", "CP"), ("6251", "125.00", "CE1")],
    )
    jr.depense(
        j(17, 3),
        "Printemps des poètes - recueils de poésie - Librairie Le Failler",
        BANQUE,
        "cheque",
        [("6183", "34.50", "CM1"), ("6183", "38.20", "CM2")],
    )
    jr.depense(
        j(20, 3),
        "Graines et terreau - jardin de la classe (régie CP)",
        REGIE_CP,
        "especes",
        ("6068", "23.85", "CP"),
    )
    jr.depense(
        j(25, 3),
        "Intervention musique, 2e trimestre - Association Do Ré Mi (facture F2026-021)",
        BANQUE,
        "cheque",
        [("6226", "90.00", "CE1"), ("6226", "90.00", "CE2"), ("6226", "90.00", "CM1")],
    )
    jr.depense(
        j(27, 3),
        "Matériel scientifique - projet « l'eau » CM2 - Pierron",
        BANQUE,
        "cheque",
        ("6068", "76.40", "CM2"),
    )

    # -- The zoo trip for CE1 and CE2 (12 May): 8 € per child asked to the families ----
    zoo_cheques = {
        j(26, 3): [("CE1", 9), ("CE2", 7)],
        j(8, 4): [("CE1", 6), ("CE2", 6)],
    }
    for n, (jour, parts) in enumerate(zoo_cheques.items(), start=12):
        nb = sum(k for _, k in parts)
        jr.recette(
            jour,
            f"Sortie au zoo CE1-CE2 - participation des familles (remise n°{n}, {nb} chèques)",
            BANQUE,
            "cheque",
            [("7068", 8 * k, c) for c, k in parts],
        )
    paiements_zoo = [
        (j(24, 3), "CE1", "8.00"),
        (j(25, 3), "CE2", "8.00"),
        (j(25, 3), "CE2", "16.00"),
        (j(27, 3), "CE1", "8.00"),
        (j(30, 3), "CE1", "8.00"),
        (j(31, 3), "CE2", "8.00"),
        (j(2, 4), "CE1", "16.00"),
        (j(3, 4), "CE2", "8.00"),
        (j(7, 4), "CE1", "8.00"),
        (j(9, 4), "CE2", "8.00"),
    ]
    paiements_assoconnect(
        jr,
        paiements_zoo,
        "7068",
        "AssoConnect - sortie au zoo {classe}",
        j(10, 4),
        j(14, 4),
        "sortie au zoo",
    )
    jr.recette(
        j(10, 4),
        "Sortie au zoo CE1-CE2 - participation des familles (espèces)",
        CAISSE,
        "especes",
        [("7068", "16.00", "CE1"), ("7068", "24.00", "CE2")],
    )
    jr.virement(
        j(14, 4),
        "Versement espèces sortie au zoo au Crédit Mutuel",
        CAISSE,
        BANQUE,
        "40.00",
        "especes",
    )
    jr.recette(
        j(15, 4),
        "VIR SEPA RECU /DE APE LES PETITS LOUPS /MOTIF AIDE SORTIE ZOO",
        BANQUE,
        "virement",
        [("7460", "150.00", "CE1"), ("7460", "150.00", "CE2")],
    )
    jr.depense(
        j(10, 4),
        "Timbres - correspondance scolaire (régie CP)",
        REGIE_CP,
        "especes",
        ("6068", "9.60", "CP"),
    )
    jr.depense(
        j(13, 5),
        "Car pour sortie au zoo CE1-CE2 - Transports Kéolis (facture 26-0512)",
        BANQUE,
        "cheque",
        [("6241", "295.00", "CE1"), ("6241", "295.00", "CE2")],
    )
    jr.depense(
        j(13, 5),
        "Entrées sortie au zoo CE1-CE2 - Zoo de La Bourbansais (48 élèves)",
        BANQUE,
        "cheque",
        [("6251", "237.50", "CE1"), ("6251", "218.50", "CE2")],
    )

    # -- Spring, other classes --------------------------------------------------------
    jr.depense(
        j(21, 4),
        "Sortie CM1-CM2 - car pour le musée de Bretagne - Transports Kéolis",
        BANQUE,
        "cheque",
        [("6241", "192.50", "CM1"), ("6241", "192.50", "CM2")],
    )
    jr.depense(
        j(21, 4),
        "Sortie CM1-CM2 - ateliers du musée de Bretagne",
        BANQUE,
        "cheque",
        [("6251", "96.00", "CM1"), ("6251", "104.00", "CM2")],
    )
    jr.depense(
        j(5, 5),
        "École et cinéma - séance 3 (CE2, CM1, CM2) - Cinéma Le Sévigné",
        BANQUE,
        "cheque",
        [("6251", "57.50", "CE2"), ("6251", "60.00", "CM1"), ("6251", "65.00", "CM2")],
    )
    jr.depense(
        j(22, 5),
        "Pots en terre et bulbes - cadeaux fête des familles (régie CP)",
        REGIE_CP,
        "especes",
        ("6068", "14.20", "CP"),
    )
    jr.depense(
        j(27, 5),
        "Intervention musique, 3e trimestre - Association Do Ré Mi (facture F2026-038)",
        BANQUE,
        "cheque",
        [("6226", "60.00", "CE1"), ("6226", "60.00", "CE2"), ("6226", "60.00", "CM1")],
    )

    # -- Cloth bags decorated by the pupils, sold online in May ---------------------------
    jr.depense(
        j(14, 4),
        "Sacs en toile et feutres textile - objets fabriqués par les élèves - Cultura",
        BANQUE,
        "cheque",
        [("6181", "32.40", "CM1"), ("6181", "32.40", "CM2")],
    )
    sacs = [
        (j(4, 5), "CM1", "8.00"),
        (j(4, 5), "CM2", "8.00"),
        (j(5, 5), "CM2", "16.00"),
        (j(6, 5), "CM1", "8.00"),
        (j(7, 5), "CM1", "8.00"),
        (j(11, 5), "CM2", "8.00"),
        (j(11, 5), "CM1", "16.00"),
        (j(12, 5), "CM2", "8.00"),
        (j(15, 5), "CM2", "8.00"),
        (j(18, 5), "CM1", "24.00"),
        (j(19, 5), "CM2", "8.00"),
    ]
    paiements_assoconnect(
        jr,
        sacs,
        "7080",
        "AssoConnect - sacs décorés par les élèves {classe}",
        j(29, 5),
        j(2, 6),
        "sacs décorés",
    )
    jr.depense(
        j(2, 6),
        "Peinture pour tissu - finitions des sacs (régie CP)",
        REGIE_CP,
        "especes",
        ("6068", "7.30", "CP"),
    )

    # -- The CP class at the educational farm (16 June): 5 € asked to the families ----
    jr.recette(
        j(5, 6),
        "Sortie à la ferme CP - participation des familles (remise n°14, 18 chèques)",
        BANQUE,
        "cheque",
        ("7068", "90.00", "CP"),
    )
    jr.recette(
        j(8, 6),
        "Sortie à la ferme CP - participation des familles (espèces)",
        CAISSE,
        "especes",
        ("7068", "20.00", "CP"),
    )
    jr.depense(
        j(16, 6),
        "Car pour sortie à la ferme CP - Transports Kéolis (facture 26-0641)",
        BANQUE,
        "cheque",
        ("6241", "165.00", "CP"),
    )
    jr.depense(
        j(16, 6),
        "Ferme pédagogique de la Tremblais - animation et entrées CP (24 élèves)",
        BANQUE,
        "cheque",
        ("6251", "144.00", "CP"),
    )

    # -- The kermesse (Saturday 27 June) -------------------------------------------------
    tombola = [
        (j(8, 6), "10.00"),
        (j(9, 6), "5.00"),
        (j(10, 6), "10.00"),
        (j(11, 6), "4.00"),
        (j(14, 6), "20.00"),
        (j(15, 6), "10.00"),
        (j(16, 6), "6.00"),
        (j(18, 6), "10.00"),
        (j(19, 6), "5.00"),
        (j(21, 6), "10.00"),
        (j(22, 6), "8.00"),
        (j(23, 6), "10.00"),
        (j(24, 6), "15.00"),
        (j(25, 6), "4.00"),
    ]
    paiements_assoconnect(
        jr,
        [(jour, "Kermesse", m) for jour, m in tombola],
        "7088",
        "AssoConnect - carnets de tombola de la kermesse",
        j(30, 6),
        j(3, 7),
        "tombola",
    )
    jr.recette(
        j(19, 6),
        "Kermesse - carnets de tombola vendus par chèque (remise n°15)",
        BANQUE,
        "cheque",
        ("7088", "145.00", "Kermesse"),
    )
    jr.depense(
        j(12, 6),
        "Lots de tombola - La Grande Récré",
        BANQUE,
        "cheque",
        ("6068", "212.80", "Kermesse"),
    )
    jr.depense(
        j(17, 6),
        "Lots pêche à la ligne et chamboule-tout - Gifi",
        BANQUE,
        "cheque",
        ("6068", "64.50", "Kermesse"),
    )
    jr.depense(
        j(24, 6),
        "Boissons, gobelets et serviettes - E.Leclerc",
        BANQUE,
        "cheque",
        ("6257", "186.34", "Kermesse"),
    )
    jr.depense(
        j(25, 6),
        "Saucisses, merguez et pain - Boucherie Lemoine",
        BANQUE,
        "cheque",
        ("6257", "142.60", "Kermesse"),
    )
    jr.virement(
        j(25, 6),
        "Retrait espèces - fonds de caisse kermesse",
        BANQUE,
        CAISSE,
        "150.00",
        "especes",
    )
    jr.depense(
        j(26, 6),
        "Ingrédients crêpes et gâteaux - Super U",
        CAISSE,
        "especes",
        ("6257", "38.75", "Kermesse"),
    )
    jr.depense(
        j(27, 6),
        "Glaçons et pain - kermesse",
        CAISSE,
        "especes",
        ("6257", "23.40", "Kermesse"),
    )
    for stand, montant in (
        ("buvette", "412.50"),
        ("grillades", "385.00"),
        ("crêpes et gâteaux", "286.00"),
        ("tombola sur place", "318.00"),
        ("pêche à la ligne", "96.50"),
        ("chamboule-tout", "74.00"),
        ("maquillage", "58.50"),
    ):
        jr.recette(
            j(27, 6),
            f"Kermesse - stand {stand} (espèces)",
            CAISSE,
            "especes",
            ("7088", montant, "Kermesse"),
        )
    jr.virement(
        j(29, 6),
        "Versement espèces kermesse au Crédit Mutuel",
        CAISSE,
        BANQUE,
        "1580.00",
        "especes",
    )
    jr.depense(
        j(29, 6),
        "Remboursement avance boissons kermesse - M. Perrin (ticket Carrefour)",
        CAISSE,
        "especes",
        ("6257", "31.20", "Kermesse"),
    )

    # -- Bank fees: Crédit Mutuel's offer for associations, debited each month --------
    for mois in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8):
        jr.depense(
            j(5, mois),
            f"FRAIS TENUE DE COMPTE {j(5, mois):%m/%Y}",
            BANQUE,
            "prelevement",
            ("627", "3.60"),
        )

    # -- End of the year --------------------------------------------------------------
    jr.depense(
        j(23, 6),
        "Dictionnaires offerts aux CM2 pour l'entrée au collège - Librairie Le Failler",
        BANQUE,
        "cheque",
        ("6183", "205.40", "CM2"),
    )
    jr.virement(
        j(26, 6),
        "Reliquat régie classe CP rendu au trésorier (versement espèces)",
        REGIE_CP,
        BANQUE,
        jr.solde(REGIE_CP, j(26, 6)),
        "especes",
    )
    jr.depense(
        j(2, 7),
        "Goûter de fin d'année - Boulangerie Au Pain Doré",
        BANQUE,
        "cheque",
        ("6257", "78.60"),
    )
    jr.virement(
        j(3, 7),
        "Versement espèces au Crédit Mutuel",
        CAISSE,
        BANQUE,
        "170.00",
        "especes",
    )
    return jr


def paiements_assoconnect(jr, paiements, compte, libelle, jour_frais, jour_versement, quoi):
    """Gross card payments on 517, the fees as a 627 expense, the payout to the bank."""
    brut = Decimal("0")
    frais = Decimal("0")
    for jour, classe, montant in paiements:
        m = d(montant)
        jr.recette(
            jour,
            libelle.format(classe=classe),
            ASSOCONNECT,
            "assoconnect",
            (compte, m, classe),
        )
        brut += m
        frais += frais_assoconnect(m)
    jr.depense(
        jour_frais,
        f"Commissions AssoConnect - {len(paiements)} paiements ({quoi}, 1,8 % + 0,25 €)",
        ASSOCONNECT,
        "assoconnect",
        ("627", frais),
    )
    jr.virement(
        jour_versement,
        f"VIR ASSOCONNECT - versement des paiements ({quoi})",
        ASSOCONNECT,
        BANQUE,
        brut - frais,
        "virement",
    )


# -- A small nursery-school coop whose exceptional accounts are misused --------------


def annee_exceptionnels() -> Journal:
    """A short year where a company's gift went to 771 instead of 754 (far from zero)."""
    jr = Journal(premier_cheque=2_204_117)
    jr.ouverture(j(1, 9), BANQUE, "948.20")
    jr.ouverture(j(1, 9), CAISSE, "35.00")
    jr.recette(
        j(22, 9),
        "Participation volontaire des familles (remise n°1, 31 chèques)",
        BANQUE,
        "cheque",
        [("75620008", "160.00", "PS"), ("75620008", "185.00", "MS"), ("75620008", "170.00", "GS")],
    )
    jr.recette(
        j(24, 9),
        "Participation volontaire des familles (espèces)",
        CAISSE,
        "especes",
        [("75620008", "30.00", "PS"), ("75620008", "20.00", "GS")],
    )
    jr.depense(
        j(6, 10),
        "OCCE 35 - cotisation et assurance 2025-2026 (68 élèves)",
        BANQUE,
        "cheque",
        [("62810008", "119.68"), ("61681008", "29.92")],
    )
    jr.virement(j(7, 10), "Versement espèces au Crédit Mutuel", CAISSE, BANQUE, "50.00", "especes")
    jr.depense(
        j(15, 10),
        "Remboursement sortie 2024-2025 annulée - famille Le Bihan",
        BANQUE,
        "cheque",
        ("672", "25.00"),
    )
    jr.recette(
        j(4, 11),
        "Photos de classe - remise de chèques n°2",
        BANQUE,
        "cheque",
        [("7070", "286.00", "PS"), ("7070", "312.00", "MS"), ("7070", "294.00", "GS")],
    )
    jr.recette(
        j(14, 11),
        "VIR SEPA RECU /DE SARL BATIR 35 /MOTIF DON COOPERATIVE SCOLAIRE",
        BANQUE,
        "virement",
        ("771", "800.00"),
    )
    jr.recette(
        j(20, 11),
        "VIR SEPA RECU /DE MAIRIE DE SAINT-ALBAN /MOTIF SUBVENTION 2025-2026",
        BANQUE,
        "virement",
        ("7440", "680.00"),
    )
    jr.depense(
        j(2, 12),
        "Photos de classe - Photographe Lumière (facture 2025-131)",
        BANQUE,
        "cheque",
        [("6070", "181.50", "PS"), ("6070", "198.40", "MS"), ("6070", "186.90", "GS")],
    )
    jr.depense(
        j(16, 12),
        "Spectacle de Noël - Cie Les Zinzins (facture 2025-52)",
        BANQUE,
        "cheque",
        ("6226", "350.00"),
    )
    jr.depense(
        j(18, 12),
        "Goûter de Noël - Boulangerie Au Pain Doré",
        CAISSE,
        "especes",
        ("6257", "28.40"),
    )
    jr.depense(
        j(9, 1),
        "Albums et imagiers - Librairie Le Failler",
        BANQUE,
        "cheque",
        [("6183", "62.30", "PS"), ("6183", "58.90", "MS"), ("6183", "71.20", "GS")],
    )
    jr.depense(
        j(3, 2),
        "Appareil photo numérique - cahiers de vie des classes - Boulanger",
        BANQUE,
        "cheque",
        ("68000008", "189.99"),
    )
    jr.depense(
        j(12, 3),
        "Graines, terreau et jardinières - projet jardin GS",
        BANQUE,
        "cheque",
        ("6068", "74.35", "GS"),
    )
    jr.recette(
        j(30, 4),
        "Sortie à la ferme - participation des familles (remise n°3, 52 chèques)",
        BANQUE,
        "cheque",
        [("7068", "80.00", "PS"), ("7068", "92.00", "MS"), ("7068", "88.00", "GS")],
    )
    jr.depense(
        j(19, 5),
        "Car pour sortie à la ferme - Transports Kéolis",
        BANQUE,
        "cheque",
        [("6241", "120.00", "PS"), ("6241", "120.00", "MS"), ("6241", "120.00", "GS")],
    )
    jr.depense(
        j(19, 5),
        "Ferme pédagogique de la Tremblais - entrées (68 élèves)",
        BANQUE,
        "cheque",
        [("6251", "130.00", "PS"), ("6251", "140.00", "MS"), ("6251", "138.00", "GS")],
    )
    jr.recette(
        j(26, 6),
        "Fête de l'école - buvette et stands (espèces)",
        CAISSE,
        "especes",
        ("7088", "486.50", "Fête de l'école"),
    )
    jr.depense(
        j(26, 6),
        "Fête de l'école - boissons et gâteaux",
        CAISSE,
        "especes",
        ("6257", "72.80", "Fête de l'école"),
    )
    jr.virement(
        j(29, 6),
        "Versement espèces fête de l'école au Crédit Mutuel",
        CAISSE,
        BANQUE,
        "400.00",
        "especes",
    )
    for mois in (10, 1, 4, 7):
        jr.depense(
            j(5, mois),
            f"FRAIS TENUE DE COMPTE {j(5, mois):%m/%Y}",
            BANQUE,
            "prelevement",
            ("627", "10.80"),
        )
    return jr


# -- The Crédit Mutuel statement of October 2025, consistent with the year -------------

# (bank date, label, signed amount). Cheque 4518203 of 29 September is cashed on
# 6 October; cheque 4518209 of 17 October only in November; the deposit slip
# (bordereau 0002145) of 30 September is credited on 1 October.
OPERATIONS_OCTOBRE = [
    (j(1, 10), "REMISE CHEQUES 0002145", "330.00"),
    (j(6, 10), "FRAIS TENUE DE COMPTE", "-3.60"),
    (j(6, 10), "CHEQUE 4518203", "-52.00"),
    (j(7, 10), "CHEQUE 4518204", "-15.00"),
    (j(8, 10), "REMISE CHEQUES 0002146", "165.00"),
    (j(9, 10), "CHEQUE 4518205", "-268.40"),
    (j(14, 10), "CHEQUE 4518206", "-121.00"),
    (j(15, 10), "REMISE CHEQUES 0002147", "70.00"),
    (j(16, 10), "VERSEMENT ESPECES", "95.00"),
    (j(16, 10), "CHEQUE 4518207", "-88.30"),
    (j(22, 10), "REMISE CHEQUES 0002148", "55.00"),
    (j(23, 10), "CHEQUE 4518208", "-59.90"),
]


def releve_octobre(jr: Journal, chemin: Path) -> None:
    """Write the October statement as Crédit Mutuel exports it (cp1252, `;`, decimal comma)."""
    # The bank's balance on 30 September: the books, plus the cheque not yet cashed,
    # minus the deposit slip not yet credited.
    solde = jr.solde(BANQUE, j(30, 9)) + d("52.00") - d("330.00")
    lignes = ["Date;Date de valeur;Débit;Crédit;Libellé;Solde"]
    for jour, libelle, texte in OPERATIONS_OCTOBRE:
        montant = d(texte)
        solde += montant
        valeur = jour + dt.timedelta(days=1) if libelle.startswith("REMISE") else jour
        debit = euros(montant).replace(" ", "") if montant < 0 else ""
        credit = euros(montant).replace(" ", "") if montant > 0 else ""
        solde_texte = euros(solde).replace(" ", "")
        lignes.append(f"{jour:%d/%m/%Y};{valeur:%d/%m/%Y};{debit};{credit};{libelle};{solde_texte}")
    chemin.write_bytes(("\r\n".join(lignes) + "\r\n").encode("cp1252"))


def main() -> None:
    annee = annee_jules_ferry()
    annee.ecrire(ICI / "jules-ferry-2025-2026.csv")
    releve_octobre(annee, ICI / "releve-banque-2025-10.csv")
    annee_exceptionnels().ecrire(ICI / "exceptionnels-2025-2026.csv")


if __name__ == "__main__":
    main()
