"""Request paths: serial hops add, fan-out waits for the slowest, and the tail grows with k."""

import math

import numpy as np
import pytest
from scipy import stats

import reactive_lab as rl

D = rl.distribution
Z_999 = rl.core.normal_quantile(0.999)  # seeds are fixed, so the tests are not flaky


class _Fixed:
    """Test double: any object with ``.sample(rng, size)`` is a hop."""

    def __init__(self, value):
        self.value = value

    def sample(self, rng, size):
        return np.full(size, self.value)


class _WrongSize:
    def sample(self, rng, size):
        return np.ones(size + 1)


class _Negative:
    def sample(self, rng, size):
        return -np.ones(size)


def _within_binomial_ci(latencies, threshold, q):
    """Is the empirical P(latency <= threshold) within the 99.9% binomial CI around q?"""
    p_hat = np.mean(latencies <= threshold)
    return abs(p_hat - q) < Z_999 * math.sqrt(q * (1 - q) / latencies.size)


@pytest.mark.parametrize("k", [1, 5, 20])
@pytest.mark.parametrize("q", [0.5, 0.9, 0.99])
def test_fanout_tail_matches_max_of_k_exponentials(k, q):
    """The q-quantile of the slowest of k Exp(rate) calls is -ln(1 - q**(1/k)) / rate."""
    rate = 2.0
    latencies = D.simulate_request_path(
        [rl.core.Exponential(rate)], fanout=k, requests=40_000, seed=100 + k
    )
    theory = -math.log(1 - q ** (1 / k)) / rate
    assert D.slowest_of_k_quantile(q, k, lambda u: -math.log1p(-u) / rate) == pytest.approx(
        theory
    )
    assert _within_binomial_ci(latencies, theory, q)


def test_fanout_tail_matches_theory_for_lognormal_services_after_serial_hops():
    """Fixed front-end and logic hops shift the slowest-of-k log-normal quantile by their sum."""
    k, q, mean, cv = 8, 0.99, 10.0, 1.5
    hops = [rl.core.Deterministic(1.0), rl.core.Deterministic(2.5), rl.core.LogNormal(mean, cv)]
    latencies = D.simulate_request_path(hops, fanout=k, requests=40_000, seed=7)
    sigma = math.sqrt(math.log1p(cv**2))
    service = stats.lognorm(s=sigma, scale=math.exp(math.log(mean) - sigma**2 / 2))
    theory = 3.5 + D.slowest_of_k_quantile(q, k, service.ppf)
    assert _within_binomial_ci(latencies, theory, q)


def test_one_call_per_request_is_a_plain_sum_of_hop_samples():
    """With fanout=1 each latency is the sum of one draw per hop, drawn in hop order."""
    hops = [rl.core.Exponential(1.0), rl.core.Erlang(3, 2.0), rl.core.LogNormal(1.0, 0.5)]
    latencies = D.simulate_request_path(hops, fanout=1, requests=500, seed=3)
    generator = np.random.default_rng(3)
    expected = sum(hop.sample(generator, 500) for hop in hops)
    np.testing.assert_array_equal(latencies, expected)


def test_fanout_waits_for_the_slowest_of_k_draws():
    """The last hop contributes the row-wise maximum of a (requests, k) block of draws."""
    hops = [rl.core.Exponential(4.0), rl.core.Exponential(1.0)]
    latencies = D.simulate_request_path(hops, fanout=6, requests=300, seed=11)
    generator = np.random.default_rng(11)
    serial = hops[0].sample(generator, 300)
    services = hops[1].sample(generator, 300 * 6).reshape(300, 6)
    np.testing.assert_array_equal(latencies, serial + services.max(axis=1))


def test_deterministic_hops_give_exact_sums():
    """Constant hops: every request takes exactly the sum, whatever the fan-out."""
    hops = [rl.core.Deterministic(0.25), _Fixed(1.5), rl.core.Deterministic(4.0)]
    latencies = D.simulate_request_path(hops, fanout=50, requests=100, seed=0)
    assert latencies.shape == (100,)
    assert np.all(latencies == 5.75)


