"""The fixed accounts of the chart: those the tool itself writes to or reasons about.

Every other account comes from the chart file (`data/plan_comptable.yaml`, or a
department's own). 110 and 471 must exist in any chart (`importers.plan` refuses one
without them); the others are the OCCE numbers the tool offers by default and recognises.
"""

from __future__ import annotations

COMPTE_REPORT = "110"  # report à nouveau: the opening balances
COMPTE_RESULTAT = "12"  # résultat de l'exercice, on the bilan's passif
COMPTE_ATTENTE = "471"  # à ventiler: bank lines waiting for an account
COMPTE_BANQUE = "512"
COMPTE_CCP = "514"  # La Banque Postale
COMPTE_ASSOCONNECT = "517"  # compte en ligne: card payments through AssoConnect
COMPTE_CAISSE = "53"
COMPTE_FRAIS_BANCAIRES = "627"  # bank fees, online payment commissions
COMPTE_BIENS_DURABLES = "68000008"  # also written into the cahier d'inventaire

COMPTES_BANCAIRES = (COMPTE_BANQUE, COMPTE_CCP)  # reconciled with a bank statement
PREFIXE_BANQUES = "51"
PREFIXE_REGIE = "541"  # régies d'avances, one account per class: 5411, 5412…
PREFIXE_VIREMENTS_INTERNES = "58"
PREFIXE_SUBVENTIONS = "74"
# Accounts holding notes and coins (caisse and régies): they cannot go below zero.
PREFIXES_CAISSE = (COMPTE_CAISSE, PREFIXE_REGIE)
# Treasury accounts: bank, cash, régies, virements internes.
PREFIXES_TRESORERIE = (PREFIXE_BANQUES, COMPTE_CAISSE, "54", PREFIXE_VIREMENTS_INTERNES)
