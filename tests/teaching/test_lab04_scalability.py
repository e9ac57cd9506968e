"""Tests of Lab 4 (Scalability): what is particular to its checks.

The generic tests in ``test_labs.py`` already run the lab (solution passes, lab says "not
done", a dozen bad answers, grading). These add: typical mistakes get the hint that names
them, a policy that admits everything fails the overload check with the reason, partial
credit where an answer is half right, a float32 answer passes, and neither a copied number
nor a table of the feedback's answers can pass.
"""

import math

import numpy as np
import pytest
from scipy.optimize import curve_fit

import reactive_lab as rl
from reactive_lab.teaching import checking, labs
from reactive_lab.teaching.answers import local_answer
from reactive_lab.teaching.labs import lab04_scalability as lab4
from tests.teaching import probing

CHECKS = checking.exercises_of(lab4)


def _feedback(result) -> str:
    return result.feedback


def test_lab_is_registered_with_five_exercises():
    assert labs.discover()["04-scalability"] == "reactive_lab.teaching.labs.lab04_scalability"
    assert [c.exercise_number for c in CHECKS] == ["1", "2", "3", "4", "5"]


# --- Exercise 1 -----------------------------------------------------------------------

def test_littles_law_upside_down_or_multiplied_is_named():
    multiplied = lab4.exercise_1(lambda x, n: x * n)
    assert multiplied.score == 0 and "divide the number inside" in _feedback(multiplied)
    flipped = lab4.exercise_1(lambda x, n: x / n if n else math.inf)
    assert "upside down" in _feedback(flipped)
    in_ms = lab4.exercise_1(lambda x, n: 1000 * n / x)
    assert "seconds, not milliseconds" in _feedback(in_ms)


def test_a_copied_latency_cannot_pass():
    assert lab4.exercise_1(lambda x, n: 0.05125).score == 0


# --- Exercise 2 -----------------------------------------------------------------------

def _nodes(rate, mu, wait, level, *, extra=0, rule="level"):
    load = rate / mu
    c = math.floor(load) + 1
    while True:
        if rule == "level":
            ok = 1 - rl.theory.erlang_c(c, load) * math.exp(-(c * mu - rate) * wait) >= level
        elif rule == "mean":
            ok = rl.theory.mmc(rate, mu, c).mean_wait <= wait
        else:  # no wait at all
            ok = 1 - rl.theory.erlang_c(c, load) >= level
        if ok:
            return c + extra
        c += 1


def test_sizing_mistakes_get_their_hints():
    only_stable = lab4.exercise_2(lambda r, m, w, lv: math.floor(r / m) + 1)
    assert "only makes the queue stable" in _feedback(only_stable)
    by_mean = lab4.exercise_2(lambda r, m, w, lv: _nodes(r, m, w, lv, rule="mean"))
    assert "sizes for the mean wait" in _feedback(by_mean)
    no_wait = lab4.exercise_2(lambda r, m, w, lv: _nodes(r, m, w, lv, rule="none"))
    assert "P(no wait at all)" in _feedback(no_wait)
    one_more = lab4.exercise_2(lambda r, m, w, lv: _nodes(r, m, w, lv, extra=1))
    assert "one too many" in _feedback(one_more)


def test_sizing_right_on_the_first_objective_only_gets_partial_credit():
    calls = []

    def right_the_first_time(*objective):
        calls.append(objective)
        return _nodes(*objective) if len(calls) == 1 else 1

    answer = lab4.exercise_2(right_the_first_time)
    assert answer.score == 1 and answer.status == checking.Outcome.PARTIAL


def test_the_first_objective_tells_the_slips_apart_on_any_seed():
    """Stability alone, the mean wait and "no wait at all" each miss the first objective
    with a count of their own, more than one away from the right one."""
    for seed in range(40):
        rate, mu, wait, level = lab4._objectives(np.random.default_rng(seed))[0]
        right = _nodes(rate, mu, wait, level)
        slips = {math.floor(rate / mu) + 1, _nodes(rate, mu, wait, level, rule="mean"),
                 _nodes(rate, mu, wait, level, rule="none")}
        assert len(slips) == 3 and all(abs(slip - right) > 1 for slip in slips)


# --- Exercise 3 -----------------------------------------------------------------------

def _bucket_admit(cap=True, start_full=True, as_int=False):
    """A learner's admit(bucket, now, in_flight), right or with one of the typical slips."""
    def admit(bucket, now, in_flight):
        tokens = bucket.get("tokens", float(bucket["burst"]) if start_full else 0.0)
        tokens += (now - bucket.get("last", 0.0)) * bucket["rate"]
        if cap:
            tokens = min(bucket["burst"], tokens)
        admitted = tokens >= 1
        if admitted:
            tokens -= 1
        return {**bucket, "tokens": tokens, "last": now}, int(admitted) if as_int else admitted
    return admit