def test_same_seed_same_latencies_and_generators_pass_through():
    """Seeds reproduce runs; a shared generator advances between calls."""
    hops = [rl.core.Exponential(1.0)]
    first = D.simulate_request_path(hops, fanout=3, requests=200, seed=42)
    again = D.simulate_request_path(hops, fanout=3, requests=200, seed=42)
    np.testing.assert_array_equal(first, again)
    shared = np.random.default_rng(42)
    a = D.simulate_request_path(hops, fanout=3, requests=200, seed=shared)
    b = D.simulate_request_path(hops, fanout=3, requests=200, seed=shared)
    np.testing.assert_array_equal(a, first)
    assert not np.array_equal(a, b)


def test_more_fanout_never_helps_the_tail():
    """p50 and p99 of the request grow with k (same seed, exponential services)."""
    hops = [rl.core.Deterministic(1.0), rl.core.Exponential(1.0)]
    p50, p99 = zip(
        *(
            np.percentile(D.simulate_request_path(hops, k, 20_000, seed=5), [50, 99])
            for k in (1, 2, 10, 100)
        ),
        strict=True,
    )
    assert list(p50) == sorted(p50) and list(p99) == sorted(p99)


@pytest.mark.parametrize(("k", "p"), [(1, 0.99), (10, 0.99), (100, 0.99), (5, 0.5)])
def test_probability_hits_tail_matches_simulation(k, p):
    """P(slowest of k exceeds one call's p-quantile) = 1 - p**k, checked by simulation."""
    expected = 1 - p**k
    assert D.probability_hits_tail(k, p) == pytest.approx(expected)
    latencies = D.simulate_request_path([rl.core.Exponential(1.0)], k, 40_000, seed=k)
    single_quantile = -math.log1p(-p)
    assert _within_binomial_ci(latencies, single_quantile, 1 - expected)


def test_theory_helpers_at_the_edges():
    """k = 1 is the plain quantile; p = 0 and p = 1 are certain and impossible."""
    assert D.slowest_of_k_quantile(0.9, 1, lambda u: u) == pytest.approx(0.9)
    assert D.slowest_of_k_quantile(0.5, 10, lambda u: u) == pytest.approx(0.5**0.1)
    assert D.probability_hits_tail(3, 0.0) == 1.0
    assert D.probability_hits_tail(3, 1.0) == 0.0
    assert D.probability_hits_tail(100, 0.99) == pytest.approx(0.634, abs=5e-4)


AT_LEAST_1 = r"{} must be an int of at least 1 \(got "
PROBABILITY = r"{} must be a number from 0 to 1 \(got "


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: D.simulate_request_path([]), "hops must be a non-empty sequence"),
        (lambda: D.simulate_request_path(_Fixed(1)), "hops must be a non-empty sequence"),
        (lambda: D.simulate_request_path([_Fixed(1), 3.0]), r"hops\[1\] must have a .sample"),
        (lambda: D.simulate_request_path([_Fixed(1)], fanout=0), AT_LEAST_1.format("fanout")),
        (lambda: D.simulate_request_path([_Fixed(1)], fanout=2.5), "fanout must be an int"),
        (lambda: D.simulate_request_path([_Fixed(1)], requests=0), "requests must be an int"),
        (lambda: D.simulate_request_path([_Fixed(1)], seed=-1), "seed must be"),
        (lambda: D.simulate_request_path([_WrongSize()]), r"hops\[0\]\.sample"),
        (lambda: D.simulate_request_path([_Fixed(1), _Negative()]), "non-negative"),
        (lambda: D.slowest_of_k_quantile(1.5, 2, lambda u: u), PROBABILITY.format("q")),
        (lambda: D.slowest_of_k_quantile(0.5, 0, lambda u: u), AT_LEAST_1.format("k")),
        (lambda: D.slowest_of_k_quantile(0.5, 2, None), "quantile_function must be callable"),
        (lambda: D.probability_hits_tail(0, 0.99), AT_LEAST_1.format("k")),
        (lambda: D.probability_hits_tail(2, -0.1), PROBABILITY.format("p")),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_parameter(call, message):
    """Every bad argument is refused with a ValueError that names it."""
    with pytest.raises(ValueError, match=message):
        call()
