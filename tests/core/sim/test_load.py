"""Load generators: open loop ignores the system's speed, closed loop adapts to it."""

import numpy as np
import pytest
from scipy import stats

from reactive_lab.core import Deterministic, Exponential
from reactive_lab.core.sim import (
    RateSchedule,
    Simulation,
    closed_loop,
    open_loop,
    ramp,
    spike,
    summarise,
)


def _server(sim, work=0.1):
    sim.spawn("s", lambda ctx, body: ctx.reply(body), service=Deterministic(work))


def test_open_loop_overload_grows_the_queue_closed_loop_cannot():
    """Offered 2x capacity: the open-loop mailbox grows; ten looping users keep it at 9."""
    sim = Simulation(seed=1)
    _server(sim, work=1.0)
    open_loop(sim, "s", rate=2.0)
    sim.run(until=500.0)
    assert len(sim.processes["s"].mailbox) > 300
    sim = Simulation(seed=1)
    _server(sim, work=1.0)
    closed_loop(sim, "s", users=10, think=Exponential(2.0))
    sim.run(until=500.0)
    assert len(sim.processes["s"].mailbox) <= 9


def test_a_spike_schedule_sends_poisson_counts_at_each_rate():
    """Counts in the base and peak windows lie in 99% Poisson intervals of rate x time."""
    sim = Simulation(seed=3)
    _server(sim, work=0.0001)
    client = open_loop(sim, "s", schedule=spike(10.0, 100.0, start=100.0, end=150.0))
    sim.run(until=200.0)
    starts = np.asarray(client.starts)
    for low, high, rate in ((0, 100, 10.0), (100, 150, 100.0), (150, 200, 10.0)):
        count = int(((starts >= low) & (starts < high)).sum())
        expected = rate * (high - low)
        assert stats.poisson.ppf(0.005, expected) <= count <= stats.poisson.ppf(0.995, expected)


def test_ramp_and_schedule_validation():
    assert ramp(0, 10, start=0, end=10, steps=5).rate_at(9.9) == 9.0
    assert RateSchedule(((0, 0.0), (5, 2.0))).next_arrival(0.0, 1.0) == 5.5
    with pytest.raises(ValueError, match="steps must start at time 0"):
        RateSchedule(((1.0, 2.0),))
    with pytest.raises(ValueError, match="end must be a number above 5"):
        spike(1, 2, start=5, end=5)


def test_requests_are_retried_after_timeouts_and_then_given_up():
    sim = Simulation(seed=2)
    sim.spawn("black hole", lambda ctx, body: None)
    client = open_loop(sim, "black hole", rate=1.0, requests=10, timeout=2.0, retries=2,
                       backoff=Deterministic(1.0))
    sim.run(until=100.0)
    assert client.attempts == [3] * 10 and client.outcomes == ["timed out"] * 10
    ends = np.asarray(client.ends) - np.asarray(client.starts)
    assert np.allclose(ends, 2.0 + 1.0 + 2.0 + 1.0 + 2.0)
    assert summarise(sim).timed_out == 10


@pytest.mark.parametrize(
    "kwargs, rule",
    [
        ({}, "rate, interarrival and schedule must be given exactly once"),
        ({"rate": 1.0, "interarrival": Exponential(1.0)}, "exactly once"),
        ({"rate": -1.0}, "rate must be a number above 0"),
        ({"rate": 1.0, "retries": 2}, "retries must be 0 without a timeout"),
        ({"rate": 1.0, "timeout": 1.0, "retries": 101}, "retries must be an int from 0 to 100"),
        ({"rate": 1.0, "requests": 0}, "requests must be an int from 1"),
        ({"schedule": [(0, 1.0)]}, "schedule must be a RateSchedule"),
    ],
)
def test_open_loop_refuses_bad_parameters(kwargs, rule):
    sim = Simulation()
    _server(sim)
    with pytest.raises(ValueError, match=rule):
        open_loop(sim, "s", **kwargs)


def test_closed_loop_refuses_bad_parameters():
    sim = Simulation()
    _server(sim)
    with pytest.raises(ValueError, match="users must be an int from 1 to 100,000"):
        closed_loop(sim, "s", users=0, think=Exponential(1.0))
    with pytest.raises(ValueError, match="think must be a distribution"):
        closed_loop(sim, "s", users=1, think=1.0)
    with pytest.raises(ValueError, match="to must be the name of a process"):
        closed_loop(sim, "nobody", users=1, think=Exponential(1.0))


def test_turning_loss_on_leaves_the_arrivals_unchanged():
    """Each source draws from its own stream: with or without loss, the same arrivals."""
    def starts(loss):
        sim = Simulation(seed=9, latency=Deterministic(0.1), loss=loss)
        _server(sim, work=0.05)
        client = open_loop(sim, "s", rate=2.0, requests=500, timeout=1.0, retries=3)
        sim.run(until=1_000.0)
        return client.starts, client.attempts

    clean, lossy = starts(0.0), starts(0.3)
    assert clean[0] == lossy[0]
    assert sum(lossy[1]) > sum(clean[1])
