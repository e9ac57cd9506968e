"""The network: FIFO links, loss, duplication, reordering, partitions."""

import pytest
from scipy import stats

from reactive_lab.core import Deterministic, Exponential
from reactive_lab.core.sim import Simulation, partition


def _pair(**network):
    received = []
    sim = Simulation(seed=5, **network)
    sim.spawn("a", lambda ctx, body: None)
    sim.spawn("b", lambda ctx, body: received.append(body))
    return sim, received


def test_links_are_fifo_unless_reordering_is_on():
    """Random latencies never reorder a link's messages, as Erlang promises per pair."""
    sim, received = _pair(latency=Exponential(1.0))
    for i in range(500):
        sim.post("cast", "a", "b", i)
    sim.run(until=1_000.0)
    assert received == list(range(500))
    sim, received = _pair(latency=Exponential(1.0), reorder=0.5)
    for i in range(500):
        sim.post("cast", "a", "b", i)
    sim.run(until=1_000.0)
    assert sorted(received) == list(range(500)) and received != list(range(500))


@pytest.mark.parametrize("setting, counter", [("loss", "lost"), ("duplicate", "duplicated")])
def test_loss_and_duplication_happen_at_their_rate(setting, counter):
    """The fraction lost (or duplicated) lies in a 99% binomial interval around p."""
    sim, received = _pair(latency=Deterministic(1.0), **{setting: 0.25})
    count = 20_000
    for i in range(count):
        sim.post("cast", "a", "b", i)
    sim.run(until=10.0)
    interval = stats.binomtest(getattr(sim.stats, counter), count).proportion_ci(0.99)
    assert interval.low <= 0.25 <= interval.high, interval
    assert len(received) == count + sim.stats.duplicated - sim.stats.lost


def test_same_node_messages_never_suffer_network_faults():
    received = []
    sim = Simulation(latency=Deterministic(5.0), loss=0.9)
    sim.spawn("a", lambda ctx, body: None, node="box")
    sim.spawn("b", lambda ctx, body: received.append((ctx.now, body)), node="box")
    for i in range(20):
        sim.post("cast", "a", "b", i)
    sim.run(until=1.0)
    assert received == [(0.0, i) for i in range(20)]


def test_a_partition_drops_messages_until_it_heals():
    sim, received = _pair(latency=Deterministic(1.0))
    partition(sim, ["a"], start=10.0, end=20.0)
    for t in (5.0, 9.5, 15.0, 25.0):  # 9.5 is in flight when the partition opens
        sim.run(until=t)
        sim.post("cast", "a", "b", t)
    sim.run(until=40.0)
    assert received == [5.0, 25.0]
    assert sim.stats.dropped_unreachable == 2


def test_connect_sets_one_link_and_keeps_the_defaults_elsewhere():
    sim = Simulation(latency=Deterministic(1.0), loss=0.5)
    link = sim.network.connect("a", "b", loss=0.0)
    assert (link.loss, sim.network.link("b", "a").loss, sim.network.link("a", "c").loss) == (
        0.0, 0.0, 0.5)
    with pytest.raises(ValueError, match="settings must be among"):
        sim.network.connect("a", "b", jitter=1.0)
    with pytest.raises(ValueError, match="b must be a node other than a"):
        sim.network.connect("a", "a")
    with pytest.raises(ValueError, match="end must be a number above 3"):
        partition(sim, ["a"], start=3.0, end=2.0)
