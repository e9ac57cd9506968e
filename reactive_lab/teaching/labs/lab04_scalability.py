"""Checks for Lab 4, Scalability: a load test read with Little's law, Erlang C sizing,
a token bucket, an admission policy under overload, and a USL fit.

The lab's setup cell does ``from reactive_lab.teaching.labs import lab04_scalability as
check``; after each exercise a cell calls ``check.exercise_N(the_learners_answer)``. Each
check probes the learner's function on inputs of its own, drawn from ``fb.rng`` (a fixed
seed in Jupyter, a secret one in the grader), and compares with :mod:`reactive_lab.theory`
and :mod:`reactive_lab.scalability`, so the lab and the book agree and neither a copied
number nor a table of the feedback's answers can pass. The learner's code crosses to the
checks only as plain data: the token bucket and the admission policy are functions
``admit(state, now, in_flight) -> (state, admitted)`` over a dict they keep, and the
overload check runs the policy at a logic node's door through the chapter's spike
experiment (:func:`reactive_lab.scalability.spike_run`, via
:class:`reactive_lab.scalability.PlainPolicy`), with retrying phones, on two fixed seeds.

>>> result = exercise_1(lambda throughput, in_flight: in_flight / throughput)
Exercise 1 (latency from a load test): 2/2 - pass
  + mean_latency is Little's law W = L / lambda on 5 fresh load tests.
"""

# Taught in solutions/04-scalability.ipynb; keep names in sync.

from __future__ import annotations

import math

import numpy as np

from reactive_lab import relay, scalability, theory
from reactive_lab.scalability import overload
from reactive_lab.teaching.answers import AnswerFailed
from reactive_lab.teaching.checking import NOT_DONE, agrees, call, describe, exercise

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5"]



def _round(x: float, digits: int = 3) -> float:
    """``x`` to ``digits`` significant digits: probes that read well in the feedback."""
    return float(f"{x:.{digits}g}")


# --- Exercise 1: Little's law -----------------------------------------------------------

@exercise(1, "latency from a load test", uses=("mean_latency",), max_score=2)
def exercise_1(fb, mean_latency):
    """mean_latency(throughput, in_flight) is Little's law W = L / lambda."""
    function = fb.function(mean_latency, "mean_latency", arity=2)
    cases = []
    for _ in range(4):  # 2 to 3,000 requests/s, 3 ms to 3 s inside
        throughput = _round(10 ** fb.rng.uniform(0.3, 3.5))
        cases.append((throughput, _round(throughput * 10 ** fb.rng.uniform(-2.5, 0.5))))
    cases.append((_round(10 ** fb.rng.uniform(0.3, 3.5)), 0.0))  # an idle system
    for throughput, in_flight in cases:
        shown = f"mean_latency({throughput:g}, {in_flight:g})"
        value = fb.number(call(fb, function, throughput, in_flight), shown)
        expected = theory.littles_law(arrival_rate=throughput, mean_number=in_flight)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g} s.")
        fb.hint_from(value, [
            (throughput * in_flight, "L = lambda W, so W = L / lambda: divide the number "
                                     "inside by the throughput, do not multiply."),
            (throughput / in_flight if in_flight else math.inf,
             "upside down: W = L / lambda, requests inside over requests per second."),
            (1000 * expected, "return seconds, not milliseconds."),
        ], "Little's law: L = lambda W, so the mean time inside is W = L / lambda.", same=agrees)
        fb.stop()
    fb.right(f"mean_latency is Little's law W = L / lambda on {len(cases)} fresh load tests.")
    return 2


# --- Exercise 2: sizing with Erlang C ---------------------------------------------------

@exercise(2, "nodes for a wait objective", uses=("nodes_needed",), max_score=3)
def exercise_2(fb, nodes_needed):
    """nodes_needed(rate, mu, wait, level): fewest c with P(Wq <= wait) >= level."""
    function = fb.function(nodes_needed, "nodes_needed", arity=4)
    cases = _objectives(fb.rng)
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


def _objectives(rng):
    """Five fresh (rate, mu, wait, level): the first tells the classic slips apart, then
    a moderate objective, a wait of 0, a load below one server and another moderate one."""
    def moderate():
        mu = float(rng.integers(2, 101))
        return (_round(mu * rng.uniform(0.5, 20.0)), mu, _round(rng.uniform(0.1, 2.0) / mu, 2),
                round(float(rng.uniform(0.8, 0.99)), 3))

    mu = float(rng.integers(2, 101))
    below_one = (_round(mu * rng.uniform(0.1, 0.9)), mu, _round(rng.uniform(0.2, 2.0) / mu, 2),
                 round(float(rng.uniform(0.8, 0.99)), 3))
    mu = float(rng.integers(2, 101))
    no_wait = (_round(mu * rng.uniform(0.5, 10.0)), mu, 0.0, round(float(rng.uniform(0.3, 0.9)), 2))
    return [_telling(rng), moderate(), no_wait, below_one, moderate()]


