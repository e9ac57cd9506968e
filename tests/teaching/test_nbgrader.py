"""The solution notebooks work with nbgrader as it is, at its default settings.

nbgrader's ``generate_assignment`` refuses a solution region in a cell without its metadata
("Solution region detected in a non-solution cell"); labgen writes that metadata into the
solutions. This runs nbgrader's own preprocessors on every solution notebook.
"""

from pathlib import Path

import nbformat
import pytest
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, ClearSolutions, LockCells

from reactive_lab.teaching import labgen

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_nbgrader_generates_a_student_version_with_its_defaults(solution):
    """CheckCellMetadata, ClearSolutions (enforce_metadata on), LockCells and ClearOutput,
    each at its defaults, accept the solution and leave no line of a solution behind."""
    nb = nbformat.read(solution, as_version=4)
    secret = labgen.solution_lines(nb)
    resources = {}
    for preprocessor in (CheckCellMetadata(), ClearSolutions(), LockCells(), ClearOutput()):
        assert preprocessor.enabled or isinstance(preprocessor, ClearOutput)
        nb, resources = preprocessor.preprocess(nb, resources)
    assert ClearSolutions().enforce_metadata is True
    student = {line.strip() for cell in nb.cells for line in cell.source.splitlines()}
    assert secret and not secret & student
    answer_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert answer_cells and all("YOUR CODE HERE" in c.source for c in answer_cells)
    assert all(c.metadata.get("deletable") is False for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade"))


def test_nbgrader_refuses_a_solution_without_the_metadata():
    """The test can fail: without labgen's metadata nbgrader refuses the notebook."""
    nb = nbformat.read(SOLUTIONS[0], as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    with pytest.raises(RuntimeError, match="non-solution cell"):
        ClearSolutions().preprocess(nb, {})


@pytest.mark.slow
def test_nbgrader_generate_assignment_command_accepts_every_solution(tmp_path):
    """`nbgrader generate_assignment` itself, with no configuration at all, releases a
    student version of every solution with each answer cleared."""
    import os
    import shutil
    import subprocess
    import sys

    source = tmp_path / "source" / "labs"
    source.mkdir(parents=True)
    for solution in SOLUTIONS:
        shutil.copy(solution, source)
    bin_dir = os.path.dirname(sys.executable)  # nbgrader runs alembic from here
    done = subprocess.run(
        [os.path.join(bin_dir, "nbgrader"), "generate_assignment", "labs",
         f"--CourseDirectory.root={tmp_path}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"})
    assert done.returncode == 0, done.stderr[-2000:]
    for solution in SOLUTIONS:
        released = nbformat.read(tmp_path / "release" / "labs" / solution.name, as_version=4)
        secret = labgen.solution_lines(nbformat.read(solution, as_version=4))
        lines = {line.strip() for cell in released.cells for line in cell.source.splitlines()}
        assert not secret & lines
        assert any("YOUR CODE HERE" in cell.source for cell in released.cells)
