"""The Pollaczek–Khinchine formula against the simulated M/G/1 station."""

from __future__ import annotations

import pytest

import reactive_lab as rl

SEED = 7


@pytest.mark.parametrize(
    "service",
    [
        rl.core.Deterministic(1.0),  # M/D/1: half the M/M/1 wait
        rl.core.Erlang(4, 4.0),  # scv 1/4
        rl.core.Exponential(1.0),  # M/M/1
        rl.core.LogNormal(1.0, 1.5),  # scv 2.25: a long tail of slow requests
    ],
    ids=["constant", "erlang-4", "exponential", "lognormal-cv1.5"],
)
def test_simulated_mean_wait_matches_pollaczek_khinchine(service):
    """At 70% load the formula lies in the 99% batch-means CI of a 1M-customer run, and the
    interval is tight enough (under 10% of the value) for that to mean something.

    Measured half-widths: 1-2% for the light-tailed services, 6% for the log-normal (its
    rare very slow requests make consecutive waits long and alike)."""
    arrival_rate = 0.7 / service.mean
    run = rl.core.simulate_station(rl.core.Exponential(arrival_rate), service, servers=1,
                                   customers=1_000_000, warmup=100_000, seed=SEED)
    ci = rl.core.batch_means_ci(run.waits, batches=30, confidence=0.99)
    exact = rl.theory.mg1_mean_wait(arrival_rate, service.mean, service.scv)
    assert ci.contains(exact), (ci, exact)
    assert ci.half_width < 0.10 * exact


def test_exponential_service_gives_the_mm1_wait():
    """With scv = 1 the formula is M/M/1's mean wait."""
    mm1_wait = rl.theory.mm1(0.9, 1.0).mean_wait
    assert rl.theory.mg1_mean_wait(0.9, 1.0, 1.0) == pytest.approx(mm1_wait)


@pytest.mark.parametrize(
    "args, message",
    [
        ((1.0, 1.0, 1.0), r"utilisation must be below 1 \(got 1\)"),  # saturated
        ((0.0, 1.0, 1.0), r"arrival_rate must be a number above 0 \(got 0.0\)"),
        ((0.5, -1.0, 1.0), r"mean_service must be a number above 0 \(got -1.0\)"),
        ((0.5, 1.0, -0.1), r"service_scv must be a number of at least 0 \(got -0.1\)"),
        ((0.5, 1.0, float("nan")), r"service_scv must be a number of at least 0 \(got nan\)"),
    ],
)
def test_mg1_mean_wait_rejects_bad_parameters(args, message):
    """Bad parameters raise ValueError saying what is allowed."""
    with pytest.raises(ValueError, match=message):
        rl.theory.mg1_mean_wait(*args)
