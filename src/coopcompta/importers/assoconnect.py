"""AssoConnect exports recognised by their column names, CSV (with BOM) or .xlsx.

No public sample of AssoConnect's exports was found: the column names below are the
ones its interface shows and their usual variants, matched like every header (no case,
accents or filler words). A payments export has a date, an amount, fees or a tip, and a
payer or a collection; a payouts export a payout date and an amount.

What the import then does with them (`usecases.importation`): each payment is a receipt
on 517 at its gross amount, a tip the payer added for AssoConnect is not the
cooperative's income (taken off here), the fees charged to the association are a 627
expense, and each payout is a virement interne 517 → 512 that the bank's
`VIR … ASSOCONNECT` line then confirms. A refund in the same export cancels its payment
(neither is recorded, a note says so); a refund of a payment exported earlier is a debit
on 517 left on 471 with its reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from coopcompta.domain.errors import ImportInvalide
from coopcompta.domain.model import ReleveLigne
from coopcompta.domain.money import formater_euros
from coopcompta.importers.csv_releve import ProfilCsv, cle

PAIEMENTS = "assoconnect-paiements"
VERSEMENTS = "assoconnect-versements"

_PAIEMENT: dict[str, tuple[str, ...]] = {
    "date": ("Date", "Date du paiement", "Date de paiement", "Date de la transaction"),
    "montant": ("Montant", "Montant payé", "Montant TTC", "Montant brut", "Montant total"),
    "frais": ("Frais", "Frais de transaction", "Commission", "Frais AssoConnect"),
    "net": ("Montant net", "Net", "Montant reversé"),
    "payeur": ("Payeur", "Nom du payeur", "Contact", "Nom et prénom", "Adhérent"),
    "collecte": ("Formulaire", "Collecte", "Campagne", "Nom de la collecte", "Produit"),
    "statut": ("Statut", "État", "Statut du paiement"),
    "pourboire": ("Pourboire", "Contribution", "Contribution volontaire", "Don à AssoConnect"),
    "type": ("Type", "Type de transaction", "Type d'opération", "Nature"),
}
_VERSEMENT: dict[str, tuple[str, ...]] = {
    "date": ("Date du versement", "Date de versement", "Date du virement", "Date de virement"),
    "montant": ("Montant", "Montant versé", "Montant du versement", "Montant viré"),
    "libelle": ("Référence", "Référence du versement", "Libellé", "Identifiant"),
    "statut": ("Statut", "État"),
}


def _trouver(entete: Sequence[str], synonymes: dict[str, tuple[str, ...]]) -> dict[str, str]:
    cles = {cle(c): c.strip() for c in entete if c.strip()}
    found = {}
    for role, noms in synonymes.items():
        for nom in noms:
            if cle(nom) in cles:
                found[role] = cles[cle(nom)]
                break
    return found


def profil_assoconnect(entete: Sequence[str]) -> ProfilCsv | None:
    """The AssoConnect layout this header shows (payments or payouts), else None."""
    v = _trouver(entete, _VERSEMENT)
    p = _trouver(entete, _PAIEMENT)
    if "date" in v and "montant" in v and "payeur" not in p:
        return ProfilCsv(
            nom="AssoConnect",
            format=VERSEMENTS,
            date=v["date"],
            libelle=(v["libelle"],) if "libelle" in v else (),
            montant=v["montant"],
            statut=v.get("statut"),
            inverser=True,  # a payout leaves the AssoConnect account
        )
    identifie = ("frais" in p or "pourboire" in p) and ("payeur" in p or "collecte" in p)
    if "date" not in p or "montant" not in p or not identifie:
        return None
    libelle = tuple(p[r] for r in ("collecte", "payeur") if r in p)
    return ProfilCsv(
        nom="AssoConnect",
        format=PAIEMENTS,
        date=p["date"],
        libelle=libelle,
        montant=p["montant"],
        frais=p.get("frais"),
        net=p.get("net"),
        payeur=p.get("payeur"),
        collecte=p.get("collecte"),
        statut=p.get("statut"),
        pourboire=p.get("pourboire"),
        type=p.get("type"),
    )


def texte_xlsx(path: Path) -> str:
    """The first sheet of an .xlsx export as `;` CSV text (dates jj/mm/aaaa, amounts with
    a decimal comma, read from their text: no float arithmetic)."""
    import datetime as dt

    from openpyxl import load_workbook

    try:
        classeur = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportInvalide(f"classeur illisible ({exc})", path.name) from None
    try:
        feuille = classeur.worksheets[0]
        sortie = io.StringIO()
        ecrire = csv.writer(sortie, delimiter=";", lineterminator="\n").writerow
        for row in feuille.iter_rows(values_only=True):
            cellules = []
            for v in row:
                if v is None:
                    cellules.append("")
                elif isinstance(v, dt.datetime | dt.date):
                    cellules.append(f"{v:%d/%m/%Y}")
                elif isinstance(v, bool):
                    cellules.append(str(v))
                elif isinstance(v, int):
                    # a reference number stays itself (987654 was « 987654,00 »)
                    cellules.append(str(v))
                elif isinstance(v, float):
                    cellules.append(_nombre_xlsx(v))
                else:
                    cellules.append(str(v))
            if any(c.strip() for c in cellules):
                ecrire(cellules)
        return sortie.getvalue()
    finally:
        classeur.close()


def _nombre_xlsx(v: float) -> str:
    """A number cell as French text: cents kept as written, never rounded (15.005 was
    « 15,00 »: more decimals stay, and the amount reader refuses them at their line)."""
    d = Decimal(str(v))
    exposant = d.as_tuple().exponent
    if not d.is_finite() or not isinstance(exposant, int):
        return str(v)
    texte = f"{d:.2f}" if exposant >= -2 else f"{d:f}"
    return texte.replace(".", ",")


def _montant(texte: str) -> Decimal:
    return Decimal(texte) if texte else Decimal("0")


def ajuster_paiements(
    lignes: Iterator[ReleveLigne], nom: str, notes: list[str]
) -> Iterator[ReleveLigne]:
    """Payments as the cooperative receives them: the tip taken off the amount; a refund
    row cancels the payment it refunds in the same file (both left out, with a note),
    otherwise it stays as a debit named « Remboursement … »."""
    paiements: list[ReleveLigne | None] = []
    remboursements: list[ReleveLigne] = []
    for lg in lignes:
        extra = lg.extra
        pourboire = _montant(extra.get("pourboire", ""))
        rembourse = "rembours" in extra.get("type", "").lower() or lg.montant < 0
        if rembourse:
            remboursements.append(lg)
            continue
        if pourboire and lg.montant > 0:
            if abs(pourboire) >= lg.montant:
                # it left a negative payment, then read as an earlier payment's refund
                raise ImportInvalide(
                    f"pourboire ({formater_euros(abs(pourboire))}) au moins égal au montant "
                    f"payé ({formater_euros(lg.montant)}) : colonnes inversées ?",
                    f"{nom}:{lg.ligne}",
                )
            lg = lg._replace(montant=lg.montant - abs(pourboire))
        paiements.append(lg)
    for r in remboursements:
        montant = abs(r.montant) - abs(_montant(r.extra.get("pourboire", "")))
        cible = next(
            (
                k
                for k, p in enumerate(paiements)
                if p is not None
                and p.extra.get("payeur") == r.extra.get("payeur")
                and p.extra.get("collecte") == r.extra.get("collecte")
                and p.montant in (abs(r.montant), montant)
            ),
            None,
        )
        if cible is not None:
            p = paiements[cible]
            assert p is not None
            paiements[cible] = None
            notes.append(
                f"{nom}:{r.ligne}: remboursement du paiement de la ligne {p.ligne} "
                f"({p.libelle}) : ni l'un ni l'autre n'est enregistré"
            )
            continue
        paiements.append(
            r._replace(montant=-abs(r.montant), libelle=f"Remboursement {r.libelle}".strip())
        )
    yield from (p for p in paiements if p is not None)
