"""Use cases: one module per thing a treasurer does, what the CLI and most tests call.

Each function takes the open ledger (`comptabilite.ouvrir_ledger`) — except creating one
(`creation`) and `verifier_fichier`, which are given paths — reads through storage,
applies the domain's rules, and writes in one transaction. The modules: creation (init),
saisie, importation, ventiler (and coop corriger), regles, journal, bilan, verifier, cloture,
export; for the year-end documents: rapprochement, caisse, regies, registres, fin_annee (what
bilan, export and verifier gather from them) and scellement (the seal of a closed exercice).
"""
