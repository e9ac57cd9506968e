"""Checks for Lab 2, Interfaces and state: timeouts, duplicates, jitter, a payment handler, quorums.

The lab's setup cell does ``from reactive_lab.teaching.labs import lab02_interfaces as
check``; after each exercise a cell calls ``check.exercise_N(the_learners_function)``.
Each check probes the function on inputs of its own, drawn from ``fb.rng`` (other latency
distributions, loss rates, attempts, quorum sizes; a fixed seed in Jupyter, a secret one in
the grader), against :mod:`reactive_lab.theory` and :mod:`reactive_lab.interfaces`, so
neither a number copied from the lab nor a table of the feedback's answers can pass.
Exercise 4 runs the learner's payment handler under lost, duplicated and reordered messages
with the simulation core's checker (:func:`reactive_lab.core.sim.scenario.check_handler`),
on runs seeded from ``fb.rng``, and shows the smallest failing trace when the handler is
wrong.

>>> result = exercise_5(lambda n, r, w: 0.0, quiet=True)
>>> result.score, "hint: 0 is right only when R + W > N" in result.feedback
(0.0, True)
"""

# Taught in solutions/02-interfaces.ipynb; keep names in sync.

from __future__ import annotations

import math

from reactive_lab import theory
from reactive_lab.core import Exponential, LogNormal, Uniform
from reactive_lab.core.sim.checker import check_handler
from reactive_lab.core.sim.scenario import HandlerError, Scenario
from reactive_lab.interfaces import Decorrelated
from reactive_lab.teaching.checking import NOT_DONE, agrees, call, exercise

__all__ = ["JITTER_BASE", "JITTER_CAP", "PAYMENT_SCENARIO", "exercise_1", "exercise_2",
           "exercise_3", "exercise_4", "exercise_5"]

JITTER_BASE = 1.0
"""Base of the lab's decorrelated jitter, in hold times."""

JITTER_CAP = 32.0
"""Cap of the lab's decorrelated jitter, in hold times."""

PAYMENT_SCENARIO = Scenario(clients=3, operations=6, loss=0.15, duplicate=0.1, reorder=0.2,
                            timeout=3.0, retries=6)
"""The world exercise 4's handler must survive: 3 clients, lost, duplicated, reordered."""

_PAYMENT_RUNS = 60
"""Seeded runs of exercise 4; a handler that keeps only the last few keys fails in the first."""



def _round(x: float, digits: int = 3) -> float:
    """``x`` to ``digits`` significant digits: probes that read well in the feedback."""
    return float(f"{x:.{digits}g}")


def _at(latency, rng, low: float, high: float) -> float:
    """A timeout at a random quantile of ``latency`` between ``low`` and ``high``."""
    return _round(latency.ppf(float(rng.uniform(low, high))))


def _latencies(rng):
    """Four fresh (latency, timeout) probes: timeouts in the body, the tail and below the
    body of their distribution, and one past a bounded latency's end (no false timeout)."""
    exponential = Exponential(_round(rng.uniform(0.2, 2.0)))
    heavy = LogNormal(mean=_round(rng.uniform(3.0, 12.0)), cv=_round(rng.uniform(1.2, 2.5)))
    low = _round(rng.uniform(0.5, 3.0))
    flat = Uniform(low, _round(low + rng.uniform(2.0, 10.0)))
    light = LogNormal(mean=_round(rng.uniform(3.0, 8.0)), cv=_round(rng.uniform(0.4, 1.0)))
    bounded = Uniform(low, _round(low + rng.uniform(1.0, 5.0)))
    return [(exponential, _at(exponential, rng, 0.5, 0.97)),
            (heavy, _at(heavy, rng, 0.6, 0.995)),
            (flat, _at(flat, rng, 0.1, 0.9)),
            (light, _at(light, rng, 0.01, 0.1)),
            (bounded, _round(bounded.high + rng.uniform(0.5, 5.0)))]


@exercise(1, "false timeouts", uses=("false_timeout_share",), max_score=2)
def exercise_1(fb, false_timeout_share):
    """Share of calls that time out although the callee answers: 1 - F(timeout)."""
    function = fb.function(false_timeout_share, "false_timeout_share", arity=2)
    cases = _latencies(fb.rng)
    for latency, timeout in cases:
        shown = f"false_timeout_share({latency}, {timeout:g})"
        value = fb.number(call(fb, function, latency, timeout), shown)
        expected = theory.false_timeout_rate(latency, timeout)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g}.")
        fb.hint_from(value, [
            (1 - expected, "that is F(timeout), the share that answers in time; a false "
                           "timeout is a reply that comes later: 1 - F(timeout)."),
            (100 * expected, "give a share between 0 and 1, not a percentage."),
            (float(latency.mean > timeout), "compare the whole distribution with the "
                                            "timeout, not just its mean: use latency.cdf."),
        ], "a call times out when its latency exceeds the timeout: 1 - latency.cdf(timeout).",
            same=agrees)
        fb.stop()
    fb.right(f"false_timeout_share is 1 - F(timeout) on {len(cases)} fresh latency "
             "distributions, a timeout past the slowest reply included.")
    return 2


