"""Quorum closed forms: PBS k-staleness, binomial availability, order-statistic latency."""

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
