"""The README's first screen tells a teacher what coop is and how to install it."""

from __future__ import annotations

import re
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]


def test_the_first_screen_says_what_it_does_and_how_to_install_it_without_a_venv():
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    premier_ecran = "\n".join(readme.splitlines()[:40])
    assert "coopérative scolaire OCCE" in premier_ecran
    for commande in ("pipx install .", "uv tool install .", "Windows", "macOS", "Linux"):
        assert commande in premier_ecran
    assert readme.index("pipx install .") < readme.index("pip install -e '.[test]'")


def test_the_readme_links_every_documentation_page_and_their_links_hold():
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    pages = sorted((RACINE / "docs").glob("*.md"))
    assert len(pages) >= 4
    for page in pages:
        assert f"(docs/{page.name})" in readme
        for cible in re.findall(r"\]\(([^)#:]+)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / cible).exists(), f"{page.name}: {cible}"
