"""Fixtures for the teaching tests: every discovered lab, its answers, its one execution.

Each lab and solution notebook executes ONCE per test session, through the grader (so the
same run proves the notebook runs clean and that the grader scores it): the
``graded_notebooks`` fixture. Under pytest-xdist the first worker to need it runs it and
the others read its results, behind a file lock.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import nbformat
import pytest

from reactive_lab.teaching import grade, labgen, labs

ROOT = Path(__file__).resolve().parents[2]
LABS = list(labs.discover())
NOTEBOOKS = [ROOT / folder / f"{lab}.ipynb" for lab in LABS for folder in ("solutions", "labs")]


def notebook_answers(solution_path: Path, *, lab: bool = False) -> dict:
    """Run a solution's (or its generated lab's) code cells, not its checks; return the names.

    These are what the tests call the learner's answers: the functions the solution defines,
    or the placeholders the untouched lab leaves, ready to hand to the checks.
    """
    solution_source, lab_source = labgen.lab_text(solution_path)
    nb = nbformat.reads(lab_source if lab else solution_source, as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and not labgen.is_check_cell(cell.source):
            exec(labgen.without_magics(cell.source), namespace)
    return namespace


@pytest.fixture(scope="session")
def solution_answers():
    """{lab id: the names the solution notebook defines}."""
    return {lab: notebook_answers(ROOT / "solutions" / f"{lab}.ipynb") for lab in LABS}


@pytest.fixture(scope="session")
def lab_answers():
    """{lab id: the names the untouched generated lab defines (placeholders)}."""
    return {lab: notebook_answers(ROOT / "solutions" / f"{lab}.ipynb", lab=True)
            for lab in LABS}


@pytest.fixture
def short_time_limit(monkeypatch):
    from reactive_lab.teaching import limits

    monkeypatch.setattr(limits, "TIME_LIMIT", 0.3)


@pytest.fixture(scope="session")
def graded_notebooks(tmp_path_factory, worker_id):
    """Grade every lab and solution notebook once: {path: (result, executed notebook)}."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the folder every xdist worker of this session shares
    cache = shared / "graded-notebooks"
    with open(shared / "graded-notebooks.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (cache / "results.json").exists():
            results = grade.grade_all([str(p) for p in NOTEBOOKS], timeout=120,
                                      executed=cache / "executed")
            (cache / "results.json").write_text(json.dumps(results))
    results = json.loads((cache / "results.json").read_text())
    executed = sorted((cache / "executed").glob("*.ipynb"))
    return {path: (result, nbformat.read(done, as_version=4))
            for path, result, done in zip(NOTEBOOKS, results, executed)}
