"""Closed forms of chapter 4: Amdahl, the USL and its fit, M/M/c/K, service level, N+k."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reactive_lab as rl
from reactive_lab.theory import (
    amdahl,
    erlang_b,
    fit_usl,
    mmc,
    mmck,
    servers_for_service_level,
    service_level,
    survivor_utilisation,
    usl,
    usl_peak,
)


def _mmck_by_brute_force(lam, mu, c, k):
    """Solve the birth-death chain's balance equations as a linear system."""
    q = np.zeros((k + 1, k + 1))
    for n in range(k):
        q[n, n + 1] = lam
        q[n + 1, n] = mu * min(n + 1, c)
    q -= np.diag(q.sum(axis=1))
    a = np.vstack([q.T, np.ones(k + 1)])
    b = np.zeros(k + 2)
    b[-1] = 1
    return np.linalg.lstsq(a, b, rcond=None)[0]


@pytest.mark.parametrize("lam, mu, c, k", [
    (90.0, 100.0, 1, 10),    # M/M/1/K below capacity
    (250.0, 100.0, 3, 8),    # overloaded, yet bounded
    (5.0, 1.0, 4, 4),        # no waiting room: Erlang's loss system
])
def test_mmck_matches_the_balance_equations(lam, mu, c, k):
    """Blocking is p_K and L the mean of the chain's stationary distribution."""
    p = _mmck_by_brute_force(lam, mu, c, k)
    m = mmck(lam, mu, c, k)
    assert m.blocking == pytest.approx(p[-1], rel=1e-9)
    assert m.mean_in_system == pytest.approx(np.arange(k + 1) @ p, rel=1e-9)
    assert m.throughput * m.mean_response == pytest.approx(m.mean_in_system)  # Little


@given(c=st.integers(1, 40), a=st.floats(0.01, 60.0))
def test_mmck_without_a_queue_is_erlang_b(c, a):
    """A pure concurrency limit (K = c) refuses exactly Erlang B's share."""
    assert mmck(a, 1.0, c, c).blocking == pytest.approx(erlang_b(c, a), rel=1e-9)


def test_mmck_with_a_huge_room_tends_to_mmc():
    """Below capacity, a waiting room that is never full changes nothing."""
    bounded, unbounded = mmck(3.0, 1.0, 4, 400), mmc(3.0, 1.0, 4)
    assert bounded.blocking < 1e-12
    assert bounded.mean_response == pytest.approx(unbounded.mean_response, rel=1e-9)


def test_mmck_survives_a_load_that_would_overflow_floats():
    """Terms a^n / c^(n-c) overflow doubles; the recursion rescales them."""
    m = mmck(1e4, 1.0, 2, 200)
    assert m.blocking == pytest.approx(1 - 2 / 1e4, rel=1e-6)


def test_service_level_is_one_minus_erlang_c_at_zero_and_tends_to_one():
    c = rl.theory.erlang_c(4, 3.6)
    assert service_level(3.6, 1.0, 4, 0.0) == pytest.approx(1 - c)
    assert service_level(3.6, 1.0, 4, 100.0) == pytest.approx(1.0)


def test_servers_for_service_level_is_the_fewest_that_meet_it():
    n = servers_for_service_level(80.0, 10.0, wait=0.05, level=0.95)
    assert service_level(80.0, 10.0, n, 0.05) >= 0.95
    assert service_level(80.0, 10.0, n - 1, 0.05) < 0.95


def test_servers_for_service_level_keeps_headroom_and_spares():
    base = servers_for_service_level(80.0, 10.0, wait=0.05, level=0.95)
    spare = servers_for_service_level(80.0, 10.0, wait=0.05, level=0.95, failures=2)
    capped = servers_for_service_level(80.0, 10.0, wait=0.05, level=0.95,
                                       max_utilisation=0.5)
    assert spare == base + 2
    assert 8.0 / capped <= 0.5 < 8.0 / (capped - 1)


def test_survivor_utilisation_spreads_the_same_work_over_fewer_nodes():
    assert survivor_utilisation(0.5, nodes=4, failed=2) == pytest.approx(1.0)


@pytest.mark.parametrize("call, message", [
    (lambda: mmck(1.0, 1.0, 3, 2), "capacity must be an int from 3"),
    (lambda: usl(0, 0.1, 0.01), "nodes must be cluster sizes of at least 1"),
    (lambda: usl(4, 1.5, 0.01), "contention must be a number from 0 to 1"),
    (lambda: survivor_utilisation(0.5, nodes=3, failed=3), "failed must be an int from 1 to 2"),
    (lambda: fit_usl([1, 2, 3], [1, 2, 3]), "at least 4"),
    (lambda: servers_for_service_level(1.0, 1.0, 0.1, level=1.0), "level must be"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_amdahl_is_bounded_by_one_over_the_serial_fraction():
    assert amdahl(1e9, 0.05) == pytest.approx(20.0, rel=1e-6)
    assert amdahl(1, 0.05) == 1.0


@given(sigma=st.floats(0.0, 0.5), kappa=st.floats(1e-5, 0.05))
def test_usl_peak_is_the_maximum_of_the_curve(sigma, kappa):
    """C(N) rises to N* and falls after it."""
    peak = usl_peak(sigma, kappa)
    best = usl(peak, sigma, kappa)
    assert best >= usl(max(1.0, peak * 0.9), sigma, kappa) - 1e-12
    assert best >= usl(peak * 1.1, sigma, kappa) - 1e-12


def test_fit_usl_recovers_known_coefficients_from_exact_data():
    n = np.array([1, 2, 4, 8, 16, 24, 32, 48])
    fit = fit_usl(n, 250 * usl(n, 0.03, 0.0008))
    assert (fit.single_node, fit.contention, fit.coherency) == pytest.approx(
        (250, 0.03, 0.0008), rel=1e-6)
    assert fit.peak_nodes == pytest.approx(math.sqrt(0.97 / 0.0008), rel=1e-6)


def test_fit_usl_peak_interval_covers_the_truth_at_its_confidence():
    """Over noisy load tests (3% relative noise), the 90% interval for N* holds the true
    peak in a share of fits whose 99% binomial interval contains 0.9."""
    rng = np.random.default_rng(7)
    n = np.array([1, 2, 4, 8, 12, 16, 24, 32])
    truth = 100 * usl(n, 0.02, 0.002)
    peak = usl_peak(0.02, 0.002)
    covered = 0
    for _ in range(200):
        fit = fit_usl(n, truth * (1 + 0.03 * rng.standard_normal(n.size)), confidence=0.9)
        covered += fit.peak_interval[0] <= peak <= fit.peak_interval[1]
    assert rl.core.wilson_ci(covered, 200).contains(0.9), covered


def test_fit_usl_on_small_clusters_cannot_place_the_peak():
    """Tests far below the peak leave its interval open-ended."""
    n = np.array([1, 2, 3, 4])
    rng = np.random.default_rng(3)
    fit = fit_usl(n, 100 * usl(n, 0.02, 0.002) * (1 + 0.02 * rng.standard_normal(4)))
    assert math.isinf(fit.peak_interval[1])