def test_token_bucket_probes_keep_clear_of_a_rounding_tie():
    """No probe asks a bucket that is not whole to decide within 1e-6 of one token: two
    correct buckets that add the refill in another order agree on every request."""
    def reordered(bucket, now, in_flight):  # refill as rate x elapsed, cap as a branch
        tokens = bucket.get("tokens", float(bucket["burst"]))
        tokens = tokens + bucket["rate"] * now - bucket["rate"] * bucket.get("last", 0.0)
        tokens = bucket["burst"] if tokens > bucket["burst"] else tokens
        admitted = tokens >= 1
        return {**bucket, "tokens": tokens - admitted, "last": now}, admitted

    for seed in range(30):
        assert lab4.exercise_3.grade([local_answer(reordered)], seed).score == 3


def test_token_bucket_mistakes_get_their_hints():
    assert lab4.exercise_3(_bucket_admit()).score == 3
    uncapped = lab4.exercise_3(_bucket_admit(cap=False))
    assert "cap the tokens at `burst`" in _feedback(uncapped)
    empty = lab4.exercise_3(_bucket_admit(start_full=False))
    assert "too strict" in _feedback(empty)
    always = lab4.exercise_3(lambda bucket, now, in_flight: (bucket, True))
    assert "admits everything" in _feedback(always)
    numbers = lab4.exercise_3(_bucket_admit(as_int=True))
    assert "True or False" in _feedback(numbers)


def test_a_token_bucket_that_forgets_its_state_or_returns_a_bare_bool_is_feedback():
    forgetful = lab4.exercise_3(lambda bucket, now, in_flight: _bucket_admit()(
        {"rate": bucket["rate"], "burst": bucket["burst"]}, now, in_flight))
    assert forgetful.score == 0 and "in the bucket you return" in _feedback(forgetful)
    bare = lab4.exercise_3(lambda bucket, now, in_flight: True)
    assert bare.score == 0 and "return a pair (bucket, admitted)" in _feedback(bare)


# --- Exercise 4 -----------------------------------------------------------------------

def _bucket_policy(rate, burst):
    def admit_policy(state, now, in_flight):
        return _bucket_admit()(state or {"rate": rate, "burst": burst}, now, in_flight)
    return admit_policy


def test_admitting_everything_fails_the_overload_check_and_says_why():
    result = lab4.exercise_4(lambda state, now, in_flight: (state, True))
    text = _feedback(result)
    assert result.score == 0
    assert "never recovered" in text and "queue reached" in text
    assert "metastable" in text


def test_policies_that_refuse_too_much_or_admit_too_fast_get_their_hints():
    fast = lab4.exercise_4(_bucket_policy(150.0, 10))
    assert "admits more than the node's" in _feedback(fast)
    stingy = lab4.exercise_4(_bucket_policy(40.0, 5))
    assert "refuses too much" in _feedback(stingy)


def test_a_concurrency_limit_and_a_token_bucket_below_capacity_pass():
    assert lab4.exercise_4(lambda state, now, in_flight: (state, in_flight < 10)).score == 4
    rate = 0.9 * rl.relay.LOGIC_SERVICE_RATE
    assert lab4.exercise_4(_bucket_policy(rate, 10)).score == 4


def test_plain_policy_runs_the_reference_bucket_exactly():
    # The adapter hands each answer's state back: the plain-data bucket behaves as the
    # course's TokenBucket object on the same spike.
    plain = rl.scalability.spike_run("none", 2, seed=7,
                                     policy=rl.scalability.PlainPolicy(_bucket_policy(90.0, 10)))
    reference = rl.scalability.spike_run("none", 2, seed=7,
                                         policy=rl.scalability.TokenBucket(90.0, 10))
    assert np.array_equal(plain.queue, reference.queue)
    assert np.array_equal(plain.goodput, reference.goodput)


def test_a_policy_with_a_wrong_answer_or_one_that_raises_is_feedback():
    bare = lab4.exercise_4(lambda state, now, in_flight: True)
    assert bare.score == 0 and "(state, admitted)" in _feedback(bare)

    def broken(state, now, in_flight):
        if now > 1.0:
            raise KeyError("boom")
        return state, True

    raised = lab4.exercise_4(broken)
    assert raised.score == 0 and "KeyError" in _feedback(raised)
    assert lab4.exercise_4(lambda a, b: (a, True)).score == 0


# --- Exercise 5 -----------------------------------------------------------------------

