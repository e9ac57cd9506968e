"""Tests of the lab generator: labs are in sync, leak nothing, run, and bad markers are refused."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reactive_lab.teaching import labfiles, labgen

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


def test_regeneration_keeps_an_answer_written_in_a_new_cell(tmp_path, capsys):
    """A learner who answered in a cell of their own (or took notes) keeps that lab."""
    solution = tmp_path / "tiny.ipynb"
    shutil.copy(TINY, solution)
    labs = tmp_path / "labs"
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    nb = nbformat.read(labs / "tiny.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("def double(x):\n    return x + x  # mine"))
    nb.cells.append(nbformat.v4.new_markdown_cell("My notes from the workshop."))
    nbformat.write(nb, labs / "tiny.ipynb")
    nb = nbformat.read(solution, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing note from the author."))
    nbformat.write(nb, solution)
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    kept = (labs / "tiny.mine-1.ipynb").read_text()
    assert "return x + x  # mine" in kept and "My notes from the workshop." in kept
    assert "kept your work" in capsys.readouterr().out


@pytest.mark.parametrize("change", ["outputs", "metadata", "reformatted"])
def test_any_change_to_a_generated_lab_counts_as_work(tmp_path, change):
    """A run cell, changed metadata, even a save that reformats the file: a copy is kept."""
    solution = tmp_path / "tiny.ipynb"
    shutil.copy(TINY, solution)
    labs = tmp_path / "labs"
    assert labgen.main([str(solution), "--labs-dir", str(labs)]) == 0
    lab = labs / "tiny.ipynb"
    assert labfiles.is_untouched(lab)
    nb = nbformat.read(lab, as_version=4)
    if change == "outputs":
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="6\n")]
        nbformat.write(nb, lab)
    elif change == "metadata":
        nb.metadata["kernelspec"] = {"name": "other", "display_name": "Other"}
        nbformat.write(nb, lab)
    else:
        lab.write_text(lab.read_text().replace("\n ", "\n  "))
    assert not labfiles.is_untouched(lab)


@pytest.mark.parametrize("line", ["### begin solution", "### Begin Solution",
                                  "  ### BEGIN SOLUTION  "])
def test_markers_are_matched_in_any_case(line):
    """`### begin solution` is a marker as much as `### BEGIN SOLUTION`: nothing leaks."""
    source = f"def f():\n    {line.strip()}\n    return 41 + 1\n    ### end Solution\n"
    nb = _notebook(("code", source))
    lab = labgen.generate_lab(nb, "solutions/99-case.ipynb", "99-case")
    assert "41 + 1" not in lab.cells[0].source
    assert labgen.solution_lines(nb) == {"return 41 + 1"}


@pytest.mark.parametrize("near_miss", ["### BEGIN_SOLUTION", "## BEGIN SOLUTION",
                                       "### Begin Solutions", "#### END SOLUTION",
                                       "### BEGIN SOLUTION ###", "# begin-solution"])
def test_near_miss_markers_are_refused_naming_the_line(near_miss):
    """A line that looks like a marker but is not exactly one refuses the notebook."""
    source = f"def f():\n    x = 1\n    {near_miss}\n    return 42\n"
    with pytest.raises(labgen.LabError) as caught:
        labgen.generate_lab(_notebook(("code", source)), "solutions/99-miss.ipynb", "99-miss")
    assert "cell 0: line 3: malformed marker" in str(caught.value)
    assert near_miss.strip() in str(caught.value)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solutions_carry_nbgrader_metadata_and_labs_do_not(solution):
    """Answer cells are nbgrader solution cells, check cells locked graded cells worth their
    checks' points; the generated lab carries none of it."""
    nb = nbformat.read(solution, as_version=4)
    graded = [c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata]
    answers = [m for m in graded if m["solution"]]
    checks = [m for m in graded if m["grade"]]
    assert answers and checks
    assert all(m["locked"] and m["points"] > 0 for m in checks)
    from reactive_lab.teaching import checking, labs

    exercises = checking.exercises_of(labs.checks_of(solution.stem))
    assert sum(m["points"] for m in checks) == sum(c.max_score for c in exercises)
    assert len({m["grade_id"] for m in graded}) == len(graded)
    lab = nbformat.read(ROOT / "labs" / solution.name, as_version=4)
    assert not any("nbgrader" in c.metadata for c in lab.cells)