@exercise(2, "duplicates with two attempts", uses=("duplicate_probability",), max_score=2)
def exercise_2(fb, duplicate_probability):
    """P(an operation takes effect twice) with two attempts and no deduplication."""
    function = fb.function(duplicate_probability, "duplicate_probability", arity=2)
    cases = [(_round(fb.rng.uniform(0.02, 0.4), 2), _round(fb.rng.uniform(0.02, 0.5), 2))
             for _ in range(3)]
    cases += [(0.0, _round(fb.rng.uniform(0.1, 0.6), 2)),  # no request lost
              (_round(fb.rng.uniform(0.05, 0.4), 2), 0.0)]  # no reply lost: no retry
    for p, r in cases:
        shown = f"duplicate_probability({p:g}, {r:g})"
        value = fb.number(call(fb, function, p, r), shown)
        expected = theory.effect_counts(p, r, attempts=2).more
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g}.")
        fb.hint_from(value, [
            ((1 - p) * r, "the second attempt's request can be lost too: then there is only "
                          "one effect."),
            (r, "the first request must arrive (1 - request_loss) for there to be a first "
                "effect, and the second too."),
            (r * (1 - r), "the second attempt's *reply* does not matter: the effect happens "
                          "when its request arrives."),
            ((1 - p) * r * (1 - p) * (1 - r), "once the second request arrives the effect "
                                              "is done, whether its reply arrives or not."),
        ], "two effects need: request 1 arrives, its reply is lost (so the caller retries), "
           "and request 2 arrives.", same=agrees)
        fb.stop()
    fb.right(f"duplicate_probability matches the attempt-by-attempt count on {len(cases)} "
             "fresh loss rates, no request or no reply lost included.")
    return 2


@exercise(3, "decorrelated jitter", uses=("decorrelated_jitter",), max_score=2)
def exercise_3(fb, decorrelated_jitter):
    """The lab's policy: min(cap, base + U (3 max(previous, base) - base))."""
    function = fb.function(decorrelated_jitter, "decorrelated_jitter", arity=3)
    reference = Decorrelated(base=JITTER_BASE, cap=JITTER_CAP)
    cases = _jitter_cases(fb.rng)
    for attempt, previous, uniform in cases:
        shown = f"decorrelated_jitter({attempt}, {previous:g}, {uniform:g})"
        value = fb.number(call(fb, function, attempt, previous, uniform), shown)
        expected = reference.delay(attempt, previous, uniform)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g}.")
        last = max(previous, JITTER_BASE)
        fb.hint_from(value, [
            (JITTER_BASE + uniform * (3 * last - JITTER_BASE),
             f"cap the wait at JITTER_CAP = {JITTER_CAP:g}."),
            (min(JITTER_CAP, JITTER_BASE + uniform * (3 * previous - JITTER_BASE)),
             "on the first retry there is no previous wait: use max(previous, JITTER_BASE)."),
            (min(JITTER_CAP, uniform * 3 * last),
             "the wait starts at JITTER_BASE: base + U x (3 x previous - base)."),
        ], "wait = min(cap, base + uniform x (3 x max(previous, base) - base)).",
            same=agrees)
        fb.stop()
    fb.right(f"decorrelated_jitter matches the formula on {len(cases)} probes, the cap and "
             "the first retry included.")
    return 2


def _jitter_cases(rng):
    """Six (attempt, previous, uniform) probes: the first retry (no previous wait), waits
    in the body, one the cap must cut, a previous wait below the base, and uniform = 0."""
    def attempt():
        return int(rng.integers(3, 9))

    def uniform(low=0.02, high=0.98):
        return round(float(rng.uniform(low, high)), 3)

    return [(2, 0.0, uniform()),
            (attempt(), round(float(rng.uniform(1.5, 4.0)), 2), uniform()),
            (attempt(), round(float(rng.uniform(4.0, 9.0)), 2), uniform(0.1, 0.6)),
            # 1 + 0.75 (3 x 15 - 1) = 34 > 32: the cap bites
            (attempt(), round(float(rng.uniform(15.0, 40.0)), 2), uniform(0.75, 0.999)),
            (attempt(), round(float(rng.uniform(0.05, 0.95)), 2), uniform()),
            (2, 0.0, 0.0)]


