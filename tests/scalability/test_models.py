"""Chapter 4's simulations against their closed forms, and their behaviour under overload."""

import math

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.core import Exponential, wilson_ci
from reactive_lab.core.sim import Simulation, open_loop
from reactive_lab.scalability import (
    AdaptiveLimit,
    ConcurrencyLimit,
    PlainPolicy,
    TokenBucket,
    overload_run,
    producer_consumer,
    spawn_server,
    spike_run,
)
from reactive_lab.scalability.explorables import SEED as EXPLORABLE_SEED
from reactive_lab.scalability.overload import DEFENCES

MU = rl.relay.LOGIC_SERVICE_RATE


def _blocked(servers, capacity, rate, seconds, seed, policy=None):
    sim = Simulation(seed=seed, record_queues=False)
    server = spawn_server(sim, "s", service=Exponential(MU), servers=servers,
                          capacity=capacity, policy=policy)
    open_loop(sim, "s", rate=rate)
    sim.run(until=seconds)
    refused = server.refused["full"] + server.refused["policy"]
    return refused, refused + server.admitted


@pytest.mark.parametrize("servers, capacity, rate", [
    (1, 5, 90.0),     # M/M/1/5 just below capacity
    (1, 10, 150.0),   # M/M/1/10 overloaded: bounded all the same
    (3, 8, 250.0),    # M/M/3/8
])
def test_bounded_queue_blocks_as_mmck_says(servers, capacity, rate):
    """The share turned away matches p_K. Arrivals see independent-ish states only over
    time, so the binomial interval is widened by batch means of the per-second shares."""
    sim = Simulation(seed=11, record_queues=False)
    server = spawn_server(sim, "s", service=Exponential(MU), servers=servers,
                          capacity=capacity)
    clients = open_loop(sim, "s", rate=rate)
    sim.run(until=300.0)
    exact = rl.theory.mmck(rate, MU, servers, capacity).blocking
    # Per-request 0/1 blocked, in arrival order, for batch means.
    starts = np.asarray(clients.starts)
    ends = np.asarray(clients.ends)
    blocked = (ends - starts) == 0.0  # a refusal is answered at once; service takes time
    assert blocked.sum() == server.refused["full"]
    ci = rl.core.batch_means_ci(blocked.astype(float), batches=30)
    assert ci.contains(exact), (ci, exact)
    assert ci.half_width < 0.25 * exact


def test_concurrency_limit_with_no_queue_refuses_erlang_b():
    """A limit of c on c servers is Erlang's loss system: refusals are Erlang B."""
    refused, arrivals = _blocked(4, None, 300.0, 200.0, seed=3, policy=ConcurrencyLimit(4))
    exact = rl.theory.erlang_b(4, 3.0)
    assert wilson_ci(refused, arrivals, confidence=0.999).contains(exact)


def test_token_bucket_admits_its_rate_in_the_long_run():
    """Admitted requests over T seconds are at most rate x T + burst and, with arrivals
    well above the rate, at least rate x T minus the Poisson dips the burst did not cover."""
    sim = Simulation(seed=5, record_queues=False)
    server = spawn_server(sim, "s", service=Exponential(1000.0), servers=8,
                          policy=TokenBucket(rate=50.0, burst=5))
    open_loop(sim, "s", rate=200.0)
    sim.run(until=200.0)
    assert 50.0 * 200.0 * 0.99 <= server.admitted <= 50.0 * 200.0 + 5


def test_token_bucket_below_its_rate_admits_everything():
    refused, arrivals = _blocked(2, None, 20.0, 100.0, seed=6,
                                 policy=TokenBucket(rate=100.0, burst=20))
    assert refused == 0 and arrivals > 1500


def test_adaptive_limit_keeps_the_queue_short_at_any_capacity():
    """The limit finds the capacity: twice overloaded, the queue stays a few requests."""
    r = overload_run("adaptive limit", load=2.0, seconds=20.0, seed=4)
    unregulated = overload_run("none", load=2.0, seconds=20.0, seed=4)
    assert r.max_queue < 30 < unregulated.max_queue
    assert r.goodput > 0.8 * MU


@pytest.mark.parametrize("regulator", ["bounded queue", "concurrency limit",
                                       "queue-time limit", "lifo", "codel"])
def test_regulators_keep_goodput_where_fifo_collapses(regulator):
    """At twice the capacity an unregulated FIFO answers almost nothing in time; every
    regulator keeps most of the capacity answering in time."""
    none = overload_run("none", load=2.0, seconds=20.0, seed=8)
    regulated = overload_run(regulator, load=2.0, seconds=20.0, seed=8)
    assert none.goodput < 0.2 * MU
    assert regulated.goodput > 0.6 * MU


def test_below_capacity_regulators_cost_almost_nothing():
    base = overload_run("none", load=0.6, seconds=30.0, seed=9)
    for regulator in ("bounded queue", "concurrency limit", "codel"):
        r = overload_run(regulator, load=0.6, seconds=30.0, seed=9)
        assert r.refused < 0.02 and r.goodput > 0.97 * base.goodput