def _telling(rng, tries: int = 50):
    """A demanding objective on which stability alone, the mean wait and "no wait at all"
    each give a count of their own, none within one of the right count."""
    for _ in range(tries):
        mu = float(rng.integers(5, 201))
        case = (_round(mu * rng.uniform(3.0, 40.0), 4), mu, _round(rng.uniform(0.05, 1.0) / mu, 2),
                round(float(rng.uniform(0.99, 0.9995)), 4))
        expected = theory.servers_for_service_level(*case)
        stable, by_mean, by_wait_at_all = _slips(*case)
        slips = {stable, math.ceil(case[0] / mu), by_mean, by_wait_at_all}
        if (len({stable, by_mean, by_wait_at_all}) == 3
                and not slips & {expected - 1, expected, expected + 1}):
            return case
    return (2500.0, 100.0, 0.005, 0.999)


def _slips(rate, mu, wait, level):
    """The counts of the classic slips: stability alone, the mean wait, no wait at all."""
    load = rate / mu
    stable = math.floor(load) + 1
    by_mean = next((c for c in range(stable, stable + 10_000)
                    if theory.mmc(rate, mu, c).mean_wait <= wait), None)
    by_wait_at_all = next((c for c in range(stable, stable + 10_000)
                           if 1 - theory.erlang_c(c, load) >= level), None)
    return stable, by_mean, by_wait_at_all


def _sizing_hint(fb, value, rate, mu, wait, level, expected):
    load = rate / mu
    stable, by_mean, by_wait_at_all = _slips(rate, mu, wait, level)
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

_NEAR_ONE = 1e-6
"""Closest a probe's bucket may come to one token at a request, unless it holds a whole
number of tokens exactly (a full bucket, less whole tokens taken since): any nearer, and
two correct buckets that round differently could disagree on the request."""


def _bucket_probes(rng):
    """Three fresh (rate, burst, arrival times): bursts from a full bucket at 0 and after
    a long pause (the cap) with refills between, a steady stream a little faster than a
    one-token bucket refills, and a fast random stream into a large bucket."""
    return [_clear(rng, pattern) for pattern in (_bursts, _steady, _stream)]


def _bursts(rng):
    rate, burst = _round(rng.uniform(2.0, 20.0)), int(rng.integers(2, 6))
    times = [0.0] * (burst + 1)  # one more than the bucket holds
    for _ in range(3):  # refills of a fraction of a token to a token and a half
        times.append(times[-1] + rng.uniform(0.3, 1.5) / rate)
    times += [times[-1] + (burst + rng.uniform(2.0, 5.0)) / rate] * (burst + 1)  # a pause
    return rate, burst, tuple(round(float(t), 4) for t in times)


def _steady(rng):
    rate = _round(rng.uniform(1.0, 5.0))
    gaps = rng.uniform(0.55, 0.9) / rate * rng.uniform(0.9, 1.1, 19)
    return rate, 1, (0.0, *(round(float(t), 4) for t in np.cumsum(gaps)))


def _stream(rng):
    rate, burst = float(rng.integers(50, 201)), int(rng.integers(10, 31))
    gaps = rng.exponential(1 / (rate * rng.uniform(2.0, 3.0)), 60)
    return rate, burst, tuple(round(float(t), 5) for t in np.cumsum(gaps))


def _clear(rng, pattern, tries: int = 50):
    """A probe of ``pattern`` on which no request finds the bucket near one token."""
    for _ in range(tries):
        rate, burst, times = probe = pattern(rng)
        tokens, last, whole = float(burst), 0.0, True
        for t in times:
            refilled = tokens + (t - last) * rate
            if t != last:
                if abs(refilled - burst) < _NEAR_ONE:
                    break
                whole = refilled > burst
            if not whole and abs(refilled - 1.0) < _NEAR_ONE:
                break
            tokens, last = min(burst, refilled), t
            if tokens >= 1.0:
                tokens -= 1.0
        else:
            return probe
    return probe


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
    for number, (rate, burst, times) in enumerate(_bucket_probes(fb.rng)):
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
               f"{[round(t, 4) for t in times[:first + 1]]} s were answered "
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
"""Seeds of exercise 4's two spike runs: fixed, not drawn from ``fb.rng``. On random seeds
a correct policy fails now and then (measured: the solution's token bucket in 2 runs of
240, a concurrency limit of 10 in 3), as Poisson noise in the base load can dip a 3-second
goodput window below the recovery line late in the run. Nor is there a table to build:
the learner's policy decides request by request inside the run."""


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

