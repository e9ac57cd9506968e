"""Chapter 2's simulations on the core, each against its closed form (99% intervals)."""

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab import interfaces as ifc
from reactive_lab.core import Deterministic, Exponential, quantile_ci, wilson_ci

SEED = 20


@pytest.mark.parametrize(("timeout", "retries"), [(5.0, 0), (10.0, 2)])
def test_false_timeouts_and_attempts_match_the_latency_tail(timeout, retries):
    """Timed-out attempts are a binomial share 1 - F(timeout) of attempts; every one was late."""
    r = ifc.timeout_report(rl.relay.LOOKUP_MS, timeout, retries, requests=5_000, seed=SEED)
    assert wilson_ci(r.timeouts, r.attempts).contains(r.false_timeout_theory)
    assert wilson_ci(r.failed, r.requests).contains(r.failed_theory)
    assert rl.core.mean_ci(r.attempts_each).contains(r.attempts_theory)


@pytest.mark.parametrize("semantics", ifc.SEMANTICS)
def test_effect_counts_match_theory_under_loss(semantics):
    """Lost and duplicated operations are binomial shares of the closed form's probabilities."""
    r = ifc.delivery_report(semantics, 0.15, 0.2, attempts=4, operations=5_000, seed=SEED)
    for count, p in ((r.none, r.theory.none), (r.more, r.theory.more)):
        assert count == 0 if p == 0 else wilson_ci(count, r.operations).contains(p)
    assert r.none + r.once + r.more == r.operations


def test_a_crash_makes_in_memory_keys_pay_twice_and_durable_keys_never():
    memory = ifc.delivery_report("exactly-once, keys in memory", 0.1, 0.3, operations=3_000,
                                 crash_every=40.0, seed=SEED)
    durable = ifc.delivery_report("exactly-once, keys with the effect", 0.1, 0.3,
                                  operations=3_000, crash_every=40.0, seed=SEED)
    assert memory.more > 0 and durable.more == 0


def test_no_retry_policy_ever_amplifies_beyond_tries_to_the_layers():
    for layers, tries in [(1, 3), (3, 3), (4, 2)]:
        assert ifc.amplification_run(layers, tries, requests=20) == \
            rl.theory.retry_amplification(tries, layers)


def test_a_retry_budget_caps_amplification_at_each_layer():
    """With ratio b and no burst, each layer makes at most (1 + b) calls per call received."""
    calls = ifc.amplification_run(3, 3, requests=200, budget_ratio=0.1)
    assert 1.0 < calls <= 1.1**3 + 1e-9


def test_jitter_cuts_the_calls_of_the_race():
    """Brooker's result: without jitter, clients collide again; with it, far fewer calls."""
    calls = {name: np.mean([ifc.retry_race(policy, clients=20, seed=s).calls
                            for s in range(5)]) for name, policy in ifc.POLICIES.items()}
    assert calls["full jitter"] < calls["exponential"] / 1.5
    assert calls["decorrelated"] < calls["exponential"] / 1.5
    assert calls["immediate"] > 5 * calls["fixed"]


def test_a_policy_without_delay_is_refused():
    with pytest.raises(ValueError, match="policy must have a method delay"):
        ifc.retry_race(lambda attempt: 1.0)


def test_a_policy_that_waits_forever_is_refused_not_run_forever():
    with pytest.raises(ValueError, match="policy must let every client through"):
        ifc.retry_race(ifc.Fixed(1e9), clients=3)


@pytest.mark.parametrize("ship_every", [0.0, 4.0])
def test_async_replication_loses_little_law_writes(ship_every):
    """Deterministic 1 ms trips: lag is 1 + ship_every / 2; a crash loses λ x lag writes."""
    r = ifc.replication_report("async", 0.5, Deterministic(1.0), ship_every=ship_every,
                               writes=5_000, seed=SEED)
    expected = 0.5 * (1.0 + ship_every / 2)
    lags = r.replicated - r.acked
    assert rl.core.batch_means_ci(lags, batches=20).contains(1.0 + ship_every / 2)
    assert rl.core.batch_means_ci(r.lost, batches=20).contains(expected)


