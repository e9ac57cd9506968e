"""Checks for Lab 4, Scalability: a load test read with Little's law, Erlang C sizing,
a token bucket, an admission policy under overload, and a USL fit.

The lab's setup cell does ``from reactive_lab.teaching.labs import lab04_scalability as
check``; after each exercise a cell calls ``check.exercise_N(the_learners_answer)``. Each
check probes the learner's function on inputs of its own and compares with
:mod:`reactive_lab.theory` and :mod:`reactive_lab.scalability`, so the lab and the book
agree and a copied number cannot pass. The learner's code crosses to the checks only as
plain data: the token bucket and the admission policy are functions ``admit(state, now,
in_flight) -> (state, admitted)`` over a dict they keep, and the overload check runs the
policy at a logic node's door through the chapter's spike experiment
(:func:`reactive_lab.scalability.spike_run`, via
:class:`reactive_lab.scalability.PlainPolicy`), with retrying phones.

>>> result = exercise_1(lambda throughput, in_flight: in_flight / throughput)
Exercise 1 (latency from a load test): 2/2 - pass
  + mean_latency is Little's law W = L / X on 5 fresh load tests.
"""

# Taught in solutions/04-scalability.ipynb; keep names in sync.

from __future__ import annotations

import math

import numpy as np

from reactive_lab import relay, scalability, theory
from reactive_lab.scalability import overload
from reactive_lab.teaching.answers import AnswerFailed
from reactive_lab.teaching.checking import NOT_DONE, call, describe, exercise

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5"]

_RELATIVE = 1e-9
"""Agreement asked of a learner's exact number: only rounding may differ."""


def _close(value: float, expected: float, rel: float = _RELATIVE) -> bool:
    return math.isclose(value, expected, rel_tol=rel, abs_tol=1e-12)


# --- Exercise 1: Little's law -----------------------------------------------------------

@exercise(1, "latency from a load test", uses=("mean_latency",), max_score=2)
def exercise_1(fb, mean_latency):
    """mean_latency(throughput, in_flight) is Little's law W = L / X."""
    function = fb.function(mean_latency, "mean_latency", arity=2)
    cases = [(80.0, 4.1), (1200.0, 35.0), (3.5, 0.7), (250.0, 250.0), (42.0, 0.0)]
    for throughput, in_flight in cases:
        shown = f"mean_latency({throughput:g}, {in_flight:g})"
        value = fb.number(call(fb, function, throughput, in_flight), shown)
        expected = theory.littles_law(arrival_rate=throughput, mean_number=in_flight)
        if _close(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g} s.")
        fb.hint_from(value, [
            (throughput * in_flight, "L = X W, so W = L / X: divide the number inside by "
                                     "the throughput, do not multiply."),
            (throughput / in_flight if in_flight else math.inf,
             "upside down: W = L / X, requests inside over requests per second."),
            (1000 * expected, "return seconds, not milliseconds."),
        ], "Little's law: L = X W, so the mean time inside is W = L / X.", same=_close)
        fb.stop()
    fb.right(f"mean_latency is Little's law W = L / X on {len(cases)} fresh load tests.")
    return 2


# --- Exercise 2: sizing with Erlang C ---------------------------------------------------

@exercise(2, "nodes for a wait objective", uses=("nodes_needed",), max_score=3)
def exercise_2(fb, nodes_needed):
    """nodes_needed(rate, mu, wait, level): fewest c with P(Wq <= wait) >= level."""
    function = fb.function(nodes_needed, "nodes_needed", arity=4)
    # The first case tells the classic slips apart: stability alone, the mean wait and
    # "no wait at all" each give a different count there.
    cases = [(2500.0, 100.0, 0.005, 0.999), (900.0, 100.0, 0.02, 0.99), (45.0, 10.0, 0.1, 0.9),
             (3.0, 1.0, 0.0, 0.5), (0.5, 1.0, 1.0, 0.95)]
    for i, (rate, mu, wait, level) in enumerate(cases):
        shown = f"nodes_needed({rate:g}, {mu:g}, {wait:g}, {level:g})"
        value = fb.number(call(fb, function, rate, mu, wait, level), shown)
        expected = theory.servers_for_service_level(rate, mu, wait, level)
        if value == expected:
            continue
        fb.off(f"{shown} returned {value:g}; the fewest nodes with P(wait <= {wait:g} s) "
               f">= {level:g} is {expected}.")
        _sizing_hint(fb, value, rate, mu, wait, level, expected)
        fb.stop(score=1 if i > 0 else 0)
    fb.right(f"nodes_needed matches Erlang C's service level on {len(cases)} fresh "
             "objectives, including a wait of 0 and a load below one server.")
    return 3


