"""Tests of the check framework itself: time limits, bugs in a check, the grader's entry point.

The tests every lab's checks get (pass on the solution, "not done" on the lab, bad answers)
are in ``test_labs.py``.
"""

import math
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


# --- Values that lie, and patched builtins, in Jupyter -------------------------------------

class _LyingFloat(float):
    """A float whose conversion raises the checks' own "stop with full marks" exception."""

    def __float__(self):
        raise checking._Stop(2)

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class _Yes(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__


def test_a_float_that_lies_is_read_as_the_number_it_holds(capsys):
    """A float subclass raising _Stop(2) from __float__ and equal to everything is 1.0."""
    for check in (lab00_warm_up.exercise_1, lab00_warm_up.exercise_2):
        result = check(lambda arrivals, finishes: _LyingFloat(1.0), quiet=True)
        assert (result.status, result.score) == ("fail", 0), result.feedback
        assert "returned 1;" in result.feedback


def test_a_str_equal_to_everything_owns_no_key(capsys):
    """ring_owner returning a str subclass whose __eq__ is always true scores 0."""
    from reactive_lab.teaching.labs import lab01_distribution

    result = lab01_distribution.exercise_3(lambda key, nodes, vnodes: _Yes(nodes[0]),
                                           quiet=True)
    assert result.score == 0 and "got the wrong owner" in result.feedback


def test_checks_use_the_real_builtins_even_when_the_notebook_patched_them(monkeypatch):
    """math.isclose, builtins.max/abs and an import hook patched by the notebook, or by the
    learner's function while the check runs, do not change what the check concludes."""
    import builtins
    import math
    import sys

    monkeypatch.setattr(math, "isclose", lambda *args, **kwargs: True)
    monkeypatch.setattr(builtins, "abs", lambda value: 0)
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path])

    def patches_as_it_runs(arrivals, finishes):
        builtins.max = lambda *args, **kwargs: 0
        return 0.0

    real_max = builtins.max
    try:
        for check, answer in [(lab00_warm_up.exercise_1, lambda a, f: 0.0),
                              (lab00_warm_up.exercise_2, patches_as_it_runs)]:
            result = check(answer, quiet=True)
            assert (result.status, result.score) == ("fail", 0), result.feedback
        assert math.isclose(1.0, 2.0)  # the notebook keeps its own patches afterwards
    finally:
        builtins.max = real_max


# --- Right answers in other types, and wrong ones too large ----------------------------------

def test_numpy_scalars_zero_d_arrays_and_float32_score_full_marks(capsys):
    """np.float32, np.float64, a 0-d array from np.where: all numbers, all full marks."""
    import numpy as np

    def as_float32(arrivals, finishes):
        return np.float32(len(arrivals) / (finishes.max() - arrivals.min()))

    def as_zero_d(arrivals, finishes):
        return np.where(True, np.mean(finishes - arrivals), 0.0)

    assert lab00_warm_up.exercise_1(as_float32, quiet=True).status == "pass"
    assert lab00_warm_up.exercise_2(as_zero_d, quiet=True).status == "pass"
    assert lab00_warm_up.exercise_5(
        lambda lam, mu, target: np.int64(_servers(lam, mu, target)), quiet=True
    ).status == "pass"


def _servers(arrival_rate, service_rate, target):
    import math

    from reactive_lab import theory

    servers = math.floor(arrival_rate / service_rate) + 1
    while theory.mmc(arrival_rate, service_rate, servers).response_percentile(99) > target:
        servers += 1
    return servers


def test_a_value_too_large_for_a_float_is_the_learners_value_too_large():
    """10**400 is reported as the learner's value being too large, not a bug in the course."""
    result = lab00_warm_up.exercise_1(lambda arrivals, finishes: 10**400, quiet=True)
    assert result.status == "fail"
    assert "too large" in result.feedback and "bug in the course" not in result.feedback


def test_a_table_of_the_feedbacks_answers_does_not_carry_over_to_the_grader(capsys):
    """Answers looked up from the probes Jupyter shows pass there, and fail the grader's
    probes, which come from another (secret) seed."""
    from reactive_lab.teaching.answers import local_answer

    table = {}

    def recording(arrival_rate, service_rate):
        value = 1 / (service_rate - arrival_rate) if arrival_rate < service_rate else math.inf
        table[(arrival_rate, service_rate)] = value
        return value

    def from_table(arrival_rate, service_rate):
        return table.get((arrival_rate, service_rate), 0.0)

    assert lab00_warm_up.exercise_4(recording, quiet=True).status == "pass"
    assert lab00_warm_up.exercise_4(from_table, quiet=True).status == "pass"
    graded = lab00_warm_up.exercise_4.grade([local_answer(from_table)], seed=987_654_321)
    assert graded.status == "fail"
