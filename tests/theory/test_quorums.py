"""Quorum closed forms: PBS k-staleness, binomial availability, order-statistic latency."""

from itertools import combinations
from math import comb

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.theory import (
    k_staleness,
    quorum_availability,
    quorum_latency_cdf,
    quorum_latency_quantile,
)


@pytest.mark.parametrize(("n", "r", "w"), [(3, 2, 2), (5, 3, 3), (5, 1, 5), (3, 3, 1)])
def test_overlapping_quorums_are_never_stale(n, r, w):
    """R + W > N: every read quorum meets every write quorum."""
    assert k_staleness(n, r, w) == 0.0


def test_k_staleness_counts_read_sets_that_miss_the_write_set():
    """For N=5, W=2, R=2: read pairs among the 3 replicas without the write, of all 10 pairs."""
    assert k_staleness(5, 2, 2) == pytest.approx(comb(3, 2) / comb(5, 2))
    assert k_staleness(5, 2, 2, k=3) == pytest.approx((3 / 10) ** 3)


def test_quorum_availability_sums_the_binomial_tail():
    assert quorum_availability(5, 3, 0.9) == pytest.approx(
        sum(comb(5, j) * 0.9**j * 0.1 ** (5 - j) for j in (3, 4, 5)))
    assert quorum_availability(4, 1, 0.5) == pytest.approx(1 - 0.5**4)


def test_quorum_latency_quantile_inverts_the_cdf():
    d = rl.relay.REPLICATION_MS
    for quorum in (1, 2, 3):
        t = quorum_latency_quantile(0.99, 3, quorum, d)
        assert quorum_latency_cdf(t, 3, quorum, d) == pytest.approx(0.99, abs=1e-9)


def test_quorum_latency_matches_order_statistics_of_draws():
    """The 2nd fastest of 5 exponential draws: sample median within its interval."""
    draws = np.sort(rl.core.rng(7).exponential(1.0, size=(20_000, 5)), axis=1)[:, 1]
    ci = rl.core.quantile_ci(draws, 0.5)
    assert ci.contains(quorum_latency_quantile(0.5, 5, 2, rl.core.Exponential(1.0)))


def test_quorum_sizes_are_checked():
    with pytest.raises(ValueError, match="w must be an int from 1 to 3"):
        k_staleness(3, 1, 4)


# Replicas unlike each other: one latency distribution per replica.

SITES = [rl.core.Exponential(1.0), rl.core.LogNormal(mean=2.0, cv=1.0),
         rl.core.Exponential(0.1), rl.core.Uniform(0.5, 3.0)]


@pytest.mark.parametrize("t", [0.5, 1.5, 4.0, 20.0])
def test_per_replica_cdf_sums_every_set_of_replicas_in_by_t(t):
    """Poisson-binomial tail against brute force: P(exactly the replicas in S are in by t)."""
    f = [float(d.cdf(t)) for d in SITES]
    n = len(SITES)
    for quorum in range(1, n + 1):
        brute = sum(np.prod([f[i] if i in done else 1 - f[i] for i in range(n)])
                    for j in range(quorum, n + 1) for done in combinations(range(n), j))
        assert quorum_latency_cdf(t, n, quorum, SITES) == pytest.approx(brute, abs=1e-12)


def test_a_list_of_identical_replicas_is_the_binomial_case():
    d = rl.relay.REPLICATION_MS
    for quorum in (1, 2, 3):
        assert quorum_latency_cdf(3.0, 3, quorum, [d, d, d]) == pytest.approx(
            quorum_latency_cdf(3.0, 3, quorum, d), abs=1e-12)
        assert quorum_latency_quantile(0.99, 3, quorum, [d, d, d]) == pytest.approx(
            quorum_latency_quantile(0.99, 3, quorum, d), rel=1e-9)


@pytest.mark.parametrize("q", [0.01, 0.5, 0.99, 0.999])
def test_per_replica_quantile_inverts_the_cdf(q):
    for quorum in range(1, len(SITES) + 1):
        t = quorum_latency_quantile(q, len(SITES), quorum, SITES)
        assert quorum_latency_cdf(t, len(SITES), quorum, SITES) == pytest.approx(q, abs=1e-9)


def test_per_replica_latency_matches_order_statistics_of_draws():
    """The 2nd fastest of 4 unlike replicas: sample quantiles within their intervals."""
    g = rl.core.rng(11)
    draws = np.sort(np.column_stack([d.sample(g, 20_000) for d in SITES]), axis=1)[:, 1]
    for q in (0.5, 0.9):
        ci = rl.core.quantile_ci(draws, q)
        assert ci.contains(quorum_latency_quantile(q, 4, 2, SITES))


def test_a_far_replica_slows_only_the_quorums_that_need_it():
    """Two near replicas and a far one: W = 2 waits for both near ones, W = 3 for the far."""
    near, far = rl.core.Exponential(1.0), rl.core.Deterministic(50.0)
    assert quorum_latency_quantile(0.99, 3, 2, [near, near, far]) == pytest.approx(
        quorum_latency_quantile(0.99, 2, 2, near), rel=1e-9)
    assert quorum_latency_quantile(0.5, 3, 3, [near, near, far]) == pytest.approx(50.0)


@pytest.mark.parametrize("latency", [1.0, "fast", [rl.core.Exponential(1.0)] * 2,
                                     [rl.core.Exponential(1.0)] * 2 + [None]])
def test_latency_must_be_a_distribution_or_one_per_replica(latency):
    for check in (lambda: quorum_latency_cdf(1.0, 3, 2, latency),
                  lambda: quorum_latency_quantile(0.5, 3, 2, latency)):
        with pytest.raises(ValueError, match="latency must be a distribution or a list of n "
                                             "distributions, one for each of the 3 replicas"):
            check()