def _sizing_hint(fb, value, rate, mu, wait, level, expected):
    load = rate / mu
    stable = math.floor(load) + 1
    by_mean = next(c for c in range(stable, stable + 10_000)
                   if theory.mmc(rate, mu, c).mean_wait <= wait)
    by_wait_at_all = next(c for c in range(stable, stable + 10_000)
                          if 1 - theory.erlang_c(c, load) >= level)
    if value == stable or value == math.ceil(load):
        fb.hint("that only makes the queue stable (utilisation below 1); keep adding nodes "
                "until 1 - C(c, a) exp(-(c mu - lambda) t) reaches the level.")
    elif value == by_mean and by_mean != expected:
        fb.hint("that sizes for the mean wait; the objective is about the share of "
                "requests that wait at most t.")
    elif value == by_wait_at_all and by_wait_at_all != expected:
        fb.hint("that asks for P(no wait at all) >= level; a wait up to t is allowed: "
                "1 - C exp(-(c mu - lambda) t).")
    elif value == expected + 1:
        fb.hint("one too many: return the first number of nodes that meets the objective.")
    elif value == expected - 1:
        fb.hint("one too few: the objective must hold, P(wait <= t) >= level, at the "
                "number you return.")
    else:
        fb.hint("start at the fewest stable nodes, floor(lambda / mu) + 1, and add one at "
                "a time until 1 - erlang_c(c, lambda / mu) * exp(-(c mu - lambda) t) >= "
                "level.")


# --- Exercise 3: a token bucket ---------------------------------------------------------

_BUCKET_PROBES = (
    # (rate, burst, arrival times): a burst, a refill, a long pause, a fast stream.
    (10.0, 3, (0.0, 0.0, 0.0, 0.0, 0.05, 0.1, 0.1, 0.25, 5.0, 5.0, 5.0, 5.0)),
    (2.0, 1, tuple(0.2 * i for i in range(20))),
    (100.0, 20, tuple(0.001 * i for i in range(60))),
)


def _expected_admissions(rate, burst, times):
    bucket = scalability.TokenBucket(rate=rate, burst=burst)
    return [bucket.admit(t, 0) for t in times]


def _is_answer(value) -> bool:
    return isinstance(value, tuple | list) and len(value) == 2


@exercise(3, "a token bucket", uses=("admit",), max_score=3)
def exercise_3(fb, admit):
    """admit(bucket, now, in_flight) -> (bucket, admitted) agrees with a reference bucket.

    Each probe starts from the plain dict ``{"rate": r, "burst": b}`` and hands back, on
    every request, the bucket the learner's function returned for the one before.
    """
    function = fb.function(admit, "admit", arity=3)
    for number, (rate, burst, times) in enumerate(_BUCKET_PROBES):
        bucket = {"rate": rate, "burst": burst}
        got = []
        for t in times:
            shown = f"admit(<bucket>, {t:g}, 0) with rate={rate:g}, burst={burst}"
            answer = call(fb, function, bucket, t, 0)
            if answer is NOT_DONE:
                fb.not_done()
            if not _is_answer(answer) or not isinstance(answer[0], dict):
                fb.stop(f"{shown} returned {describe(answer)}; return a pair (bucket, "
                        "admitted), the bucket a dict.", score=number)
            bucket, value = answer
            if value is NOT_DONE:
                fb.not_done()
            got.append(value)
        expected = _expected_admissions(rate, burst, times)
        if [v is True for v in got] == expected and all(isinstance(v, bool) for v in got):
            continue
        first = next((i for i, (g, e) in enumerate(zip(got, expected)) if bool(g) != e), 0)
        fb.off(f"bucket {{rate: {rate:g}, burst: {burst}}}: requests at "
               f"{[round(t, 3) for t in times[:first + 1]]} s were answered "
               f"{[bool(g) for g in got[:first + 1]]}; expected "
               f"{expected[:first + 1]}.")
        _bucket_hint(fb, got, expected)
        fb.stop(score=number)
    fb.right("admit lets bursts through up to the bucket's size, refills at its rate, and "
             "never holds more than a full bucket, on 3 fresh arrival patterns.")
    return 3


