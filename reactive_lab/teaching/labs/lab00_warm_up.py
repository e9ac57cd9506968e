"""Checks for Lab 0, the warm-up: the queueing station and Little's law.

The lab's setup cell does ``from reactive_lab.teaching.labs import lab00_warm_up as check``; after each
exercise a cell calls ``check.exercise_N(the_learners_function)``. Every exercise asks for a
function, and each check probes it on fresh load-test logs or parameters of its own, so an
answer copied from the lab's printout cannot pass.

>>> import numpy as np
>>> result = exercise_2(lambda arrivals, finishes: np.mean(finishes - arrivals))
Exercise 2 (mean latency): 2/2 - pass
  + mean_latency matches the mean time in the system on 3 fresh load-test logs.
"""

# Taught in solutions/00-warm-up.ipynb; keep names in sync.

from __future__ import annotations

import math

import numpy as np

from reactive_lab import core, theory
from reactive_lab.teaching.checking import agrees, attempt, call, exercise

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5"]



def _runs(rng):
    """Three fresh single-server load tests (M/M/1 runs; their first arrival is not at 0)."""
    return [core.simulate_mmc(arrival_rate, service_rate, customers=customers + 20,
                              seed=int(rng.integers(2**32)), warmup=20)
            for customers, arrival_rate, service_rate in
            [(400, 3.0, 5.0), (1_000, 45.0, 50.0), (7, 0.5, 2.0)]]


def _window(arrivals, finishes) -> float:
    return float(finishes.max() - arrivals.min())


def _probe_logs(fb, function, name, expected_of, mistakes):
    """Compare ``function`` with ``expected_of(run)`` on every load test; stop at a miss.

    ``mistakes`` are ``(wrong_of(arrivals, finishes), hint)`` pairs, to name a known slip.
    """
    function = fb.function(function, name, arity=2)
    for run in _runs(fb.rng):
        arrivals, finishes = run.arrival_times, run.finish_times
        value = fb.number(call(fb, function, arrivals, finishes),
                          f"{name}(arrivals, finishes)")
        expected = expected_of(run)
        if agrees(value, expected):
            continue
        fb.off(f"on a log of {arrivals.size} requests, {name} returned {value:.6g}; "
               f"expected {expected:.6g}.")
        fb.hint_from(value, [(wrong(arrivals, finishes), hint) for wrong, hint in mistakes],
                     "re-read the definition above the exercise and try it on a log of two "
                     "requests that you can work out by hand.", same=agrees)
        fb.stop()


@exercise(1, "throughput", uses=("throughput",), max_score=2)
def exercise_1(fb, throughput):
    """Throughput: requests completed per second over the observation window."""
    _probe_logs(fb, throughput, "throughput", lambda run: run.throughput,
                [(lambda a, f: a.size / f.max(),
                  "the window starts at the first arrival, not at time 0."),
                 (lambda a, f: _window(a, f) / a.size,
                  "that is seconds per request: throughput is requests per second."),
                 (lambda a, f: 1 / np.mean(f - a),
                  "1 / latency is not throughput: requests overlap in the station."),
                 (lambda a, f: (a.size - 1) / _window(a, f),
                  "count every request: there are len(arrivals) of them.")])
    fb.right("throughput matches requests / window on 3 fresh load-test logs.")
    return 2


@exercise(2, "mean latency", uses=("mean_latency",), max_score=2)
def exercise_2(fb, mean_latency):
    """Mean latency: the average of each request's time in the system."""
    _probe_logs(fb, mean_latency, "mean_latency",
                lambda run: float(np.mean(run.response_times)),
                [(lambda a, f: float(np.median(f - a)),
                  "that is the median; the exercise asks for the mean."),
                 (lambda a, f: float(np.sum(f - a)),
                  "that is the total time; divide by the number of requests."),
                 (lambda a, f: float(np.mean(a - f)),
                  "the sign is flipped: latency is finish minus arrival.")])
    fb.right("mean_latency matches the mean time in the system on 3 fresh load-test logs.")
    return 2


@exercise(3, "mean concurrency", uses=("mean_concurrency",), max_score=2)
def exercise_3(fb, mean_concurrency):
    """Mean concurrency: the time-average number of requests in the station."""
    _probe_logs(fb, mean_concurrency, "mean_concurrency", lambda run: run.mean_in_system(),
                [(lambda a, f: float(np.sum(f - a)),
                  "that is the area under N(t); divide it by the length of the window."),
                 (lambda a, f: float(np.mean(f - a)),
                  "that is the mean latency, in seconds; concurrency counts requests."),
                 (lambda a, f: float(np.sum(f - a)) / float(f.max()),
                  "the window starts at the first arrival, not at time 0.")])
    fb.right("mean_concurrency matches the time-average of N(t) on 3 fresh load-test logs.")
    return 2


