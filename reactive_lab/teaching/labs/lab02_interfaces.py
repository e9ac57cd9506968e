"""Checks for Lab 2, Interfaces and state: timeouts, duplicates, jitter, a payment handler, quorums.

The lab's setup cell does ``from reactive_lab.teaching.labs import lab02_interfaces as
check``; after each exercise a cell calls ``check.exercise_N(the_learners_function)``.
Each check probes the function on inputs of its own (other latency distributions, loss
rates, attempts, quorum sizes) against :mod:`reactive_lab.theory` and
:mod:`reactive_lab.interfaces`, so a number copied from the lab cannot pass. Exercise 4
runs the learner's payment handler under lost, duplicated and reordered messages with the
simulation core's checker (:func:`reactive_lab.core.sim.scenario.check_handler`) and
shows the smallest failing trace when the handler is wrong.

>>> result = exercise_5(lambda n, r, w: 0.0, quiet=True)
>>> print(result.feedback.splitlines()[1])
  - stale_read_probability(5, 1, 2) returned 0; expected 0.6.
>>> result.score
0.0
"""

# Taught in solutions/02-interfaces.ipynb; keep names in sync.

from __future__ import annotations

import math

from reactive_lab import theory
from reactive_lab.core import Exponential, LogNormal, Uniform
from reactive_lab.core.sim.checker import check_handler
from reactive_lab.core.sim.scenario import HandlerError, Scenario
from reactive_lab.interfaces import Decorrelated
from reactive_lab.teaching.checking import NOT_DONE, call, exercise

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

_RELATIVE = 1e-9
"""Agreement asked of a learner's exact number: only rounding may differ."""


def _close(value: float, expected: float) -> bool:
    return math.isclose(value, expected, rel_tol=_RELATIVE, abs_tol=1e-12)


@exercise(1, "false timeouts", uses=("false_timeout_share",), max_score=2)
def exercise_1(fb, false_timeout_share):
    """Share of calls that time out although the callee answers: 1 - F(timeout)."""
    function = fb.function(false_timeout_share, "false_timeout_share", arity=2)
    cases = [(Exponential(0.5), 3.0), (LogNormal(mean=8.0, cv=2.0), 20.0),
             (Uniform(1.0, 9.0), 7.0), (LogNormal(mean=5.0, cv=1.0), 1.0)]
    for latency, timeout in cases:
        shown = f"false_timeout_share({latency}, {timeout:g})"
        value = fb.number(call(fb, function, latency, timeout), shown)
        expected = theory.false_timeout_rate(latency, timeout)
        if _close(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g}.")
        fb.hint_from(value, [
            (1 - expected, "that is F(timeout), the share that answers in time; a false "
                           "timeout is a reply that comes later: 1 - F(timeout)."),
            (100 * expected, "give a share between 0 and 1, not a percentage."),
            (float(latency.mean > timeout), "compare the whole distribution with the "
                                            "timeout, not just its mean: use latency.cdf."),
        ], "a call times out when its latency exceeds the timeout: 1 - latency.cdf(timeout).",
            same=_close)
        fb.stop()
    fb.right(f"false_timeout_share is 1 - F(timeout) on {len(cases)} fresh latency "
             "distributions.")
    return 2


@exercise(2, "duplicates with two attempts", uses=("duplicate_probability",), max_score=2)
def exercise_2(fb, duplicate_probability):
    """P(an operation takes effect twice) with two attempts and no deduplication."""
    function = fb.function(duplicate_probability, "duplicate_probability", arity=2)
    cases = [(0.1, 0.2), (0.3, 0.05), (0.0, 0.5), (0.25, 0.25)]
    for p, r in cases:
        shown = f"duplicate_probability({p:g}, {r:g})"
        value = fb.number(call(fb, function, p, r), shown)
        expected = theory.effect_counts(p, r, attempts=2).more
        if _close(value, expected):
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
           "and request 2 arrives.", same=_close)
        fb.stop()
    fb.right(f"duplicate_probability matches the attempt-by-attempt count on {len(cases)} "
             "fresh loss rates.")
    return 2


@exercise(3, "decorrelated jitter", uses=("decorrelated_jitter",), max_score=2)
def exercise_3(fb, decorrelated_jitter):
    """The lab's policy: min(cap, base + U (3 max(previous, base) - base))."""
    function = fb.function(decorrelated_jitter, "decorrelated_jitter", arity=3)
    reference = Decorrelated(base=JITTER_BASE, cap=JITTER_CAP)
    cases = [(2, 0.0, 0.5), (3, 2.0, 0.0), (4, 5.0, 0.99), (7, 30.0, 0.9), (2, 0.0, 0.0),
             (5, 0.5, 0.25)]
    for attempt, previous, uniform in cases:
        shown = f"decorrelated_jitter({attempt}, {previous:g}, {uniform:g})"
        value = fb.number(call(fb, function, attempt, previous, uniform), shown)
        expected = reference.delay(attempt, previous, uniform)
        if _close(value, expected):
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
            same=_close)
        fb.stop()
    fb.right(f"decorrelated_jitter matches the formula on {len(cases)} probes, the cap and "
             "the first retry included.")
    return 2


def _checked_runs(fb, handler, scenario, runs):
    """Run the payments workload on *handler*; a handler error becomes the check's message.

    The handler is the learner's :class:`~reactive_lab.teaching.answers.Function`: the
    simulation calls it once per message, with plain data, under the per-call time limit.
    """
    try:
        return check_handler(handler, scenario=scenario, runs=runs, seed=0)
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
    quiet = Scenario(clients=1, operations=3)
    verdict = _checked_runs(fb, function, quiet, 1)
    if not verdict.holds:
        fb.off("even on a perfect network (no loss, no duplicates) the invariant fails:")
        fb.off(str(verdict).replace("\n", "\n    "))
        fb.hint("apply a payment the first time its key arrives, answer every 'pay' with "
                "'pay_ok' and every 'read' with the list of payments applied.")
        fb.stop()
    fb.right("on a perfect network every payment is applied once and acknowledged.")
    verdict = _checked_runs(fb, function, PAYMENT_SCENARIO, _PAYMENT_RUNS)
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
    fb.right(f"holds over {_PAYMENT_RUNS} seeded runs with 15% of messages lost, 10% "
             "duplicated and 20% reordered: every acknowledged payment applied exactly once.")
    return 4


@exercise(5, "stale reads under random quorums", uses=("stale_read_probability",),
          max_score=2)
def exercise_5(fb, stale_read_probability):
    """PBS: a read of R random replicas misses a write on W random ones of N."""
    function = fb.function(stale_read_probability, "stale_read_probability", arity=3)
    cases = [(5, 1, 2), (7, 2, 3), (4, 2, 3), (9, 3, 4), (6, 1, 1)]
    for n, r, w in cases:
        shown = f"stale_read_probability({n}, {r}, {w})"
        value = fb.number(call(fb, function, n, r, w), shown)
        expected = theory.k_staleness(n, r, w)
        if _close(value, expected):
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
            same=_close)
        fb.stop()
    fb.right(f"stale_read_probability matches PBS's C(N-W, R) / C(N, R) on {len(cases)} "
             "fresh (N, R, W), an overlapping quorum included.")
    return 2

