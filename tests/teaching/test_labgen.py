"""Tests of the lab generator: labs are in sync, leak nothing, run, and bad markers are refused."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reactive_lab.teaching import labgen

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
TINY = ROOT / "tests" / "data" / "teaching" / "tiny-solution.ipynb"


def test_labs_match_a_fresh_generation_from_solutions():
    """labs/ is exactly what labgen makes from solutions/ (run `make labs` if this fails)."""
    status = labgen.main(["--check", "--solutions-dir", str(ROOT / "solutions"),
                          "--labs-dir", str(ROOT / "labs")])
    assert status == 0


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_lab_contains_no_solution_line(solution):
    """No line from inside a solution region survives into the lab."""
    secret = labgen.solution_lines(nbformat.read(solution, as_version=4))
    lab = nbformat.read(ROOT / "labs" / solution.name, as_version=4)
    lab_lines = {line.strip() for cell in lab.cells for line in cell.source.splitlines()}
    assert secret, "a solution notebook without solution regions"
    assert not secret & lab_lines


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_lab_has_no_outputs_and_names_its_lab(solution):
    """Labs carry no outputs or execution counts, and metadata.reactive_lab.lab = the stem."""
    lab = nbformat.read(ROOT / "labs" / solution.name, as_version=4)
    for cell in lab.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "solution" not in cell.metadata.get("tags", [])
    assert lab.metadata["reactive_lab"]["lab"] == solution.stem


def test_generation_is_idempotent(tmp_path):
    """Generating twice gives byte-identical labs and leaves the solution as it was."""
    solution = tmp_path / "tiny.ipynb"
    shutil.copy(TINY, solution)
    labs = tmp_path / "labs"
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    first = (labs / "tiny.ipynb").read_bytes(), solution.read_bytes()
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    assert ((labs / "tiny.ipynb").read_bytes(), solution.read_bytes()) == first
    assert labgen.main([str(solution), "--labs-dir", str(labs), "--check"]) == 0


def test_check_mode_reports_a_stale_lab(tmp_path, capsys):
    """--check writes nothing and exits 1 when a lab is missing or differs."""
    solution = tmp_path / "tiny.ipynb"
    shutil.copy(TINY, solution)
    labs = tmp_path / "labs"
    assert labgen.main([str(solution), "--labs-dir", str(labs), "--check"]) == 1
    assert not labs.exists()
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    (labs / "tiny.ipynb").write_text((labs / "tiny.ipynb").read_text() + " ")
    assert labgen.main([str(solution), "--labs-dir", str(labs), "--check"]) == 1
    assert "tiny.ipynb" in capsys.readouterr().err


def test_stubs_run_and_return_the_placeholder():
    """A function region becomes `return ...`, a top-level region `name = ...`; both run."""
    _, text = labgen.lab_text(TINY)
    lab = nbformat.reads(text, as_version=4)
    namespace = {}
    for cell in lab.cells:
        if cell.cell_type == "code" and "check" not in cell.metadata.get("tags", []):
            exec(cell.source, namespace)
    assert namespace["double"](3) is ...
    assert namespace["answer"] is ... and namespace["limit"] is ...
    exercise_cells = [c for c in lab.cells if "exercise" in c.metadata.get("tags", [])]
    assert len(exercise_cells) == 2
    assert all(labgen.PLACEHOLDER_COMMENT in c.source for c in exercise_cells)


def test_solution_only_cells_are_dropped_and_check_cells_locked():
    """Cells tagged `solution` vanish; check cells are tagged `check` and read-only."""
    _, text = labgen.lab_text(TINY)
    lab = nbformat.reads(text, as_version=4)
    sources = "\n".join(cell.source for cell in lab.cells)
    assert "secret" not in sources and "because of" not in sources
    (check_cell,) = [c for c in lab.cells if "check" in c.metadata.get("tags", [])]
    assert check_cell.metadata["editable"] is False


def _notebook(*cells) -> nbformat.NotebookNode:
    made = []
    for kind, source in cells:
        cell = (nbformat.v4.new_code_cell if kind == "code" else
                nbformat.v4.new_markdown_cell)(source)
        made.append(cell)
    return nbformat.v4.new_notebook(cells=made)


MALFORMED = [
    # a region opened and never closed
    ("code", "def f():\n    ### BEGIN SOLUTION\n    return 1\n", "never closed"),
    # an end with no beginning
    ("code", "x = 1\n### END SOLUTION\n", "without"),
    # a region opened inside another
    ("code", "### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n"
             "### END SOLUTION\n", "nested"),
    # markers belong in code cells only
    ("markdown", "Here:\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "markdown cell"),
    # a marker with a typo
    ("code", "### BEGIN SOLUTIONS\nx = 1\n### END SOLUTION\n", "malformed marker"),
    # a top-level region that assigns nothing has no runnable stub
    ("code", "### BEGIN SOLUTION\nprint('hi')\n### END SOLUTION\n", "neither inside"),
    # a region wrapping a whole function: put the markers inside its body
    ("code", "### BEGIN SOLUTION\ndef f():\n    return 1\n### END SOLUTION\n", "neither inside"),
    # solution code that does not parse
    ("code", "def f(:\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", "parse"),
]


@pytest.mark.parametrize("kind, source, problem", MALFORMED,
                         ids=["unclosed", "end-only", "nested", "markdown", "typo",
                              "no-assignment", "whole-function", "syntax"])
def test_labgen_refuses_malformed_solutions_naming_the_cell(kind, source, problem):
    """A malformed notebook raises LabError naming the notebook, the cell and the problem."""
    nb = _notebook(("markdown", "# Title"), (kind, source))
    with pytest.raises(labgen.LabError) as caught:
        labgen.generate_lab(nb, "solutions/99-broken.ipynb", "99-broken")
    message = str(caught.value)
    assert "solutions/99-broken.ipynb, cell 1" in message
    assert problem in message


def test_command_line_refuses_a_malformed_notebook(tmp_path):
    """The CLI exits non-zero and prints the notebook and cell, writing no lab."""
    broken = tmp_path / "broken.ipynb"
    nbformat.write(_notebook(("code", "### END SOLUTION\n")), broken)
    done = subprocess.run(
        [sys.executable, "-m", "reactive_lab.teaching.labgen", str(broken),
         "--labs-dir", str(tmp_path / "labs")],
        capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert f"{broken}, cell 0" in done.stderr
    assert not (tmp_path / "labs" / "broken.ipynb").exists()


def test_labgen_refuses_a_file_that_is_not_a_notebook(tmp_path):
    """A file that is not a notebook is an error naming the file."""
    bogus = tmp_path / "bogus.ipynb"
    bogus.write_text("not json")
    with pytest.raises(labgen.LabError, match="bogus.ipynb"):
        labgen.lab_text(bogus)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_lab_installs_the_course_from_the_configured_repository(solution):
    """The set-up cell's Colab install URL is _config.yml's repository.url."""
    import yaml

    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    setup = nbformat.read(solution, as_version=4).cells[1].source
    assert f"git+{url}" in setup


def _answer_first_exercise(lab_path: Path, answer: str) -> None:
    nb = nbformat.read(lab_path, as_version=4)
    cell = next(c for c in nb.cells if "exercise" in c.metadata.get("tags", []))
    cell.source += f"\n{answer}"
    nbformat.write(nb, lab_path)


def test_regeneration_keeps_a_learners_answers(tmp_path, capsys):
    """A lab someone answered in place is moved aside, never overwritten, on `make labs`."""
    solution = tmp_path / "tiny.ipynb"
    shutil.copy(TINY, solution)
    labs = tmp_path / "labs"
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    _answer_first_exercise(labs / "tiny.ipynb", "# my answer, typed in the workshop")
    nb = nbformat.read(solution, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing note from the author."))
    nbformat.write(nb, solution)
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    kept = labs / "tiny.mine-1.ipynb"
    assert "# my answer, typed in the workshop" in kept.read_text()
    assert "A new closing note" in (labs / "tiny.ipynb").read_text()
    assert "kept your work" in capsys.readouterr().out


def test_regeneration_overwrites_an_untouched_stale_lab(tmp_path):
    """A stale lab nobody worked on is simply regenerated, with no copy left behind."""
    solution = tmp_path / "tiny.ipynb"
    shutil.copy(TINY, solution)
    labs = tmp_path / "labs"
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    nb = nbformat.read(solution, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Another note."))
    nbformat.write(nb, solution)
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    assert sorted(p.name for p in labs.iterdir()) == ["tiny.ipynb"]
