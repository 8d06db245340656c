"""What CI platforms read from `coop verifier`: GitHub workflow commands and JUnit XML.

`--format github` prints one `::error` or `::warning` command per anomaly, on the
file and line it concerns, so GitHub shows it on the changed line of a journal
CSV. `--format junit` writes one test suite per input and one test case per check
(`checks.CODES`): GitLab, Jenkins and others list the failures. Pure: strings in,
strings out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence

from coopcompta.domain.checks import CODES
from coopcompta.domain.controle import Controle
from coopcompta.domain.localisation import lieu_principal
from coopcompta.domain.model import Anomalie, Gravite

TITRE = "coop verifier"
CAS_LECTURE = "lecture"  # the JUnit test case of an input that could not be read


def _donnee(texte: str) -> str:
    """A workflow command's message: GitHub reads %, CR and LF as escapes."""
    return texte.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _propriete(texte: str) -> str:
    """A workflow command's property value: also `:` and `,`, which separate properties."""
    return _donnee(texte).replace(":", "%3A").replace(",", "%2C")


def commande_github(niveau: str, fichier: str, ligne: int | None, titre: str, message: str) -> str:
    """`::error file=journal.csv,line=13,title=…::message`."""
    proprietes = [f"file={_propriete(fichier)}"]
    if ligne is not None:
        proprietes.append(f"line={ligne}")
    proprietes.append(f"title={_propriete(titre)}")
    return f"::{niveau} {','.join(proprietes)}::{_donnee(message)}"


def annotations_github(c: Controle, fichier: str | None = None) -> Iterator[str]:
    """The workflow commands of one input; `fichier` is its path from the repository root."""
    fichier = fichier or c.fichier
    if c.probleme is not None:
        yield commande_github(
            "error", fichier, c.probleme.ligne, f"{TITRE} [fichier inutilisable]", c.probleme.quoi
        )
        return
    assert c.verification is not None
    for a in c.verification.anomalies:
        lieu = lieu_principal(a)
        yield commande_github(
            "error" if a.gravite is Gravite.ERREUR else "warning",
            fichier,
            lieu.ligne if lieu else None,
            f"{TITRE} [{a.code}]",
            a.message,
        )


# -- JUnit XML ----------------------------------------------------------------------


def _texte(a: Anomalie, fichier: str) -> str:
    lieu = lieu_principal(a)
    ou = f"{fichier}:{lieu.ligne}" if lieu and lieu.ligne is not None else fichier
    return f"{ou}: {a.gravite.value} [{a.code}] {a.message}"


def _suite(c: Controle, strict: bool) -> tuple[ET.Element, int, int, int]:
    suite = ET.Element("testsuite", name=c.fichier)
    if c.probleme is not None:
        cas = ET.SubElement(
            suite, "testcase", classname=c.fichier, name=CAS_LECTURE, file=c.fichier
        )
        if c.probleme.ligne is not None:
            cas.set("line", str(c.probleme.ligne))
        erreur = ET.SubElement(
            cas, "error", type="fichier-inutilisable", message=c.probleme.place(c.fichier)
        )
        erreur.text = c.probleme.place(c.fichier)
        return suite, 1, 0, 1
    v = c.verification
    assert v is not None
    proprietes = ET.SubElement(suite, "properties")
    for nom, valeur in (
        ("cooperative", c.cooperative),
        ("numero_occe", c.numero_occe),
        ("exercice", v.exercice.nom),
    ):
        if valeur:
            ET.SubElement(proprietes, "property", name=nom, value=valeur)
    par_code: dict[str, list[Anomalie]] = {code: [] for code in CODES}
    for a in v.anomalies:
        par_code.setdefault(a.code, []).append(a)
    echecs = 0
    for code, anomalies in par_code.items():
        cas = ET.SubElement(suite, "testcase", classname=c.fichier, name=code, file=c.fichier)
        if not anomalies:
            continue
        lieu = next((lieu_principal(a) for a in anomalies if lieu_principal(a)), None)
        if lieu is not None and lieu.ligne is not None:
            cas.set("line", str(lieu.ligne))
        texte = "\n".join(_texte(a, c.fichier) for a in anomalies)
        echoue = any(a.gravite is Gravite.ERREUR for a in anomalies) or strict
        if echoue:
            echecs += 1
            premier = anomalies[0]
            en_plus = f" (et {len(anomalies) - 1} autre(s))" if len(anomalies) > 1 else ""
            echec = ET.SubElement(
                cas, "failure", type=premier.gravite.value, message=premier.message + en_plus
            )
            echec.text = texte
        else:  # a warning passes unless --strict: shown beside the passed test
            ET.SubElement(cas, "system-out").text = texte
    return suite, len(par_code), echecs, 0


def junit_xml(controles: Sequence[Controle], strict: bool = False) -> str:
    """The JUnit XML report of a run: one `<testsuite>` per input, one `<testcase>` per check."""
    racine = ET.Element("testsuites", name=TITRE)
    tests = echecs = erreurs = 0
    for c in controles:
        suite, n, f, e = _suite(c, strict)
        suite.set("tests", str(n))
        suite.set("failures", str(f))
        suite.set("errors", str(e))
        suite.set("skipped", "0")
        suite.set("time", f"{c.duree:.3f}")
        racine.append(suite)
        tests, echecs, erreurs = tests + n, echecs + f, erreurs + e
    racine.set("tests", str(tests))
    racine.set("failures", str(echecs))
    racine.set("errors", str(erreurs))
    ET.indent(racine)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(racine, encoding="unicode")
