"""The tests every lab gets, parametrised over every lab :func:`labs.discover` finds.

A lab is in sync with its solution; every check passes on the solution's functions, says
"not done yet" on the untouched lab, and gives feedback (never a traceback) on a dozen kinds
of bad answer; both notebooks run top to bottom (executed once, by the grader) and the grader
gives the solution full marks and the lab zero.
"""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactive_lab.teaching import checking, labgen, labs

ROOT = Path(__file__).resolve().parents[2]
LABS = list(labs.discover())
NOTEBOOKS = [ROOT / folder / f"{lab}.ipynb" for lab in LABS for folder in ("solutions", "labs")]


def _lab_checks():
    for lab in LABS:
        for check in checking.exercises_of(labs.checks_of(lab)):
            yield pytest.param(lab, check, id=f"{lab}-{check.__name__}")


CHECKS = list(_lab_checks())


def test_every_solution_has_checks_and_every_checks_module_a_solution():
    """Labs are found from their checks modules; each has both notebooks."""
    assert LABS and sorted(LABS) == LABS
    for lab in LABS:
        assert (ROOT / "solutions" / f"{lab}.ipynb").exists()
        assert checking.exercises_of(labs.checks_of(lab))
    assert sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb")) == LABS


@pytest.mark.parametrize("lab", LABS)
def test_lab_is_in_sync_with_its_solution(lab):
    """labs/NN-topic.ipynb is exactly what labgen makes from the solution (else `make labs`)."""
    assert labgen.main([str(ROOT / "solutions" / f"{lab}.ipynb"),
                        "--labs-dir", str(ROOT / "labs"), "--check"]) == 0


@pytest.mark.parametrize("lab, check", CHECKS)
def test_check_passes_on_the_solution(lab, check, solution_answers, capsys):
    """Every check gives full marks to the solution notebook's answers."""
    result = check(*(solution_answers[lab][name] for name in check.uses))
    assert (result.status, result.score) == ("pass", check.max_score), result.feedback
    assert "pass" in capsys.readouterr().out


@pytest.mark.parametrize("lab, check", CHECKS)
def test_check_says_not_done_on_the_untouched_lab(lab, check, lab_answers, capsys):
    """Every check reports "not done" on the generated lab's placeholders, scoring 0."""
    result = check(*(lab_answers[lab][name] for name in check.uses))
    assert (result.status, result.score) == ("not done", 0)
    assert "not done yet" in capsys.readouterr().out


def _loops_forever(*args):
    while True:
        pass


def _loops_and_swallows_one_interrupt(*args):
    try:
        while True:
            pass
    except BaseException:  # noqa: BLE001 - a learner's bare `except:` around a loop
        while True:
            pass


def _raises(*args):
    raise ZeroDivisionError("oops")


BAD_ANSWERS = {
    "None": None,
    "a string": "seven",
    "a number instead of a function": 42,
    "a function that raises": _raises,
    "a function that loops forever": _loops_forever,
    "a function that swallows the first time-out": _loops_and_swallows_one_interrupt,
    "a function returning a wrong number": lambda *args: 12345.0,
    "a function returning NaN": lambda *args: math.nan,
    "a function returning None": lambda *args: None,
    "a function returning a string": lambda *args: "7",
    "a function returning an array": lambda *args: np.arange(3.0),
    "a function returning True": lambda *args: True,
    "a function with the wrong signature": lambda: 1,
}


@pytest.mark.parametrize("bad", list(BAD_ANSWERS), ids=list(BAD_ANSWERS))
@pytest.mark.parametrize("lab, check", CHECKS)
def test_check_gives_feedback_on_a_bad_answer(lab, check, bad, capsys, short_time_limit):
    """A bad answer gets printed feedback and a failing score, never an exception."""
    answers = [BAD_ANSWERS[bad]] * len(check.uses)
    result = check(*answers)
    out = capsys.readouterr().out
    assert result.status in ("fail", "partial") and result.score < result.max_score
    assert out.strip() and len(result.feedback.splitlines()) >= 2
    assert "Traceback" not in out
    assert "bug in the course" not in out


@pytest.mark.parametrize("lab, check", CHECKS)
def test_check_survives_being_called_with_the_wrong_number_of_answers(lab, check, capsys):
    """Too few or too many answers is feedback too."""
    for answers in ((), (None,) * (len(check.uses) + 1)):
        result = check(*answers)
        assert result.status == "fail"
    assert "this check takes" in capsys.readouterr().out


@settings(max_examples=40, deadline=None)
@given(value=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                       st.lists(st.floats(), max_size=3), st.complex_numbers()))
def test_checks_never_raise_whatever_the_function_returns(value):
    """Whatever a learner's function returns, every check ends with a result."""
    for param in CHECKS:
        _, check = param.values
        result = check(*[lambda *args: value] * len(check.uses), quiet=True)
        assert result.status in checking.Outcome


# --- The notebooks, executed once by the grader -----------------------------------------

def _check_outputs(nb) -> list[str]:
    return ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells
            if c.cell_type == "code" and labgen.is_check_cell(c.source)]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS])
def test_notebook_runs_clean_and_every_check_cell_reports(path, graded_notebooks):
    """Each notebook runs top to bottom without an error, and every check cell prints
    pass (solution) or not done yet (lab), one check cell per exercise."""
    result, executed = graded_notebooks[path]
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, errors
    assert not result["notes"], result["notes"]
    outputs = _check_outputs(executed)
    checks = checking.exercises_of(labs.checks_of(path.stem))
    assert len(outputs) == len(checks)
    expected = "pass" if path.parent.name == "solutions" else "not done yet"
    assert all(expected in text for text in outputs), outputs


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS])
def test_grader_scores_the_solution_full_and_the_lab_zero(path, graded_notebooks):
    """Graded, the solution gets every point of every exercise; the untouched lab none."""
    result, _ = graded_notebooks[path]
    checks = checking.exercises_of(labs.checks_of(path.stem))
    assert result["lab"] == path.stem
    assert [row["exercise"] for row in result["rows"]] == [c.__name__ for c in checks]
    if path.parent.name == "solutions":
        assert all(row["score"] == row["max_score"] > 0 and row["status"] == "pass"
                   for row in result["rows"]), result["rows"]
    else:
        assert all(row["score"] == 0 and "not done" in row["feedback"]
                   for row in result["rows"]), result["rows"]