def _bucket_hint(fb, got, expected):
    if not all(isinstance(v, bool) for v in got):
        fb.hint("admitted should be True or False.")
    elif all(got):
        fb.hint("it admits everything: take a token for each request, keep the tokens "
                "left in the bucket you return (the next request gets that bucket), and "
                "refuse when fewer than one is left.")
    elif sum(got) < sum(expected):
        fb.hint("too strict: refill tokens for the time since the last request "
                "(elapsed x rate), and start with a full bucket.")
    else:
        fb.hint("too generous: cap the tokens at `burst` when refilling, so a long pause "
                "does not store up more than a full bucket.")


# --- Exercise 4: an admission policy in the overload experiment -----------------------

MAX_QUEUE = 100
"""Longest queue the policy may allow: one second of a logic node's work."""
MIN_SPIKE_GOODPUT = 0.8
"""Share of capacity that must be answered in time during the spike."""
MAX_RECOVERY_S = 3.0
"""Seconds after the spike by which goodput must be back to normal."""
_SEEDS = (404, 405)


@exercise(4, "an admission policy under overload", uses=("admit_policy",), max_score=4)
def exercise_4(fb, admit_policy):
    """admit_policy(state, now, in_flight) guards a logic node through a spike.

    The learner's function runs at the door of :func:`~reactive_lab.scalability.spike_run`
    through :class:`~reactive_lab.scalability.PlainPolicy`, called once per request with
    the state it returned for the request before (None for the first).
    """
    function = fb.function(admit_policy, "admit_policy", arity=3)
    first = call(fb, function, None, 0.0, 0)
    if first is NOT_DONE:
        fb.not_done()
    if not _is_answer(first) or not isinstance(first[1], bool):
        fb.stop(f"admit_policy(None, 0, 0) returned {describe(first)}; return a pair "
                "(state, admitted) with admitted True or False.")
    mu = relay.LOGIC_SERVICE_RATE
    for seed in _SEEDS:
        policy = scalability.PlainPolicy(function)
        try:
            result = overload.spike_run("none", 2, seed, policy)
        except (AnswerFailed, ValueError) as error:
            fb.stop(f"your policy failed during the run: {error}")
        spike = (result.seconds >= overload.SPIKE_START) & (result.seconds < overload.SPIKE_END)
        queue = int(result.queue.max())
        during = float(result.goodput[spike].mean())
        late = result.recovered_at - overload.SPIKE_END
        problems = []
        if queue > MAX_QUEUE:
            problems.append(f"the queue reached {queue} requests (at most {MAX_QUEUE}, one "
                            "second of work, keeps answers inside the phones' timeout)")
        if during < MIN_SPIKE_GOODPUT * mu:
            problems.append(f"during the spike only {during:.0f} requests/s were answered "
                            f"in time (at least {MIN_SPIKE_GOODPUT * mu:.0f}/s)")
        if not late <= MAX_RECOVERY_S:
            when = ("never recovered" if math.isinf(late)
                    else f"recovered {late:.0f} s after it")
            problems.append(f"after the spike ended at {overload.SPIKE_END:.0f} s the node "
                            f"{when} (at most {MAX_RECOVERY_S:.0f} s)")
        if not problems:
            continue
        fb.off(f"with your policy at the door (seed {seed}): " + "; ".join(problems) + ".")
        _policy_hint(fb, policy.state, queue, during)
        return 0
    fb.right(f"through a spike to {overload.SPIKE_LOAD:.0%} of capacity with phones "
             f"that retry twice, your policy kept the queue under {MAX_QUEUE}, answered "
             f"at least {MIN_SPIKE_GOODPUT:.0%} of capacity in time and recovered within "
             f"{MAX_RECOVERY_S:.0f} s, on {len(_SEEDS)} runs.")
    return 4


def _policy_hint(fb, state, queue, during):
    mu = relay.LOGIC_SERVICE_RATE
    rate = state.get("rate") if isinstance(state, dict) else None
    if queue > 10 * MAX_QUEUE:
        fb.hint("it admits nearly everything: the queue grows, every phone times out and "
                "retries, and the retries keep the node saturated after the spike (a "
                "metastable failure). Refuse work beyond what the node can serve.")
    elif isinstance(rate, int | float) and rate >= mu:
        fb.hint(f"a token bucket at {rate:g}/s admits more than the node's {mu:.0f}/s: set "
                "the rate below capacity, or limit concurrency instead.")
    elif during < MIN_SPIKE_GOODPUT * mu:
        fb.hint("it refuses too much: the node sits idle while phones are refused. Admit "
                "up to its capacity (a concurrency limit of about 5-20, or a rate near 90% "
                "of capacity).")
    else:
        fb.hint("bound the work inside the node: a concurrency limit (admit while "
                "in_flight < limit) does it whatever the node's speed.")


