"""Tests of the checks: they pass on solutions, say "not done" on labs, and never raise."""

import importlib
import math
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactive_lab.teaching import LABS, checking, labgen

ROOT = Path(__file__).resolve().parents[1]


def _lab_checks():
    for lab, module_name in sorted(LABS.items()):
        module = importlib.import_module(module_name)
        for check in checking.exercises_of(module):
            yield pytest.param(lab, check, id=f"{lab}-{check.__name__}")


CHECKS = list(_lab_checks())


@pytest.fixture(scope="module")
def solution_answers():
    return {lab: labgen.answers(ROOT / "solutions" / f"{lab}.ipynb", lab=False) for lab in LABS}


@pytest.fixture(scope="module")
def lab_answers():
    return {lab: labgen.answers(ROOT / "solutions" / f"{lab}.ipynb", lab=True) for lab in LABS}


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(checking, "TIME_LIMIT", 0.3)


@pytest.mark.parametrize("lab, check", CHECKS)
def test_check_passes_on_the_solution(lab, check, solution_answers, capsys):
    """Every check gives full marks to the solution notebook's answers."""
    result = check(*(solution_answers[lab][name] for name in check.uses))
    assert result.status == "pass" and result.score == result.max_score
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
    started = time.monotonic()
    result = check(*answers)
    out = capsys.readouterr().out
    assert result.status in ("fail", "partial") and result.score < result.max_score
    assert out.strip() and len(result.feedback.splitlines()) >= 2
    assert "Traceback" not in out
    assert time.monotonic() - started < 10 * checking.TIME_LIMIT + 5


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
        assert result.status in checking.STATUSES


def test_check_time_limit_works_off_the_main_thread(capsys):
    """Off the main thread (no SIGALRM), a looping function still ends the check in time."""
    from reactive_lab.teaching import warm_up

    box = []
    worker = threading.Thread(target=lambda: box.append(
        _with_limit(0.3, warm_up.exercise_1, _loops_forever)))
    worker.start()
    worker.join(10)
    assert box and box[0].status == "fail"
    assert "did not return within" in box[0].feedback


def _with_limit(seconds, check, *answers):
    previous, checking.TIME_LIMIT = checking.TIME_LIMIT, seconds
    try:
        return check(*answers, quiet=True)
    finally:
        checking.TIME_LIMIT = previous


def test_a_bug_in_a_check_is_reported_not_raised(capsys):
    """A check whose own code fails still prints feedback instead of a traceback."""

    @checking.exercise(9, "broken", uses=("f",))
    def exercise_9(fb, f):
        return 1 / 0

    result = exercise_9(lambda: 1)
    assert result.status == "fail"
    assert "bug in the course" in capsys.readouterr().out


def test_warm_up_hints_at_a_common_mistake(capsys):
    """Measuring the window from time 0 gets a hint naming that mistake."""
    from reactive_lab.teaching import warm_up

    result = warm_up.exercise_1(lambda arrivals, finishes: len(arrivals) / finishes.max())
    assert result.score == 0
    assert "first arrival" in capsys.readouterr().out


def test_warm_up_gives_partial_credit_without_the_overload_case(capsys):
    """The M/M/1 formula right but no math.inf for an overloaded server is partial."""
    from reactive_lab.teaching import warm_up

    result = warm_up.exercise_4(lambda lam, mu: 1 / (mu - lam))
    assert (result.status, result.score) == ("partial", 1)
    assert "math.inf" in capsys.readouterr().out


def test_warm_up_checks_probe_fresh_inputs(capsys):
    """Copying the lab's own printed number is not enough: the checks use other inputs."""
    from reactive_lab.teaching import warm_up

    assert warm_up.exercise_4(lambda lam, mu: 0.5).score == 0  # the lab's M/M/1 answer
    assert warm_up.exercise_5(lambda lam, mu, target: 6).score == 0  # the lab's pool size
    capsys.readouterr()


def test_run_checks_treats_a_missing_name_as_not_done():
    """The grader's entry point scores a name the notebook never defined as not done."""
    from reactive_lab.teaching import warm_up

    results = checking.run_checks(warm_up, {})
    assert {r["status"] for r in results} == {"not done"}
    assert all("not defined" in r["feedback"] for r in results)