@exercise(4, "M/M/1 mean latency", uses=("mm1_mean_latency",), max_score=2)
def exercise_4(fb, mm1_mean_latency):
    """Closed form: mean time in an M/M/1 station, 1 / (mu - lambda), infinite if unstable."""
    function = fb.function(mm1_mean_latency, "mm1_mean_latency", arity=2)
    for low, high in [(0.7, 0.8), (0.1, 0.2), (0.93, 0.97)]:  # utilisations to probe
        service_rate = round(float(fb.rng.uniform(1.0, 200.0)), 2)
        arrival_rate = round(service_rate * float(fb.rng.uniform(low, high)), 2)
        shown = f"mm1_mean_latency({arrival_rate:g}, {service_rate:g})"
        value = fb.number(call(fb, function, arrival_rate, service_rate), shown)
        expected = 1 / (service_rate - arrival_rate)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g}.")
        fb.hint_from(value, [
            (1 / service_rate,
             "1 / mu is the service time alone; add the time spent queueing."),
            (arrival_rate / (service_rate - arrival_rate),
             "lambda / (mu - lambda) is L, the mean number in the system; "
             "Little's law turns it into a time: W = L / lambda."),
            (arrival_rate / service_rate, "lambda / mu is the utilisation rho, not a time."),
        ], "for one server with Poisson arrivals and exponential service, "
           "W = 1 / (mu - lambda).", same=agrees)
        fb.stop()
    fb.right("mm1_mean_latency gives 1 / (mu - lambda) on 3 fresh stable stations.")
    outcome, value = attempt(function, 12.0, 10.0)
    if outcome == "ok" and isinstance(value, float) and math.isinf(value) and value > 0:
        fb.right("and it returns math.inf when arrivals outpace the server.")
        return 2
    what = {"ok": f"returned {value!r}", "time": "did not return",
            "error": f"raised {value}"}[outcome]
    fb.off(f"mm1_mean_latency(12, 10) {what}: with lambda >= mu the queue grows without "
           "bound, so the mean latency is infinite.")
    fb.hint("return math.inf when arrival_rate >= service_rate.")
    return 1


@exercise(5, "sizing a server pool", uses=("servers_needed",), max_score=2)
def exercise_5(fb, servers_needed):
    """Capacity planning: the fewest servers whose p99 response time meets a target."""
    function = fb.function(servers_needed, "servers_needed", arity=3)
    cases = []
    for low, high in [(2.5, 3.5), (0.2, 0.5), (15.0, 25.0), (5.0, 9.0)]:  # offered loads
        service_rate = round(float(fb.rng.uniform(1.0, 10.0)), 2)
        arrival_rate = round(service_rate * float(fb.rng.uniform(low, high)), 2)
        # Above the p99 of service alone (ln(100) / mu = 4.6 / mu), so a pool can meet it.
        cases.append((arrival_rate, service_rate,
                      round(float(fb.rng.uniform(5.0, 15.0)) / service_rate, 3)))
    right = 0
    for arrival_rate, service_rate, target in cases:
        shown = f"servers_needed({arrival_rate:g}, {service_rate:g}, {target:g})"
        value = call(fb, function, arrival_rate, service_rate, target)
        number = fb.number(value, shown)
        expected = theory.servers_for_response_target(arrival_rate, service_rate, target, q=99)
        if number == expected:
            right += 1
            continue
        fb.off(f"{shown} returned {number:g}; expected {expected}.")
        if number == expected - 1:
            fb.hint(f"with {number:g} servers the p99 is "
                    f"{_p99(arrival_rate, service_rate, number):.3g} s, over the target: "
                    "keep adding servers while the p99 is above the target.")
        elif number == expected + 1:
            fb.hint(f"{expected} servers already give a p99 of "
                    f"{_p99(arrival_rate, service_rate, expected):.3g} s: return the first "
                    "pool size whose p99 is at most the target.")
        elif number == math.floor(arrival_rate / service_rate) + 1:
            fb.hint("that is the fewest servers that keep up on average (utilisation < 1); "
                    "the latency target usually needs more.")
        else:
            fb.hint("start at the fewest stable servers, floor(lambda / mu) + 1, and add one "
                    "at a time until rl.theory.mmc(...).response_percentile(99) <= target.")
        break
    if right == len(cases):
        fb.right(f"servers_needed sizes all {len(cases)} fresh pools correctly.")
        return 2
    return 0


def _p99(arrival_rate, service_rate, servers) -> float:
    if servers * service_rate <= arrival_rate:
        return math.inf
    return theory.mmc(arrival_rate, service_rate, int(servers)).response_percentile(99)