def _checked_runs(fb, handler, scenario, runs, seed):
    """Run the payments workload on *handler*; a handler error becomes the check's message.

    The handler is the learner's :class:`~reactive_lab.teaching.answers.Function`: the
    simulation calls it once per message, with plain data, under the per-call time limit.
    Run *i* is seeded ``seed + i``.
    """
    try:
        return check_handler(handler, scenario=scenario, runs=runs, seed=seed)
    except HandlerError as error:
        fb.stop(f"the simulation stopped: {error}")


@exercise(4, "an exactly-once payment handler", uses=("payment_handler",), max_score=4)
def exercise_4(fb, payment_handler):
    """The handler applies every payment exactly once under loss, duplicates and reordering."""
    function = fb.function(payment_handler, "payment_handler", arity=2)
    init = {"src": "n1", "dest": "n1",
            "body": {"type": "init", "node_id": "n1", "node_ids": ["n1"]}}
    if call(fb, function, None, init) is NOT_DONE:
        fb.not_done()
    # One fixed run without faults: a sanity check whose partial credit means the same
    # for everyone (on some seeds a slow reply makes even this run retry).
    quiet = Scenario(clients=1, operations=3)
    verdict = _checked_runs(fb, function, quiet, 1, 0)
    if not verdict.holds:
        fb.off("even on a perfect network (no loss, no duplicates) the invariant fails:")
        fb.off(str(verdict).replace("\n", "\n    "))
        fb.hint("apply a payment the first time its key arrives, answer every 'pay' with "
                "'pay_ok' and every 'read' with the list of payments applied.")
        fb.stop()
    fb.right("on a perfect network every payment is applied once and acknowledged.")
    verdict = _checked_runs(fb, function, PAYMENT_SCENARIO, _PAYMENT_RUNS,
                            int(fb.rng.integers(2**31)))
    if not verdict.holds:
        fb.off("under lost, duplicated and reordered messages the invariant fails. The "
               "smallest failing run:")
        fb.off(str(verdict).replace("\n", "\n    "))
        violation = verdict.failure.violation
        if "applied" in violation and "times" in violation:
            fb.hint("a duplicate or a retry was applied again: remember every payment key "
                    "you applied, for as long as a copy of it can still arrive (here: for "
                    "the whole run), and skip the repeats, still answering 'pay_ok'.")
        else:
            fb.hint("a payment the client saw acknowledged is missing: apply it before "
                    "you acknowledge it, and recognise repeats by the payment's key "
                    "(body['payment']), not by msg_id, which every client numbers from 1 "
                    "and every retry changes.")
        fb.stop(score=1)
    fb.right(f"holds over {_PAYMENT_RUNS} fresh seeded runs with 15% of messages lost, 10% "
             "duplicated and 20% reordered: every acknowledged payment applied exactly once.")
    return 4


@exercise(5, "stale reads under random quorums", uses=("stale_read_probability",),
          max_score=2)
def exercise_5(fb, stale_read_probability):
    """PBS: a read of R random replicas misses a write on W random ones of N."""
    function = fb.function(stale_read_probability, "stale_read_probability", arity=3)
    cases = _quorums(fb.rng)
    for n, r, w in cases:
        shown = f"stale_read_probability({n}, {r}, {w})"
        value = fb.number(call(fb, function, n, r, w), shown)
        expected = theory.k_staleness(n, r, w)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g}.")
        fb.hint_from(value, [
            (1 - expected, "that is the chance the read *meets* the write; stale means it "
                           "misses it."),
            (((n - w) / n) ** r, "the read picks R distinct replicas, without replacement: "
                                 "count sets, C(N-W, R) / C(N, R)."),
            (0.0, "0 is right only when R + W > N; otherwise count the read sets that miss "
                  "the write set: C(N-W, R) of the C(N, R)."),
        ], "stale = C(N-W, R) / C(N, R): every replica the read asks lacks the write.",
            same=agrees)
        fb.stop()
    fb.right(f"stale_read_probability matches PBS's C(N-W, R) / C(N, R) on {len(cases)} "
             "fresh (N, R, W), an overlapping quorum included.")
    return 2


def _quorums(rng):
    """Five fresh (N, R, W), 1 <= R, W <= N: three with R >= 2 and R + W <= N (a read can
    miss the write, and drawing with or without replacement differ), one read of a
    single replica, and last an overlapping quorum (R + W > N: never stale)."""
    cases = []
    for _ in range(3):
        n = int(rng.integers(5, 13))
        r = int(rng.integers(2, n - 2))
        cases.append((n, r, int(rng.integers(1, n - r + 1))))
    n = int(rng.integers(3, 10))
    cases.append((n, 1, int(rng.integers(1, n))))
    n = int(rng.integers(3, 10))
    r = int(rng.integers(1, n + 1))
    cases.append((n, r, int(rng.integers(n - r + 1, n + 1))))
    return cases
