"""The pre-commit hook `coop-verifier` (.pre-commit-hooks.yaml), run by pre-commit in a test
repository, as a user who adds it to their .pre-commit-config.yaml gets it (issue 14).

The first test runs the hook as the manifest declares it (its entry, its `files`, its
`require_serial`) through `pre-commit run` on staged files, with `language: system` so
that it uses the coopcompta installed here. The second, `pre-commit try-repo`, also
installs coopcompta from this checkout into the hook's own environment, as a user's
first commit does: pip fetches the dependencies from the package index each time (10 to
15 s), so it runs only with COOP_TEST_TRY_REPO=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

RACINE = Path(__file__).parents[2]
JOURNAUX = Path(__file__).parents[1] / "data" / "journaux"
COOP = Path(sys.executable).parent / "coop"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (RACINE / ".git").exists(),
    reason="pre-commit needs git and this project as a git repository",
)


def _git(depot: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=depot, check=True, capture_output=True)


def _pre_commit(depot: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(depot.parent / "cache"), "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=depot,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def depot(tmp_path) -> Path:
    """A repository of journals with a clean one, a failing one and a README, all staged."""
    depot = tmp_path / "depot"
    (depot / "journaux").mkdir(parents=True)
    shutil.copy(JOURNAUX / "propre.csv", depot / "journaux")
    shutil.copy(JOURNAUX / "total_faux.csv", depot / "journaux")
    (depot / "LISEZMOI.md").write_text("Les journaux de l'école.\n", encoding="utf-8")
    _git(depot, "init", "-q")
    _git(depot, "add", ".")
    return depot


def test_the_hook_stops_a_commit_whose_journal_has_an_error_and_lets_a_clean_one_pass(depot):
    manifeste = yaml.safe_load((RACINE / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in manifeste if h["id"] == "coop-verifier"]
    assert (hook["entry"], hook["language"]) == ("coop verifier", "python")
    local = {**hook, "language": "system", "entry": f"{COOP} verifier"}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (depot / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(depot, "add", ".pre-commit-config.yaml")

    r = _pre_commit(depot, "run")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "coop verifier (journaux CSV)" in r.stdout and "Failed" in r.stdout
    assert "✗ erreur [ventilation-desequilibree] pièce 8 du 10/03/2026 (total_faux.csv:13)" in (
        r.stdout
    )
    # The two staged journals, and not the README, were handed to coop verifier.
    assert "2 fichiers : 1 sans anomalie, 1 en échec, 0 inutilisable" in r.stdout

    _git(depot, "rm", "-q", "--cached", "journaux/total_faux.csv")
    r = _pre_commit(depot, "run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout


@pytest.mark.skipif(
    os.environ.get("COOP_TEST_TRY_REPO") != "1",
    reason="installs coopcompta in a fresh environment (10 to 15 s): COOP_TEST_TRY_REPO=1",
)
def test_try_repo_installs_the_hook_from_this_checkout_and_runs_it(depot):
    r = _pre_commit(depot, "try-repo", str(RACINE), "coop-verifier")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "✗ erreur [ventilation-desequilibree] pièce 8 du 10/03/2026 (total_faux.csv:13)" in (
        r.stdout
    )
    assert "2 fichiers : 1 sans anomalie, 1 en échec, 0 inutilisable" in r.stdout
