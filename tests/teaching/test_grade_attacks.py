"""The grader under attack: each attack notebook scores what the untouched lab scores.

Each notebook in ``tests/data/teaching/attacks/`` is an untouched lab plus one cell written
as a student who wants marks without solving the exercises would (issue 13): values that
lie, patched builtins and imports, rewriting the package on disk, an IPython start-up file
for the next kernel, a forked daemon forging results on every pipe, hunting for the grader's
process, its CSV and a classmate's submission, a daemon holding stdout open, the network.
One grader run grades them all beside a classmate's solution and two untouched labs.
"""

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reactive_lab.teaching import grade

ROOT = Path(__file__).resolve().parents[2]
ATTACKS = sorted((ROOT / "tests" / "data" / "teaching" / "attacks").glob("*.ipynb"))
PACKAGE = ROOT / "reactive_lab"


def _digest(paths) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.mark.slow
def test_every_attack_scores_what_the_untouched_lab_scores(tmp_path):
    """Every attack gets the untouched lab's score, the classmate's solution keeps full
    marks and its file, the package and the CSV are untouched, and the run ends."""
    run = tmp_path / "attack-run"
    run.mkdir()
    victim = run / "victim-00-warm-up.ipynb"
    shutil.copy(ROOT / "solutions" / "00-warm-up.ipynb", victim)
    untouched = [run / "untouched-00-warm-up.ipynb", run / "untouched-01-distribution.ipynb"]
    shutil.copy(ROOT / "labs" / "00-warm-up.ipynb", untouched[0])
    shutil.copy(ROOT / "labs" / "01-distribution.ipynb", untouched[1])
    attacks = [shutil.copy(path, run / path.name) for path in ATTACKS]
    package_before = _digest(PACKAGE.rglob("*.py"))
    victim_before = victim.read_bytes()
    csv_path = tmp_path / "grades.csv"
    timeout = 30
    hard_limit = 2 * (timeout + grade.STARTUP + 8 * grade.CHECK_BUDGET)
    done = subprocess.run(
        # The untouched labs go last: anything an attack left behind would reach them.
        [sys.executable, "-m", "reactive_lab.teaching.grade", str(victim), *map(str, attacks),
         *map(str, untouched), "--csv", str(csv_path), "--timeout", str(timeout)],
        capture_output=True, text=True, check=False, timeout=hard_limit)
    assert done.returncode == 0, done.stderr
    written = csv_path.read_bytes()
    rows = list(csv.reader(written.decode().splitlines()))[1:]

    def total(path) -> tuple[float, int]:
        mine = [row for row in rows if row[0] == str(path)]
        return sum(float(row[3]) for row in mine), len(mine)

    assert total(victim) == (10.0, 5)
    assert total(untouched[0]) == (0.0, 5) and total(untouched[1]) == (0.0, 6)
    for attack in attacks:
        lab = nbformat.read(attack, as_version=4).metadata["reactive_lab"]["lab"]
        assert total(attack) == (0.0, 5 if lab == "00-warm-up" else 6), (attack, total(attack))
    assert victim.read_bytes() == victim_before
    assert _digest(PACKAGE.rglob("*.py")) == package_before
    # No daemon outlived the run: nothing rewrites the results after the grader exits.
    subprocess.run(["sleep", "2"], check=True)
    assert csv_path.read_bytes() == written
