"""Models added for chapter 1's architecture layer: relayed load, false suspicion, dispatch."""

from __future__ import annotations

import numpy as np
import pytest

import reactive_lab as rl

D = rl.distribution


@pytest.mark.parametrize("n, groups", [(144, 24), (144, 48), (144, 12), (12, 3), (30, 5)])
def test_gateway_load_formula_matches_routed_traffic(n, groups):
    """1 + (s-1)(n-s)/(n-1) equals the gateway's load counted on the graph, over a member's."""
    G = D.partial_mesh(groups, n // groups)
    assert D.busiest_relay_ratio(G) == pytest.approx(D.gateway_load_ratio(n, groups))
    loads = D.node_loads(G)
    plain = [v for v in G if G.nodes[v]["role"] == "node"]
    assert {loads[v] for v in plain} == {2.0 * (n - 1)}   # plain members forward nothing


def test_gateway_carries_about_six_times_a_member_at_24_groups_of_144():
    """The issue's figure: at g = 24, a gateway carries about 5.8x a member's traffic."""
    assert D.gateway_load_ratio(144, 24) == pytest.approx(5.825, abs=0.001)


def test_mesh_forwards_nothing_and_hub_forwards_everything():
    assert D.busiest_relay_ratio(D.full_mesh(7)) == 1.0
    loads = D.node_loads(D.hub(5))
    assert loads[0] == 5 * 4   # every ordered member pair passes through the broker


def test_false_nodedown_probability_follows_the_documented_window():
    """Zero below T - T/I, one above T + T/I, one half at T."""
    p = D.false_nodedown_probability([44.9, 45.0, 60.0, 75.0, 75.1])
    assert p.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert D.false_nodedown_probability(59.0, 60, 1000) == 0.0   # window 59.94-60.06 s


def test_exponential_stall_formula_matches_monte_carlo():
    """The closed form averages the window over exponential stalls (binomial 99.9% interval)."""
    generator = np.random.default_rng(7)
    trials, mean = 200_000, 30.0
    earliest, latest = D.failure_detection_window_s()
    stalls = generator.exponential(mean, trials)
    detection = generator.uniform(earliest, latest, trials)
    hits = int(np.sum(stalls > detection))
    interval = rl.core.wilson_ci(hits, trials, confidence=0.999)
    assert interval.contains(D.false_nodedown_probability_exponential(mean))


@pytest.mark.parametrize("policy", D.POLICIES)
@pytest.mark.parametrize("nodes", [1, 4])
def test_dispatch_simulation_matches_theory(policy, nodes):
    """Simulated mean response time lies in its 99% batch-means interval around theory."""
    load, requests, warmup = 0.7, 200_000, 10_000
    times = D.simulate_dispatch(policy, nodes, load, requests=requests, seed=11)[warmup:]
    ci = rl.core.batch_means_ci(times, batches=30, confidence=0.99)
    assert ci.half_width < 0.05 * ci.mean   # the run is long enough to tell policies apart
    assert ci.contains(D.dispatch_report(nodes, load).mean_ms[policy])


def test_round_robin_sits_between_random_and_shared_queue():
    for nodes in (2, 8, 32):
        r = D.dispatch_report(nodes, 0.85)
        assert r.mean_ms["shared queue"] < r.mean_ms["round robin"] < r.mean_ms["random"]
        assert r.p99_ms["shared queue"] < r.p99_ms["round robin"] < r.p99_ms["random"]


@pytest.mark.parametrize("call, message", [
    (lambda: D.false_nodedown_probability(-1.0), "stall_s must be"),
    (lambda: D.failure_detection_window_s(60, tick_intensity=3), "tick_intensity must be"),
    (lambda: D.gateway_load_ratio(144, 25), "groups must divide"),
    (lambda: D.dispatch_report(0, 0.5), "nodes must be an int from 1 to 64 (got 0)"),
    (lambda: D.dispatch_report(4, 1.0), "load must be"),
    (lambda: D.simulate_dispatch("sticky", 4, 0.5), "policy must be"),
    (lambda: D.false_nodedown_probability_exponential(0.0), "mean_stall_s must be"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


@pytest.mark.parametrize("pattern", D.PATTERNS)
@pytest.mark.parametrize("n", [3, 4, 5, 6, 7, 8, 9, 12, 17, 24, 31, 40])
def test_pattern_cost_formulas_match_the_graph(pattern, n):
    """Every closed form equals the measure on the graph the topology builder draws."""
    G = D.topology(pattern, n)
    costs = D.pattern_costs(pattern, n)
    assert costs.connections == D.connection_count(G)
    assert costs.busiest_sockets == max(d for _, d in G.degree)
    assert costs.busiest_load_ratio == pytest.approx(D.busiest_relay_ratio(G))
    assert costs.worst_cut_fraction == pytest.approx(
        D.worst_single_failure(G).unreachable_fraction)
