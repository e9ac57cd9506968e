"""Tests of Lab 3 (Availability): typical mistakes get the hint that names them.

The generic tests in ``test_labs.py`` already run the notebooks, check the solution passes
and the lab says "not done", feed a dozen bad answers and grade; these add the mistakes
particular to this lab.
"""

import math

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.availability import expected_detection
from reactive_lab.teaching import checking, labs
from reactive_lab.teaching.labs import lab03_availability as lab3
from tests.teaching import probing

T = rl.theory



def text_of(check, answer, capsys):
    result = check(answer)
    return result, capsys.readouterr().out


def test_lab_is_registered_with_five_exercises():
    assert labs.discover()["03-availability"] == "reactive_lab.teaching.labs.lab03_availability"
    assert [c.exercise_number for c in checking.exercises_of(lab3)] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("answer, hint", [
    # MTTR / (MTBF + MTTR): the fraction of time down, not up
    (lambda k, n, b, r: T.k_of_n(k, n, r / (b + r)), "not MTTR / (MTBF + MTTR)"),
    # exactly k up instead of at least k
    (lambda k, n, b, r: math.comb(n, k) * (b / (b + r)) ** k * (r / (b + r)) ** (n - k),
     "k OR MORE"),
    # the binomial coefficient forgotten
    (lambda k, n, b, r: sum((b / (b + r)) ** i * (r / (b + r)) ** (n - i)
                            for i in range(k, n + 1)), "binomial coefficient"),
])
def test_exercise_1_names_the_mistake(answer, hint, capsys):
    result, out = text_of(lab3.exercise_1, answer, capsys)
    assert result.score == 0 and hint in out


def test_exercise_2_notices_a_forgotten_majority(capsys):
    node = T.steady_state_availability(rl.relay.NODE_MTBF_H, rl.relay.NODE_MTTR_H)

    def all_one_of_n(replicas, shared):
        return T.nines(shared * T.parallel(*[node] * replicas) ** 5)

    result, out = text_of(lab3.exercise_2, all_one_of_n, capsys)
    assert result.score == 0 and "MAJORITY" in out


@pytest.mark.parametrize("answer, hint", [
    (lambda r, now, i, p: len([t for t in r if t > now - p]) + 1 <= i, "(>=, not >)"),
    (lambda r, now, i, p: len([t for t in r if t >= now - p]) <= i, "intensity 0"),
    (lambda r, now, i, p: len(r) + 1 <= i, "still in the window"),
])
def test_exercise_3_names_the_wrong_edge(answer, hint, capsys):
    result, out = text_of(lab3.exercise_3, answer, capsys)
    assert result.score == 0 and hint in out


def test_exercise_3_probes_fresh_histories_after_the_edge_cases(capsys):
    """A rule that knows only the fixed edge cases fails the fresh histories."""
    edges = {(tuple(r), now, i, p): expected for _, (r, now, i, p, expected)
             in lab3._PROBES.items()}

    def never_gives_up_outside_the_probes(restarts, now, intensity, period):
        return edges.get((tuple(restarts), now, intensity, period), True)

    result, out = text_of(lab3.exercise_3, never_gives_up_outside_the_probes, capsys)
    assert result.score == 0 and "OTP's rule says False" in out
    assert "earlier restarts are in the window" in out


def test_exercise_3_runs_the_rule_under_crash_schedules(capsys):
    """A rule right on every probe (their clocks read at most 200 s) but that stops giving
    up later in a run fails under the crash schedules, which run for 600 s."""
    def tires_after_200_s(restarts, now, intensity, period):
        if now > 200:
            return True
        return len([t for t in restarts if t >= now - period]) + 1 <= intensity

    result, out = text_of(lab3.exercise_3, tires_after_200_s, capsys)
    assert result.score in (1, 2) and "OTP's rule gives up" in out


def test_exercise_4_wants_heartbeats_per_day(capsys):
    def per_second(per_day, interval, mean, std):
        return T.phi_timeout(-math.log10(per_day / 86_400), mean, std)

    result, out = text_of(lab3.exercise_4, per_second, capsys)
    assert result.score == 0 and "86,400 / interval" in out


@pytest.mark.parametrize("answer, hint", [
    (lambda m, t, k, i, j: T.steady_state_availability(m, expected_detection(i, j, t)),
     "PLUS takeover"),
    (lambda m, t, k, i, j: T.steady_state_availability(m, t + k), "shorter than the timeout"),
    (lambda m, t, k, i, j: T.steady_state_availability(m, t - i / 2 + k), "jitter / 2"),
])
def test_exercise_5_names_the_missing_term(answer, hint, capsys):
    result, out = text_of(lab3.exercise_5, answer, capsys)
    assert result.score == 0 and hint in out


# --- Probes from fb.rng: float32 is rounding, a table of answers does not carry over -----

NUMERIC = ["group_availability", "relay_nines", "timeout_for_budget", "failover_availability"]


def _check_of(name):
    return next(c for c in checking.exercises_of(lab3) if c.uses == (name,))


@pytest.mark.parametrize("name", NUMERIC)
def test_a_float32_answer_scores_full_marks(name, solution_answers):
    """The solution's answers rounded to float32 (about 6e-8) pass, in Jupyter and graded."""
    solution = solution_answers["03-availability"][name]

    def in_float32(*args):
        return np.float32(solution(*args))

    probing.assert_full_marks_everywhere(_check_of(name), in_float32)


@pytest.mark.parametrize("name, default", [(name, 0.0) for name in NUMERIC]
                         + [("restart_allowed", True), ("restart_allowed", False)])
def test_a_table_of_the_feedbacks_answers_does_not_carry_over_to_the_grader(
        name, default, solution_answers):
    """Answers recorded from the probes Jupyter shows pass there, and fail the grader's
    probes, which come from another (secret) seed."""
    probing.assert_a_table_does_not_carry_over(
        _check_of(name), solution_answers["03-availability"][name], default)


def test_jupyter_repeats_its_probes_and_the_grader_draws_others():
    """In Jupyter the feedback is the same on every run (a fixed seed); graded, it is not."""
    def wrong(k, n, mtbf, mttr):
        return 0.5

    probing.assert_jupyter_repeats_and_the_grader_draws_others(lab3.exercise_1, wrong)
