"""Lab 2's checks: the hints wrong answers deserve, and failing traces for subtly wrong handlers."""

import math

import numpy as np
import pytest

from reactive_lab.teaching import checking
from reactive_lab.teaching.labs import lab02_interfaces as lab
from tests.teaching import probing


def _feedback(check, answer):
    result = check(answer, quiet=True)
    return result.score, result.feedback


@pytest.mark.parametrize(("check", "answer", "hint"), [
    # F(t) instead of 1 - F(t)
    (lab.exercise_1, lambda d, t: d.cdf(t), "that is F(timeout)"),
    # a percentage
    (lab.exercise_1, lambda d, t: 100 * (1 - d.cdf(t)), "not a percentage"),
    # forgot that the retry's request can be lost
    (lab.exercise_2, lambda p, r: (1 - p) * r, "second attempt's request can be lost"),
    # multiplied in the second reply
    (lab.exercise_2, lambda p, r: (1 - p) ** 2 * r * (1 - r), "whether its reply arrives"),
    # no cap
    (lab.exercise_3, lambda a, prev, u: 1 + u * (3 * max(prev, 1) - 1), "cap the wait"),
    # previous wait 0 on the first retry
    (lab.exercise_3, lambda a, prev, u: min(32, 1 + u * (3 * prev - 1)), "no previous wait"),
    # met instead of missed
    (lab.exercise_5, lambda n, r, w: 1 - math.comb(n - w, r) / math.comb(n, r), "*meets*"),
    # drawing with replacement
    (lab.exercise_5, lambda n, r, w: ((n - w) / n) ** r, "without replacement"),
])
def test_wrong_answers_get_the_hint_they_deserve(check, answer, hint):
    score, feedback = _feedback(check, answer)
    assert score < check.max_score
    assert hint in feedback, feedback


def _ledger(remember):
    """A payment handler whose memory of keys is `remember(seen, key, msg_id)`."""

    def handler(state, message):
        body = message["body"]
        if body["type"] == "init":
            return {"applied": [], "seen": []}, []
        if body["type"] == "read":
            reply = {"type": "read_ok", "applied": state["applied"]}
        else:
            marker = remember(body)
            if marker not in state["seen"]:
                state["applied"].append(body["payment"])
                state["seen"] = (state["seen"] + [marker])[-3:] if "window" in \
                    remember.__name__ else state["seen"] + [marker]
            reply = {"type": "pay_ok"}
        reply["in_reply_to"] = body["msg_id"]
        return state, [{"dest": message["src"], "body": reply}]

    return handler


def window(body):  # remembers only the last 3 payment keys: forgets too early
    return body["payment"]


def by_message_id(body):  # deduplicates on msg_id, which every retry changes
    return body["msg_id"]


@pytest.mark.parametrize(("remember", "violation", "hint"), [
    (window, "was applied 2 times", "remember every payment key"),
    # client c1's msg_id 1 looks like client c2's: c1's payment is skipped
    (by_message_id, "acknowledged but never applied", "not by msg_id"),
])
def test_subtly_wrong_handlers_get_a_failing_trace_not_a_pass(remember, violation, hint):
    score, feedback = _feedback(lab.exercise_4, _ledger(remember))
    assert score == 1  # right on a perfect network, wrong under faults
    assert "smallest failing run" in feedback and violation in feedback
    assert "what happened to every message" in feedback
    assert hint in feedback


def test_a_handler_that_acknowledges_without_applying_fails_even_without_faults():
    def liar(state, message):
        body = message["body"]
        if body["type"] == "init":
            return {}, []
        kind = "read_ok" if body["type"] == "read" else "pay_ok"
        return state, [{"dest": message["src"],
                        "body": {"type": kind, "applied": [], "in_reply_to": body["msg_id"]}}]

    score, feedback = _feedback(lab.exercise_4, liar)
    assert score == 0 and "acknowledged but never applied" in feedback


def test_a_handler_that_raises_gets_its_error_as_feedback():
    def broken(state, message):
        return state["missing"], []

    score, feedback = _feedback(lab.exercise_4, broken)
    assert score == 0 and "TypeError" in feedback


# --- Probes from fb.rng: float32 is rounding, a table of answers does not carry over -----

NUMERIC = ["false_timeout_share", "duplicate_probability", "decorrelated_jitter",
           "stale_read_probability"]


def _check_of(name):
    return next(c for c in checking.exercises_of(lab) if c.uses == (name,))


@pytest.mark.parametrize("name", NUMERIC)
def test_a_float32_answer_scores_full_marks(name, solution_answers):
    """The solution's answers rounded to float32 (about 6e-8) pass, in Jupyter and graded."""
    solution = solution_answers["02-interfaces"][name]

    def in_float32(*args):
        return np.float32(solution(*args))

    probing.assert_full_marks_everywhere(_check_of(name), in_float32)


@pytest.mark.parametrize("name", NUMERIC)
def test_a_table_of_the_feedbacks_answers_does_not_carry_over_to_the_grader(
        name, solution_answers):
    """Answers recorded from the probes Jupyter shows pass there, and fail the grader's
    probes, which come from another (secret) seed."""
    probing.assert_a_table_does_not_carry_over(
        _check_of(name), solution_answers["02-interfaces"][name], 0.0)


def test_jupyter_repeats_its_probes_and_the_grader_draws_others():
    """In Jupyter the feedback is the same on every run (a fixed seed); graded, it is not."""
    def wrong(n, r, w):
        return 0.5

    probing.assert_jupyter_repeats_and_the_grader_draws_others(lab.exercise_5, wrong)