def test_sync_replication_loses_nothing_and_pays_the_round_trip():
    r = ifc.replication_report("sync", 0.5, Exponential(1.0), writes=2_000, seed=SEED)
    assert r.mean_lost == 0.0 and r.window.max() == 0.0
    assert r.ack_latency.mean() > 2.0  # at least a round trip of two mean-1 delays


def test_strict_quorum_reads_are_never_stale_and_writes_take_the_wth_reply():
    latency = Exponential(1.0)
    run = ifc.quorum_run(5, 3, 3, latency, operations=3_000, seed=SEED)
    assert run.stale_rate == 0.0
    ci = quantile_ci(run.write_latency, 0.9)
    assert ci.contains(rl.theory.quorum_latency_quantile(0.9, 5, 3, latency))


@pytest.mark.parametrize(("n", "r", "w"), [(3, 1, 1), (5, 2, 2), (5, 1, 3)])
def test_random_quorums_are_stale_as_pbs_predicts(n, r, w):
    run = ifc.quorum_run(n, r, w, Exponential(1.0), operations=3_000, spread=False, seed=SEED)
    stale = int((run.staleness > 0).sum())
    assert wilson_ci(stale, run.staleness.size).contains(rl.theory.k_staleness(n, r, w))
    twice = int((run.staleness > 1).sum())
    assert wilson_ci(twice, run.staleness.size).contains(rl.theory.k_staleness(n, r, w, k=2))


def test_writes_fail_as_often_as_fewer_than_w_replicas_are_up():
    run = ifc.quorum_run(3, 2, 2, Exponential(1.0), operations=3_000, up=0.8, seed=SEED)
    ok = run.operations - run.writes_failed
    assert wilson_ci(ok, run.operations).contains(rl.theory.quorum_availability(3, 2, 0.8))


def test_reads_get_fresher_as_time_passes_after_the_write():
    """t-visibility: R = W = 1 of 3; the stale share falls as the read comes later."""
    rates = [ifc.quorum_run(3, 1, 1, rl.relay.REPLICATION_MS, operations=1_500,
                            read_after=t, seed=SEED).stale_rate for t in (0.0, 2.0, 6.0)]
    assert rates[0] > rates[1] > rates[2]


NEAR_AND_FAR = [Exponential(1.0), Exponential(1.0), Exponential(0.1)]
"""Two replicas nearby (mean round trip 1) and one ten times as far (mean 10)."""


@pytest.mark.parametrize("w", [2, 3])
def test_per_replica_latencies_give_the_poisson_binomial_order_statistic(w):
    """With one slow replica, a write takes the W-th of unlike replies, as the closed form says."""
    run = ifc.quorum_run(3, 1, w, NEAR_AND_FAR, operations=4_000, seed=SEED)
    for q in (0.5, 0.9):
        assert quantile_ci(run.write_latency, q).contains(
            rl.theory.quorum_latency_quantile(q, 3, w, NEAR_AND_FAR))
    t = rl.theory.quorum_latency_quantile(0.5, 3, w, Exponential(1.0))  # median, all near
    done = int((run.write_latency <= t).sum())
    assert wilson_ci(done, run.write_latency.size).contains(
        rl.theory.quorum_latency_cdf(t, 3, w, NEAR_AND_FAR))


def test_one_distribution_or_n_copies_of_it_give_the_same_run():
    one = ifc.quorum_run(3, 1, 2, rl.relay.REPLICATION_MS, operations=200, read_after=1.0,
                         seed=SEED)
    each = ifc.quorum_run(3, 1, 2, [rl.relay.REPLICATION_MS] * 3, operations=200,
                          read_after=1.0, seed=SEED)
    for field in ("write_latency", "read_latency", "staleness"):
        np.testing.assert_array_equal(getattr(one, field), getattr(each, field))


@pytest.mark.parametrize("latency", [1.0, [Exponential(1.0)] * 2, (Exponential(1.0), None, 3)])
def test_quorum_latency_must_be_a_distribution_or_one_per_replica(latency):
    with pytest.raises(ValueError, match=r"latency must be a distribution or a list of n "
                                         r"distributions, one for each of the 3 replicas"):
        ifc.quorum_run(3, 1, 2, latency, operations=10)
