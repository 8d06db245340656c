"""Known CSV export layouts (French banks, AssoConnect), recognised without configuration.

Each layout comes from public sources (open-source importers that hard-code the real
header, bank help pages); detection keeps the profile whose columns (and preamble) match
the most. Column names are compared through `csv_releve.cle` (no case, accents, filler
words: « Débit Euros » = « Débit »).
"""

from __future__ import annotations

from coopcompta.importers.csv_releve import ProfilCsv

# Date;Date de valeur;Débit;Crédit;Libellé;Solde (ISO-8859-15, débit written negative);
# newer exports: one signed Montant column, "Date d'opération", sometimes `,` and `.` decimals.
CREDIT_MUTUEL = "Crédit Mutuel / CIC"
CIC_DEBIT_CREDIT = ProfilCsv(
    nom=CREDIT_MUTUEL,
    date="Date",
    libelle=("Libellé",),
    debit="Débit",
    credit="Crédit",
    entete=("Date de valeur", "Solde"),
)
CIC_MONTANT = ProfilCsv(
    nom=CREDIT_MUTUEL,
    date="Date",
    libelle=("Libellé",),
    montant="Montant",
    entete=("Date de valeur", "Solde"),
)
CIC_OPERATION = ProfilCsv(
    nom=CREDIT_MUTUEL,
    date="Date d'opération",
    libelle=("Libellé",),
    montant="Montant",
    entete=("Date de valeur", "Solde"),
)

# About ten lines of account information (« Téléchargement du … », « Liste des opérations
# du compte entre … »), then Date;Libellé;Débit Euros;Crédit Euros; with multi-line quoted
# labels and unsigned amounts; card sections may follow the account's lines.
CREDIT_AGRICOLE = ProfilCsv(
    nom="Crédit Agricole",
    date="Date",
    libelle=("Libellé",),
    debit="Débit Euros",
    credit="Crédit Euros",
    preambule=r"^T[ée]l[ée]chargement du|^Liste des op[ée]rations",
    fin=r"^\W*(?:VISA|MASTERCARD|CB|CARTE)\b[^;]*\bn[o°]\s*\d|pour cette carte",
)

# Numéro Compte / Type / Compte tenu en / Date / Solde (EUROS) lines, a blank line, then
# Date;Libellé;Montant(EUROS) (older files add Montant(FRANCS)).
BANQUE_POSTALE = ProfilCsv(
    nom="La Banque Postale",
    date="Date",
    libelle=("Libellé",),
    montant="Montant(EUROS)",
    preambule=r"^Num[ée]ro Compte|^Compte tenu en|^Solde \(EUROS\)",
)

# BPCE group (Caisse d'Épargne, Banque Populaire, and Crédit Coopératif on the same
# platform): 13 columns, débit negative, crédit sometimes with « + ».
BPCE = "Caisse d'Épargne / Banque Populaire"
BPCE_2023 = ProfilCsv(
    nom=BPCE,
    date="Date operation",
    libelle=("Libelle operation", "Informations complementaires"),
    debit="Debit",
    credit="Credit",
    entete=("Date de comptabilisation", "Libelle simplifie", "Reference", "Date de valeur"),
)
# Older Caisse d'Épargne export: « Code de la banque : … » preamble, balance lines,
# Date;Numéro d'opération;Libellé;Débit;Crédit;Détail; with dd/mm/yy dates.
CAISSE_EPARGNE_ANCIEN = ProfilCsv(
    nom=BPCE,
    date="Date",
    libelle=("Libellé", "Détail"),
    debit="Débit",
    credit="Crédit",
    entete=("Numéro d'opération",),
)

# An account line (« ="0123456789";… »), then
# Date de l'opération;Libellé;Détail de l'écriture;Montant de l'opération;Devise (cp1252).
SOCIETE_GENERALE = ProfilCsv(
    nom="Société Générale",
    date="Date de l'opération",
    libelle=("Libellé", "Détail de l'écriture"),
    montant="Montant de l'opération",
    entete=("Devise",),
)

# An account line and a blank line, then
# Date operation;Libelle court;Type operation;Libelle operation;Montant operation en euro.
BNP_PARIBAS = ProfilCsv(
    nom="BNP Paribas",
    date="Date operation",
    libelle=("Libelle operation",),
    montant="Montant operation en euro",
    entete=("Libelle court", "Type operation"),
)

# No header, cp1252: an opening balance line `date;solde;;n° de compte`, then
# date;montant;mode;n° de chèque;libellé;libellé;…, the label in the 5th column (card
# payments, debits) or the 6th (credit transfers), amounts without thousands mark and
# sometimes without decimals (`-10`), lines of 5 to 8 fields; a closing balance line
# like the opening one ends the file (read by `importers.solde` for the reconciliation).
LCL = ProfilCsv(
    nom="LCL",
    date=1,
    montant=2,
    cheque=4,
    libelle=(5, 6),
    sans_entete=True,
    largeur_variable=True,
    solde=r"^\d\d/\d\d/\d{4};[-+]?\d[\d \u00a0]*(?:,\d{1,2})?;;[^;]*;?\s*$",
    preambule=(
        r"^\d\d/\d\d/\d{4};[-+]?\d[\d \u00a0]*(?:,\d{1,2})?;"
        r"(?:Carte|Virement|Pr[ée]l[èe]vement|Ch[èe]que|Remise|Esp[èe]ces|Frais|Divers|Pr[êe]t)"
    ),
)

# AssoConnect exports (layout ASSUMED, no public sample found; a YAML profile with
# `format: assoconnect-paiements` adapts the column names).
ASSOCONNECT_PAIEMENTS = ProfilCsv(
    nom="AssoConnect",
    format="assoconnect-paiements",
    date="Date",
    libelle=("Formulaire", "Payeur"),
    montant="Montant",
    frais="Frais",
    net="Montant net",
    payeur="Payeur",
    collecte="Formulaire",
    statut="Statut",
)
# Payouts leave the AssoConnect account for the bank: amounts are negated.
ASSOCONNECT_VERSEMENTS = ProfilCsv(
    nom="AssoConnect",
    format="assoconnect-versements",
    date="Date du versement",
    libelle=("Référence",),
    montant="Montant",
    statut="Statut",
    inverser=True,
)

BANQUES: tuple[ProfilCsv, ...] = (
    CIC_DEBIT_CREDIT,
    CIC_MONTANT,
    CIC_OPERATION,
    CREDIT_AGRICOLE,
    BANQUE_POSTALE,
    BPCE_2023,
    CAISSE_EPARGNE_ANCIEN,
    SOCIETE_GENERALE,
    BNP_PARIBAS,
    LCL,
    ASSOCONNECT_PAIEMENTS,
    ASSOCONNECT_VERSEMENTS,
)
