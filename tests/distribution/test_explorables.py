"""The chapter 1 explorables: each builds, stays within the frame budget, and says true numbers.

Expected numbers come from :mod:`reactive_lab.distribution` (or closed forms) directly, never
from the explorable's own model functions.
"""

import math

import pytest

import reactive_lab as rl
from reactive_lab.distribution import explorables as ex


@pytest.mark.parametrize(
    ("pattern", "n"),
    [
        ("full mesh", 8),  # 8 * 7 / 2 = 28 connections, nothing disconnects
        ("hub", 12),  # the broker isolates every member
        ("partial mesh", 16),  # a gateway cuts its group off
    ],
)
def test_topology_builder_reports_connections_heartbeats_and_worst_failure(pattern, n):
    """The readout and alt text carry the connection count, tick rate and hops of the graph."""
    G = rl.distribution.topology(pattern, n)
    connections = rl.distribution.connection_count(G)
    ticks = rl.distribution.heartbeat_messages_per_second(G)
    hops = rl.distribution.hop_counts(G)
    worst = rl.distribution.worst_single_failure(G)
    frame = ex.topology_builder().frame(pattern=pattern, n=n)
    assert f"connections: {connections} " in frame.readout
    assert f"{connections} connections" in frame.alt
    assert f"{rl.figures.plain_number(ticks)} messages/s" in frame.readout
    assert f"mean {hops.mean:.2f}, max {hops.max}" in frame.readout
    if worst.unreachable_pairs:
        assert f"{worst.unreachable_fraction:.0%} of member pairs" in frame.readout
        assert "vermillion" in frame.alt
    else:
        assert "disconnects anyone" in frame.readout


def test_topology_builder_full_mesh_of_eight_has_28_connections():
    """The worked example of the page: a full mesh of 8 nodes keeps 8*7/2 = 28 connections."""
    assert "connections: 28 " in ex.topology_builder().frame(pattern="full mesh", n=8).readout


@pytest.mark.parametrize(("vnodes", "nodes"), [(1, 8), (64, 4), (256, 16)])
def test_vnodes_balance_reports_exact_imbalance_and_keys_moved(vnodes, nodes):
    """Imbalance is max/mean of the ring's exact shares; a join moves the newcomer's share."""
    names = [f"store{i + 1}" for i in range(nodes)]
    ring = rl.distribution.ConsistentHashRing(names, vnodes=vnodes)
    shares = rl.distribution.ring_ownership(ring)
    grown = ring.with_node(f"store{nodes + 1}")
    sampled = rl.distribution.keys_moved(ring, grown, range(20_000))
    moved = rl.distribution.ring_ownership(grown)[f"store{nodes + 1}"]
    assert abs(sampled - moved) < 0.02  # the exact share agrees with moving real keys
    frame = ex.vnodes_balance().frame(vnodes=vnodes, nodes=nodes)
    assert f"imbalance (max/mean): {rl.distribution.imbalance(shares):.2f}" in frame.readout
    assert f"a join moves {moved:.1%}" in frame.readout
    assert f"ideal 1/{nodes + 1} = {1 / (nodes + 1):.1%}" in frame.readout
    assert f"modulo {nodes}/{nodes + 1} = {nodes / (nodes + 1):.1%}" in frame.readout
    assert f"{rl.distribution.imbalance(shares):.2f} times its fair share" in frame.alt


def test_more_virtual_nodes_balance_the_ring_better():
    """From 1 to 256 virtual nodes per node the imbalance of an 8-node ring falls."""
    balance = rl.distribution.balance_report
    assert balance(8, 256).imbalance < balance(8, 1).imbalance


@pytest.mark.parametrize(("net_ticktime", "intensity"), [(60, 4), (10, 4), (30, 20)])
def test_failure_detection_reports_window_and_stall_odds(net_ticktime, intensity):
    """Detection takes T - T/I to T + T/I; a stall at T costs a nodedown half the time."""
    interval = net_ticktime / intensity
    earliest, latest = net_ticktime - interval, net_ticktime + interval
    frame = ex.failure_detection().frame(net_ticktime=net_ticktime, intensity=intensity)
    assert f"declared down after {earliest:g}–{latest:g} s" in frame.readout
    assert f"shorter than {earliest:g} s are forgiven" in frame.readout
    assert f"is 1 above {latest:g} s" in frame.alt
    report = rl.distribution.suspicion_report(net_ticktime, intensity)
    for stall, p in report.stall_probabilities.items():
        expected = min(1.0, max(0.0, (stall - earliest) / (latest - earliest)))
        assert p == pytest.approx(expected)
        assert f"{stall:g} s: {expected:.0%}" in frame.readout


