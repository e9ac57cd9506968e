"""Simulations of chapter 3 held to their closed forms, with interval tolerances."""

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.availability import (
    expected_detection,
    heartbeat_arrivals,
    judge,
    phi_timeouts,
    simulate_failover,
    simulate_group,
    supervised_service,
)
from reactive_lab.availability.blocks import up_fraction
from reactive_lab.core import batch_means_ci, mean_ci, wilson_ci
from reactive_lab.core.sim import Simulation, crash_randomly

MTBF, MTTR = 100.0, 10.0


def batch_up_fractions(sim, names, k, batches=30):
    """Up fraction of each of *batches* equal slices of the run."""
    edges = np.linspace(0.0, sim.now, batches + 1)
    up_after = [up_fraction(sim, names, k, since=e) * (sim.now - e) for e in edges[:-1]]
    up_time = -np.diff(np.append(up_after, 0.0))
    return up_time / np.diff(edges)


def test_a_repairable_part_is_up_mtbf_over_mtbf_plus_mttr():
    sim = Simulation(seed=11, record_queues=False)
    sim.spawn("part", lambda ctx, body: None)
    crash_randomly(sim, "part", time_to_crash=rl.core.Exponential(1 / MTBF),
                   time_to_restart=rl.core.Exponential(1 / MTTR))
    sim.run(until=300_000.0)
    ci = batch_means_ci(batch_up_fractions(sim, ["part"], 1), batches=30)
    assert ci.contains(rl.theory.steady_state_availability(MTBF, MTTR))
    assert ci.half_width < 0.01


def test_a_two_of_three_group_matches_the_binomial_formula():
    report = simulate_group(2, 3, MTBF, MTTR, until=300_000.0, seed=12)
    assert report.theory == pytest.approx(rl.theory.k_of_n(2, 3, MTBF / (MTBF + MTTR)))
    assert np.mean(report.batch_fractions) == pytest.approx(report.simulated)
    ci = batch_means_ci(report.batch_fractions, batches=30)
    assert ci.contains(report.theory) and ci.half_width < 0.005


def test_a_shared_dependency_caps_the_group():
    r = simulate_group(1, 3, MTBF, MTTR, until=300_000.0, shared_mtbf=1_000.0,
                       shared_mttr=20.0, seed=13)
    shared = rl.theory.steady_state_availability(1_000.0, 20.0)
    assert r.theory == pytest.approx(shared * rl.theory.parallel(*[MTBF / (MTBF + MTTR)] * 3))
    ci = batch_means_ci(r.batch_fractions, batches=30)
    assert ci.contains(r.theory) and ci.half_width < 0.01


def test_timeout_detector_false_suspicions_match_the_triangular_tail():
    """Uniform(0, j) delays make the gap 1 + U1 - U2: P(gap > T) = (j - (T-1))^2 / 2j^2."""
    jitter, timeout = 0.5, 1.3
    arrivals = heartbeat_arrivals(1.0, jitter, until=40_000.0, seed=14)
    gaps = np.diff(arrivals)
    late = gaps > timeout
    expected = (jitter - (timeout - 1.0)) ** 2 / (2 * jitter**2)
    assert judge(arrivals, timeout=timeout).false_suspicions == late.sum()
    # Neighbouring gaps share a delay, so use batch means rather than a binomial interval.
    assert batch_means_ci(late.astype(float), batches=30).contains(expected)


def test_lost_heartbeats_are_the_only_false_suspicions_between_one_and_two_intervals():
    """With T in (1 + j, 2 - j), a gap exceeds T exactly when a heartbeat was lost."""
    arrivals = heartbeat_arrivals(1.0, 0.1, until=40_000.0, loss=0.02, seed=15)
    verdict = judge(arrivals, timeout=1.5)
    # Each arrival's next heartbeat is lost with probability 0.02, independently.
    assert wilson_ci(verdict.false_suspicions, verdict.gaps).contains(0.02)


def test_phi_detector_suspects_a_live_normal_peer_ten_to_minus_threshold_of_the_time():
    rng = np.random.default_rng(16)
    arrivals = np.cumsum(rng.normal(1.0, 0.1, 150_000))
    window, threshold = 1000, 2.0
    limits = phi_timeouts(arrivals, threshold, window)
    late = (np.diff(arrivals) > limits[:-1])[window:]
    assert batch_means_ci(late.astype(float), batches=30).contains(10**-threshold)


def test_detection_time_after_a_crash_averages_timeout_plus_half_jitter_minus_half_interval():
    rng = np.random.default_rng(17)
    times = []
    for seed in range(300):
        crash = 20.0 + rng.uniform(0, 1.0)
        arrivals = heartbeat_arrivals(1.0, 0.2, until=40.0, crash=crash, seed=seed)
        times.append(judge(arrivals, timeout=3.0, crash=crash).detection_time)
    assert mean_ci(times).contains(expected_detection(1.0, 0.2, 3.0))


def test_failover_downtime_per_failure_is_detection_plus_takeover():
    """Repair (1 s) is 1/1000 of the MTBF, so a failure finds the standby down with
    probability under 0.1 %, adding under 1 ms to the mean outage: far inside the interval."""
    run = simulate_failover(mtbf=1_000.0, timeout=3.0, takeover=2.0, until=400_000.0,
                            repair=1.0, seed=18)
    assert run.false_failovers == 0 and run.split_brain_s == 0.0
    assert len(run.downtimes) > 300
    ci = mean_ci(run.downtimes)
    assert ci.contains(expected_detection(1.0, 0.1, 3.0) + 2.0) and ci.half_width < 0.1


def test_a_partition_makes_split_brain_and_fencing_rejects_the_stale_writes():
    fenced = simulate_failover(mtbf=1e9, timeout=3.0, takeover=2.0, until=100.0,
                               partitions=[(20.0, 40.0)], seed=19)
    open_ = simulate_failover(mtbf=1e9, timeout=3.0, takeover=2.0, until=100.0,
                              partitions=[(20.0, 40.0)], fencing=False, seed=19)
    assert fenced.false_failovers == 1 and fenced.split_brain_s > 10.0
    assert fenced.rejected_writes > 10 and fenced.stale_writes <= 1
    assert open_.rejected_writes == 0 and open_.stale_writes > 10


def test_supervised_service_without_give_ups_matches_mtbf_over_mtbf_plus_restart():
    r = supervised_service("one_for_one", 20.0, intensity=1000, restart_time=1.0,
                           until=200_000.0, seed=20)
    assert r.gave_up == 0
    # A = U / (U + 1) over n cycles with exponential up times U (mean 20, sd 20): by the
    # delta method sd(A) = (dA/dU) sd(mean U) = 1 / 21**2 * 20 / sqrt(n).
    band = rl.core.normal_quantile(0.99) * 20.0 / 21.0**2 / np.sqrt(r.restarts)
    assert abs(r.availability - r.theory_without_give_up) < band


def test_mean_time_to_give_up_with_intensity_one():
    """Crashes at rate 1/m, instant restarts, window P: E[T] = m (1 + 1/(1 - exp(-P/m)))."""
    m, period = 10.0, 5.0
    times = []
    for seed in range(400):
        sim = Simulation(seed=seed, record_queues=False)
        sup = rl.availability.Supervisor(
            sim, "sup", [rl.availability.Worker("w", rl.availability.TransientFault(m))],
            period=period, clock_resolution=0.0)
        sim.run(until=10_000.0)
        times.append(sup.gave_up[0])
    assert mean_ci(times).contains(m * (1 + 1 / (1 - np.exp(-period / m))))