_USL_SIZES = (np.array([1, 2, 4, 8, 12, 16, 24, 32]), np.array([1, 2, 3, 4, 6, 8, 10, 14, 20]))
"""Cluster sizes of exercise 5's two load tests."""


def _usl_probes(rng):
    """Two fresh load tests (sizes, single, sigma, kappa, noise seed): contention from 1%
    to 10%, the peak N* = sqrt((1 - sigma) / kappa) from 0.4 to 0.9 times the largest size
    tested, so the data show throughput fall past the peak (with a peak beyond them, a
    curve without coherency cost, kappa = 0, can fit as well)."""
    probes = []
    for sizes in _USL_SIZES:
        sigma = round(float(rng.uniform(0.01, 0.1)), 3)
        peak = rng.uniform(0.4, 0.9) * sizes.max()
        probes.append((sizes, _round(rng.uniform(50.0, 200.0)), sigma,
                       _round((1 - sigma) / peak**2), int(rng.integers(2**31))))
    return probes


def _probe(sizes, single, sigma, kappa, seed):
    noise = 1 + 0.02 * np.random.default_rng(seed).standard_normal(sizes.size)
    return single * theory.usl(sizes, sigma, kappa) * noise


def _misfits(sizes, measured, single, sigma, kappa) -> tuple[float, float]:
    """How far a USL curve is from a load test: (RMS of the relative errors, RMS of the
    errors over the mean throughput). A least-squares fit of the errors themselves (the
    lab's curve_fit) is best by the second, the course's fit of relative errors by the
    first; each can lose by the other's measure on a few load tests in a hundred."""
    error = single * theory.usl(sizes, sigma, kappa) - measured
    return (float(np.sqrt(np.mean((error / measured) ** 2))),
            float(np.sqrt(np.mean(error**2)) / np.mean(measured)))


@exercise(5, "a USL fit and its peak", uses=("fit_usl",), max_score=3)
def exercise_5(fb, fit_usl):
    """fit_usl(nodes, throughput) -> (single, sigma, kappa, peak), as good as the course's."""
    function = fb.function(fit_usl, "fit_usl", arity=2)
    for number, (sizes, *truth, seed) in enumerate(_usl_probes(fb.rng)):
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
        best = _misfits(sizes, measured, reference.single_node, reference.contention,
                        reference.coherency)
        if not (0 <= sigma <= 1 and kappa >= 0 and single > 0):
            fb.stop(f"{shown} gave single={single:.4g}, sigma={sigma:.4g}, kappa={kappa:.4g}: "
                    "sigma must lie in [0, 1] and kappa and single be positive (use "
                    "bounds in curve_fit).", score=number)
        misfit = _misfits(sizes, measured, single, sigma, kappa)
        # As close as the course's fit by either measure: relative or absolute errors.
        if all(mine > 1.5 * course + 0.005 for mine, course in zip(misfit, best)):
            fb.off(f"your curve misses the data by {misfit[0]:.1%} (RMS, relative); the "
                   f"course's fit misses by {best[0]:.1%}.")
            fb.hint("fit X(N) = single N / (1 + sigma (N-1) + kappa N (N-1)) with "
                    "scipy.optimize.curve_fit, starting from single = throughput at N=1 "
                    "and small sigma and kappa.")
            fb.stop(score=number)
        expected_peak = theory.usl_peak(sigma, kappa)
        if not agrees(peak, expected_peak):
            fb.off(f"with your sigma={sigma:.4g} and kappa={kappa:.4g}, the peak is at "
                   f"N* = {expected_peak:.4g}; you returned {peak:.4g}.")
            fb.hint_from(peak, [
                (math.sqrt(sigma / kappa) if kappa else math.inf,
                 "N* = sqrt((1 - sigma) / kappa): one minus sigma."),
                ((1 - sigma) / kappa if kappa else math.inf, "take the square root."),
                (single * theory.usl(expected_peak, sigma, kappa),
                 "that is the throughput at the peak; return the cluster size N*."),
            ], "set the derivative of C(N) to zero: N* = sqrt((1 - sigma) / kappa).",
                same=agrees)
            fb.stop(score=number + 1 if number else 1)
    fb.right("fit_usl fits 2 fresh load tests as closely as the course's least-squares "
             "fit, and its peak is sqrt((1 - sigma) / kappa).")
    return 3