def test_retries_make_a_spike_metastable_and_defences_break_the_loop():
    """Huang et al.'s pattern: with retries the node stays collapsed after the spike;
    without retries, or with a retry budget or shedding, it recovers."""
    for seed in (1, 2):
        assert math.isinf(spike_run("none", retries=2, seed=seed).recovered_at)
        assert spike_run("none", retries=0, seed=seed).recovered_at < 12
        assert spike_run("retry budget", retries=2, seed=seed).recovered_at < 12
        assert spike_run("shed stale work", retries=2, seed=seed).recovered_at < 10


@pytest.mark.parametrize("defence", DEFENCES)
def test_a_half_scale_spike_reaches_the_full_scale_verdict(defence):
    """The live explorable's half-scale run (half the node's speed, the same relative load)
    says "recovered" or "never" exactly when the book's full-scale run does, at every
    setting the explorable offers, and within the run's 20 s."""
    for retries in (0, 1, 2, 3):
        full = spike_run(defence, retries, seed=EXPLORABLE_SEED)
        half = spike_run(defence, retries, seed=EXPLORABLE_SEED, scale=0.5)
        assert half.capacity == full.capacity / 2
        assert math.isinf(half.recovered_at) == math.isinf(full.recovered_at), (
            defence, retries, full.recovered_at, half.recovered_at)


def test_metastable_run_keeps_offering_more_than_capacity():
    r = spike_run("none", retries=2, seed=3)
    late = r.seconds >= 10
    assert r.offered[late].mean() > 1.5 * MU  # each request tried three times
    assert r.goodput[late].mean() < 0.1 * r.base_rate


def test_cast_mailbox_grows_at_the_excess_rate():
    """With casts the consumer's mailbox grows by (lambda - mu) per second."""
    r = producer_consumer("cast", rate=150.0, seconds=20.0, seed=2)
    late = r.times > 10
    slope = np.polyfit(r.times[late], r.consumer_queue[late], 1)[0]
    assert 40 < slope < 60


@pytest.mark.parametrize("mode", ["call", "credits"])
def test_back_pressure_bounds_the_consumer_and_refuses_at_the_edge(mode):
    r = producer_consumer(mode, rate=150.0, seconds=20.0, seed=2)
    assert r.consumer_queue.max() <= rl.scalability.backpressure.WINDOW
    assert r.refused > 0.2
    assert r.producer_peak <= rl.scalability.backpressure.BUFFER


def test_credits_keep_the_consumer_busy_where_calls_leave_it_idle():
    """Calls pay a round trip per message; a window of credits hides it."""
    call = producer_consumer("call", rate=150.0, seconds=20.0, seed=4)
    credits = producer_consumer("credits", rate=150.0, seconds=20.0, seed=4)
    round_trip = 2 * rl.scalability.backpressure.HOP
    assert call.delivered == pytest.approx(1 / (1 / MU + round_trip), rel=0.06)
    assert credits.delivered == pytest.approx(MU, rel=0.06)


def test_load_test_shows_a_peak_and_the_fit_finds_it():
    t = rl.scalability.load_test(sizes=(1, 2, 4, 8, 12, 16, 24, 32), seconds=2.0, seed=5)
    fit = rl.theory.fit_usl(t.sizes, t.throughput)
    measured_peak = t.sizes[np.argmax(t.throughput)]
    assert t.throughput[-1] < t.throughput.max()  # retrograde: 32 nodes do less
    assert fit.peak_interval[0] <= measured_peak * 1.5 and measured_peak <= fit.peak_interval[1]


@pytest.mark.parametrize("call, message", [
    (lambda: spawn_server(Simulation(), "s", service=Exponential(1.0), policy=object()),
     "policy must have a method admit"),
    (lambda: spawn_server(Simulation(), "s", service=Exponential(1.0), discipline="random"),
     "discipline must be"),
    (lambda: TokenBucket(rate=0, burst=1), "rate must be a number above 0"),
    (lambda: PlainPolicy("admit"), "admit must be a function"),
    (lambda: PlainPolicy(lambda state, now, in_flight: True).admit(0.0, 0),
     r"admit must return a pair \(state, admitted\)"),
    (lambda: PlainPolicy(lambda state, now, in_flight: (state, 1)).admit(0.0, 0),
     "admitted True or False"),
    (lambda: AdaptiveLimit(initial=0), "initial must be an int from 1"),
    (lambda: overload_run("magic", load=1.0), "regulator must be"),
    (lambda: spike_run("none", retries=9), "retries must be an int from 0 to 5"),
    (lambda: spike_run("none", retries=1, scale=2), "scale must be a number above 0 and at "
                                                     "most 1"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_plain_policy_hands_each_request_the_state_the_last_one_left():
    def counting(state, now, in_flight):
        seen = (state or 0) + 1
        return seen, seen <= 2

    door = PlainPolicy(counting)
    assert [door.admit(t, 0) for t in (0.0, 0.1, 0.2)] == [True, True, False]
    assert door.state == 3