def test_failure_detection_default_is_45_to_75_s():
    """The page's worked numbers: default net_ticktime and intensity."""
    frame = ex.failure_detection().frame(net_ticktime=60, intensity=4)
    assert "45–75 s" in frame.readout and "60 s: 50%" in frame.readout


@pytest.mark.parametrize("fanout", [1, 10, 100])
def test_fanout_tail_matches_slowest_of_k_theory(fanout):
    """Simulated p50/p99 lie near fixed hops + F⁻¹(q^(1/k)); the readout states 1 - 0.99^k."""
    fixed = sum(rl.relay.HOP_MS.values())
    result = rl.distribution.fanout_report(fanout)
    for q in (50, 99):
        exact = fixed + rl.distribution.slowest_of_k_quantile(q / 100, fanout, _lookup_ppf)
        assert result.theory[q] == pytest.approx(exact, rel=1e-9)
        # Requests are independent, so the order-statistic interval of the quantile applies.
        assert rl.core.quantile_ci(result.latencies_ms, q / 100, confidence=0.999).contains(exact)
    frame = ex.fanout_tail().frame(fanout=fanout)
    hits = rl.distribution.probability_hits_tail(fanout, 0.99)
    assert f"slower than its p99: {hits:.0%}" in frame.readout
    assert f"median is {result.simulated[50]:.1f} ms" in frame.alt


def test_fanout_of_100_hits_a_p99_in_63_percent_of_requests():
    """Dean and Barroso's example: 1 - 0.99**100 = 63%."""
    assert "63%" in ex.fanout_tail().frame(fanout=100).readout


def _lookup_ppf(u):
    """The user-directory lookup's quantile function, written out from the log-normal's
    definition (exp of a normal) so the test does not lean on the package's own ppf."""
    from statistics import NormalDist

    lookup = rl.relay.LOOKUP_MS
    sigma = math.sqrt(math.log1p(lookup.cv**2))
    mu = math.log(lookup.mean) - sigma**2 / 2
    return math.exp(mu + sigma * NormalDist().inv_cdf(u))


@pytest.mark.parametrize("n", [10, 1000])
def test_cluster_scale_states_mesh_and_gateway_costs(n):
    """The scale readout quotes n(n-1)/2 mesh links and the gateway's 1 + (s-1)(n-s)/(n-1)."""
    frame = ex.cluster_scale().frame(n=n)
    assert f"full mesh: {n * (n - 1) // 2:,} links" in frame.readout
    groups = round(math.sqrt(n))
    size = -(-n // groups)   # the largest group
    ratio = 1 + (size - 1) * (n - size) / (n - 1)
    assert f"carries {rl.figures.plain_number(ratio)}× a member" in frame.readout
    assert (f"hub: {n:,} links; busiest node holds {n:,}, carries "
            f"{rl.figures.plain_number(n / 2)}×") in frame.readout


def test_cluster_scale_readout_ranks_patterns_by_the_plotted_measure():
    """Switching the measure reorders the readout: the full mesh leads on links, and is
    last on the busiest node's load, where every member carries the same."""
    by_links = ex.cluster_scale().frame(n=100, measure="connections").readout.splitlines()
    by_load = ex.cluster_scale().frame(n=100, measure="busiest node's load").readout.splitlines()
    assert by_links[0] == "by connections, at 100 nodes:"
    assert by_links[1].startswith("full mesh:") and by_load[-1].startswith("full mesh:")
    assert sorted(by_links[1:]) == sorted(by_load[1:])


@pytest.mark.parametrize(("load", "nodes"), [(0.5, 2), (0.95, 16)])
def test_load_balancing_states_mm1_and_mmc_tails(load, nodes):
    """Random dispatch's p99 is M/M/1's ln(100)/(mu - lambda); the shared queue's is M/M/c's."""
    mu = rl.relay.LOGIC_SERVICE_RATE
    frame = ex.load_balancing().frame(load=load, nodes=nodes)
    random_p99 = 1000 * math.log(100) / (mu * (1 - load))
    assert f"random: mean {1000 / (mu * (1 - load)):.1f} ms, p99 {random_p99:.1f} ms" \
        in frame.readout
    pooled = rl.theory.mmc(nodes * load * mu, mu, nodes)
    assert f"p99 {1000 * pooled.response_percentile(99):.1f} ms" in frame.readout
