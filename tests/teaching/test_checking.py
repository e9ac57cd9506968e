"""Tests of the check framework itself: time limits, bugs in a check, the grader's entry point.

The tests every lab's checks get (pass on the solution, "not done" on the lab, bad answers)
are in ``test_labs.py``.
"""

import threading

from reactive_lab.teaching import checking, limits
from reactive_lab.teaching.labs import lab00_warm_up


def _loops_forever(*args):
    while True:
        pass


def _with_limit(seconds, check, *answers):
    previous, limits.TIME_LIMIT = limits.TIME_LIMIT, seconds
    try:
        return check(*answers, quiet=True)
    finally:
        limits.TIME_LIMIT = previous


def test_check_time_limit_works_off_the_main_thread(capsys):
    """Off the main thread (no SIGALRM), a looping function still ends the check in time."""
    box = []
    worker = threading.Thread(target=lambda: box.append(
        _with_limit(0.3, lab00_warm_up.exercise_1, _loops_forever)))
    worker.start()
    worker.join(10)
    assert box and box[0].status == "fail"
    assert "did not return within" in box[0].feedback


def test_a_bug_in_a_check_is_reported_not_raised(capsys):
    """A check whose own code fails still prints feedback instead of a traceback."""

    @checking.exercise(9, "broken", uses=("f",))
    def exercise_9(fb, f):
        return 1 / 0

    result = exercise_9(lambda: 1)
    assert result.status == "fail"
    assert "bug in the course" in capsys.readouterr().out


def test_grade_checks_treats_a_missing_name_as_not_done():
    """The grader's entry point scores a name the notebook never defined as not done."""
    results = checking.grade_checks(lab00_warm_up, {}, seed=1)
    assert {r["status"] for r in results} == {"not done"}
    assert all("not defined" in r["feedback"] for r in results)


def test_results_export_plain_text_statuses():
    """A result's dict carries the outcome as plain text, ready for JSON and CSV."""
    result = lab00_warm_up.exercise_4(lambda lam, mu: 1 / (mu - lam), quiet=True)
    exported = result.to_dict()
    assert exported["status"] == "partial" and type(exported["status"]) is str