def _fit(nodes, throughput):
    nodes, throughput = np.asarray(nodes, float), np.asarray(throughput, float)

    def usl(n, single, sigma, kappa):
        return single * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))

    (single, sigma, kappa), _ = curve_fit(usl, nodes, throughput,
                                          p0=(throughput[0], 0.01, 1e-4),
                                          bounds=([0, 0, 0], [np.inf, 1, np.inf]))
    return single, sigma, kappa


def test_usl_peak_slips_get_their_hints():
    def with_peak(peak_of):
        def fit_usl(nodes, throughput):
            single, sigma, kappa = _fit(nodes, throughput)
            return single, sigma, kappa, peak_of(single, sigma, kappa)
        return fit_usl

    right = lab4.exercise_5(with_peak(lambda x, s, k: math.sqrt((1 - s) / k)))
    assert right.score == 3
    no_one_minus = lab4.exercise_5(with_peak(lambda x, s, k: math.sqrt(s / k)))
    assert "one minus sigma" in _feedback(no_one_minus) and no_one_minus.score == 1
    no_root = lab4.exercise_5(with_peak(lambda x, s, k: (1 - s) / k))
    assert "square root" in _feedback(no_root)
    throughput = lab4.exercise_5(
        with_peak(lambda x, s, k: x * rl.theory.usl(math.sqrt((1 - s) / k), s, k)))
    assert "throughput at the peak" in _feedback(throughput)


def test_a_poor_fit_or_out_of_range_coefficients_fail():
    linear = lab4.exercise_5(lambda n, x: (x[0], 0.0, 0.0, math.inf))
    assert "misses the data" in _feedback(linear)
    negative = lab4.exercise_5(lambda n, x: (100.0, -0.1, 0.001, 30.0))
    assert "sigma must lie in [0, 1]" in _feedback(negative)
    wrong_shape = lab4.exercise_5(lambda n, x: 25.0)
    assert "return a tuple" in _feedback(wrong_shape)


# --- Probes from fb.rng: float32 is rounding, a table of answers does not carry over -----

def _answers(solution_answers):
    return solution_answers["04-scalability"]


def test_a_float32_answer_scores_full_marks(solution_answers):
    """The solution's answers rounded to float32 (about 6e-8) pass, in Jupyter and graded:
    Little's law, and a USL fit whose four numbers are float32."""
    mean_latency = _answers(solution_answers)["mean_latency"]
    fit_usl = _answers(solution_answers)["fit_usl"]

    def latency_in_float32(throughput, in_flight):
        return np.float32(mean_latency(throughput, in_flight))

    def fit_in_float32(nodes, throughput):
        return tuple(np.float32(v) for v in fit_usl(nodes, throughput))

    probing.assert_full_marks_everywhere(lab4.exercise_1, latency_in_float32)
    probing.assert_full_marks_everywhere(lab4.exercise_5, fit_in_float32)


@pytest.mark.parametrize("name, default", [
    ("mean_latency", 0.0), ("nodes_needed", 1), ("fit_usl", (1.0, 0.0, 0.0, 1.0))])
def test_a_table_of_the_feedbacks_answers_does_not_carry_over_to_the_grader(
        name, default, solution_answers):
    """Answers recorded from the probes Jupyter shows pass there, and fail the grader's
    probes, which come from another (secret) seed."""
    probing.assert_a_table_does_not_carry_over(
        next(c for c in CHECKS if c.uses == (name,)), _answers(solution_answers)[name],
        default)


def test_a_token_bucket_replayed_from_a_table_does_not_carry_over(solution_answers):
    """Replaying the admissions Jupyter's arrival patterns got fails fresh patterns."""
    admit = _answers(solution_answers)["admit"]
    table = {}

    def recording(bucket, now, in_flight):
        key = (bucket["rate"], bucket["burst"], now)
        table.setdefault(key, []).append(admit(bucket, now, in_flight)[1])
        return admit(bucket, now, in_flight)

    def from_table(bucket, now, in_flight):
        seen = bucket.get("seen", {})
        key = (bucket["rate"], bucket["burst"], now)
        answers = table.get(key, [False])
        n = seen.get(repr(key), 0)
        return ({**bucket, "seen": {**seen, repr(key): n + 1}},
                answers[min(n, len(answers) - 1)])

    assert lab4.exercise_3(recording, quiet=True).status == "pass"
    probing.assert_passes_in_jupyter_only(lab4.exercise_3, from_table)


def test_jupyter_repeats_its_probes_and_the_grader_draws_others():
    """In Jupyter the feedback is the same on every run (a fixed seed); graded, it is not."""
    def wrong(throughput, in_flight):
        return 0.5

    probing.assert_jupyter_repeats_and_the_grader_draws_others(lab4.exercise_1, wrong)