# --- Exercise 5: a USL fit ----------------------------------------------------------------

_USL_PROBES = (
    (np.array([1, 2, 4, 8, 12, 16, 24, 32]), 120.0, 0.03, 0.0015, 501),
    (np.array([1, 2, 3, 4, 6, 8, 10, 14, 20]), 80.0, 0.08, 0.004, 502),
)


def _probe(sizes, single, sigma, kappa, seed):
    noise = 1 + 0.02 * np.random.default_rng(seed).standard_normal(sizes.size)
    return single * theory.usl(sizes, sigma, kappa) * noise


def _relative_rms(sizes, measured, single, sigma, kappa):
    model = single * theory.usl(sizes, sigma, kappa)
    return float(np.sqrt(np.mean(((model - measured) / measured) ** 2)))


@exercise(5, "a USL fit and its peak", uses=("fit_usl",), max_score=3)
def exercise_5(fb, fit_usl):
    """fit_usl(nodes, throughput) -> (single, sigma, kappa, peak), as good as the course's."""
    function = fb.function(fit_usl, "fit_usl", arity=2)
    for number, (sizes, *truth, seed) in enumerate(_USL_PROBES):
        measured = _probe(sizes, *truth, seed)
        shown = f"fit_usl(<{sizes.size} sizes>, <{sizes.size} throughputs>)"
        answer = call(fb, function, sizes, measured)
        if answer is NOT_DONE:
            fb.not_done()
        if not (isinstance(answer, tuple | list) and len(answer) == 4):
            fb.stop(f"{shown} returned {describe(answer)}; return a tuple (single, sigma, "
                    "kappa, peak).", score=number)
        single, sigma, kappa, peak = (fb.number(v, f"{shown}[{i}]")
                                      for i, v in enumerate(answer))
        reference = theory.fit_usl(sizes, measured)
        best = _relative_rms(sizes, measured, reference.single_node, reference.contention,
                             reference.coherency)
        if not (0 <= sigma <= 1 and kappa >= 0 and single > 0):
            fb.stop(f"{shown} gave single={single:.4g}, sigma={sigma:.4g}, kappa={kappa:.4g}: "
                    "sigma must lie in [0, 1] and kappa and single be positive (use "
                    "bounds in curve_fit).", score=number)
        misfit = _relative_rms(sizes, measured, single, sigma, kappa)
        if misfit > 1.5 * best + 0.005:
            fb.off(f"your curve misses the data by {misfit:.1%} (RMS, relative); the "
                   f"course's fit misses by {best:.1%}.")
            fb.hint("fit X(N) = single N / (1 + sigma (N-1) + kappa N (N-1)) with "
                    "scipy.optimize.curve_fit, starting from single = throughput at N=1 "
                    "and small sigma and kappa.")
            fb.stop(score=number)
        expected_peak = theory.usl_peak(sigma, kappa)
        if not _close(peak, expected_peak, rel=1e-6):
            fb.off(f"with your sigma={sigma:.4g} and kappa={kappa:.4g}, the peak is at "
                   f"N* = {expected_peak:.4g}; you returned {peak:.4g}.")
            fb.hint_from(peak, [
                (math.sqrt(sigma / kappa) if kappa else math.inf,
                 "N* = sqrt((1 - sigma) / kappa): one minus sigma."),
                ((1 - sigma) / kappa if kappa else math.inf, "take the square root."),
                (single * theory.usl(expected_peak, sigma, kappa),
                 "that is the throughput at the peak; return the cluster size N*."),
            ], "set the derivative of C(N) to zero: N* = sqrt((1 - sigma) / kappa).",
                same=lambda a, b: _close(a, b, rel=1e-6))
            fb.stop(score=number + 1 if number else 1)
    fb.right("fit_usl fits 2 fresh load tests as closely as the course's least-squares "
             "fit, and its peak is sqrt((1 - sigma) / kappa).")
    return 3
