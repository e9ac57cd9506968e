"""Cluster topologies and what they cost: counts in closed form, and single failures."""

import math

import networkx as nx
import pytest

import reactive_lab as rl

D = rl.distribution


@pytest.mark.parametrize("n", [1, 2, 5, 17, 64])
def test_full_mesh_has_n_choose_2_connections(n):
    """A full mesh of n nodes keeps n(n-1)/2 connections, every node holding n-1."""
    G = D.full_mesh(n)
    assert D.connection_count(G) == n * (n - 1) // 2
    assert all(d == n - 1 for _, d in G.degree)
    assert nx.is_isomorphic(G, nx.complete_graph(n))


@pytest.mark.parametrize("n", [3, 4, 10])
def test_ring_has_n_connections_and_diameter_half_n(n):
    """A ring of n nodes keeps n connections; the farthest pair is floor(n/2) hops apart."""
    G = D.ring(n)
    assert D.connection_count(G) == n
    assert nx.is_isomorphic(G, nx.cycle_graph(n))
    assert D.hop_counts(G).max == n // 2


@pytest.mark.parametrize("builder", [D.hub, D.client_server])
@pytest.mark.parametrize("n", [1, 3, 20])
def test_star_patterns_have_n_plus_one_nodes_and_n_connections(builder, n):
    """Hub and client-server: n outer nodes plus one centre (node 0), n connections."""
    G = builder(n)
    assert G.number_of_nodes() == n + 1
    assert D.connection_count(G) == n
    assert G.degree[0] == n


def _roles(G):
    return {v: (G.nodes[v]["role"], G.nodes[v]["member"]) for v in G}


def test_roles_and_membership_are_documented_ones():
    """The hub is not a member; the server is; partial meshes mark their gateways."""
    assert _roles(D.hub(2)) == {0: ("hub", False), 1: ("node", True), 2: ("node", True)}
    assert _roles(D.client_server(1)) == {0: ("server", True), 1: ("client", True)}
    G = D.partial_mesh(2, 3, gateways_per_group=2)
    assert [v for v in G if G.nodes[v]["role"] == "gateway"] == [0, 1, 3, 4]
    assert G.graph["groups"] == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize(
    ("groups", "size", "gateways"),
    [
        (1, 5, 1),  # one group: just a full mesh
        (3, 4, 1),  # the textbook picture
        (4, 6, 2),  # gateways already meshed inside their group are not counted twice
        (5, 3, 3),  # every node a gateway: one big full mesh
    ],
)
def test_partial_mesh_connection_count_matches_formula(groups, size, gateways):
    """Connections = groups*g(g-1)/2 + C(groups*w, 2) - groups*C(w, 2)."""
    G = D.partial_mesh(groups, size, gateways)
    expected = groups * math.comb(size, 2) + math.comb(groups * gateways, 2)
    expected -= groups * math.comb(gateways, 2)
    assert D.connection_count(G) == expected
    assert nx.is_connected(G)


def test_partial_mesh_with_all_gateways_is_a_full_mesh():
    """When every node is a gateway, a partial mesh is a full mesh."""
    assert nx.is_isomorphic(D.partial_mesh(3, 4, 4), nx.complete_graph(12))


def test_partial_mesh_paths_are_at_most_three_hops():
    """Node -> own gateway -> other gateway -> node: at most 3 hops."""
    assert D.hop_counts(D.partial_mesh(5, 6)).max == 3


@pytest.mark.parametrize("pattern", D.PATTERNS)
@pytest.mark.parametrize("n", [3, 8, 30])
def test_topology_dispatches_every_pattern(pattern, n):
    """Each pattern builds a connected graph that records its name."""
    G = D.topology(pattern, n)
    assert G.graph["pattern"] == pattern
    assert nx.is_connected(G)
    members = sum(1 for v in G if G.nodes[v]["member"])
    assert members == (n + 1 if pattern == "client-server" else n)


def test_heartbeats_are_two_ticks_per_connection_per_interval():
    """Each connection carries a tick each way every interval."""
    G = D.full_mesh(10)
    assert D.heartbeat_messages_per_second(G, 15.0) == pytest.approx(2 * 45 / 15)
    assert D.heartbeat_messages_per_second(G) == D.heartbeat_messages_per_second(G, 15.0)
    assert D.heartbeat_messages_per_second(D.ring(10), 5) == pytest.approx(4.0)


def test_detection_window_is_three_to_five_quarters_of_ticktime():
    """Erlang declares a silent peer down 45-75 s after it goes quiet (net_ticktime 60)."""
    assert D.failure_detection_window_s() == (45.0, 75.0)
    assert D.failure_detection_window_s(20) == (15.0, 25.0)
    assert D.NET_TICKTIME_S / D.TICKS_PER_TICKTIME == 15.0


def test_hop_counts_skip_the_hub_but_count_the_server():
    """Hub members are all 2 hops apart; client-server mixes 1 (to server) and 2 hops."""
    assert D.hop_counts(D.hub(4)) == D.HopCounts(mean=2.0, max=2, pairs=6)
    n = 4  # 4 pairs client-server at 1 hop, 6 client pairs at 2 hops
    assert D.hop_counts(D.client_server(n)) == D.HopCounts(mean=16 / 10, max=2, pairs=10)
    assert D.hop_counts(D.full_mesh(6)) == D.HopCounts(mean=1.0, max=1, pairs=15)
    assert D.hop_counts(D.full_mesh(1)) == D.HopCounts(mean=0.0, max=0, pairs=0)


def test_ring_mean_hops_match_brute_force():
    """Ring mean hops equal networkx's average shortest path length."""
    G = D.ring(9)
    assert D.hop_counts(G).mean == pytest.approx(nx.average_shortest_path_length(G))


def test_hub_failure_disconnects_everything():
    """Losing the broker leaves every member alone."""
    impact = D.failure_impact(D.hub(5), node=0)
    assert impact.components == 5
    assert impact.unreachable_pairs == math.comb(5, 2)
    assert impact.unreachable_fraction == 1.0
    assert impact.isolated == (1, 2, 3, 4, 5)
    assert D.worst_single_failure(D.hub(5)) == impact


def test_losing_a_leaf_disconnects_no_one_else():
    """A client failing takes only itself out of a client-server cluster."""
    impact = D.failure_impact(D.client_server(4), node=3)
    assert (impact.components, impact.unreachable_pairs, impact.isolated) == (1, 0, ())


def test_ring_survives_one_link_failure_but_not_two():
    """One cut turns the ring into a line; a second cut splits it."""
    G = D.ring(6)
    one = D.failure_impact(G, edge=(0, 1))
    assert (one.components, one.unreachable_pairs) == (1, 0)
    G.remove_edge(0, 1)
    two = D.failure_impact(G, edge=(3, 4))  # leaves {1, 2, 3} and {4, 5, 0}
    assert (two.components, two.unreachable_pairs) == (2, 9)
    assert D.worst_single_failure(D.ring(6)).unreachable_pairs == 0


def test_full_mesh_survives_any_single_failure():
    """No single node or link failure splits a full mesh."""
    worst = D.worst_single_failure(D.full_mesh(64))
    assert worst.unreachable_pairs == 0 and worst.components == 1


def test_partial_mesh_worst_failure_is_a_gateway():
    """With one gateway per group, losing a gateway cuts its group off from the rest."""
    G = D.partial_mesh(3, 4)
    worst = D.worst_single_failure(G)
    assert G.nodes[worst.node]["role"] == "gateway"
    assert worst.unreachable_pairs == 3 * 8  # 3 stranded nodes times 8 on the other side
    assert worst.components == 2


def test_worst_single_failure_matches_brute_force():
    """Trying only cut vertices and bridges finds the same worst case as trying everything."""
    for G in [D.partial_mesh(3, 3), D.client_server(5), nx.path_graph(6), nx.barbell_graph(4, 2)]:
        every = [D.failure_impact(G, node=v) for v in G]
        every += [D.failure_impact(G, edge=e) for e in G.edges]
        expected = max(f.unreachable_pairs for f in every)
        assert D.worst_single_failure(G).unreachable_pairs == expected


def test_cluster_summary_reads_out_the_measures():
    """The explorable's readout agrees with the individual measures."""
    G = D.ring(8)
    summary = D.cluster_summary(G, tick_interval_s=10)
    assert summary == {
        "nodes": 8,
        "connections": 8,
        "max_connections_per_node": 2,
        "heartbeats_per_s": 1.6,
        "mean_hops": D.hop_counts(G).mean,
        "max_hops": 4,
        "worst_failure_unreachable_fraction": 0.0,
    }


@pytest.mark.parametrize("pattern", D.PATTERNS)
def test_layout_is_deterministic_and_covers_every_node(pattern):
    """Same graph, same picture; every node placed within the drawing box."""
    G = D.topology(pattern, 12)
    first, second = D.layout(G), D.layout(D.topology(pattern, 12))
    assert first == second
    assert set(first) == set(G)
    assert all(abs(x) <= 1.5 and abs(y) <= 1.5 for x, y in first.values())
    assert len(set(first.values())) == len(first)  # no two nodes on the same spot


def test_layout_puts_the_hub_in_the_middle():
    """Star patterns draw their centre node at the origin."""
    assert D.layout(D.client_server(5))[0] == (0.0, 0.0)


def test_layout_falls_back_to_a_circle_for_foreign_graphs():
    """A plain networkx graph still gets distinct positions on the unit circle."""
    pos = D.layout(nx.path_graph(5))
    assert all(math.isclose(math.hypot(x, y), 1.0) for x, y in pos.values())


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: D.full_mesh(0), r"n must be an int of at least 1 \(got "),  # empty cluster
        (lambda: D.full_mesh(2.0), "n must be an int"),  # float size
        (lambda: D.ring(2), r"n must be an int of at least 3 \(got "),  # two nodes are not a ring
        (lambda: D.hub(True), "n must be an int"),  # bools are not counts
        (lambda: D.partial_mesh(0, 3), "groups must be"),
        (lambda: D.partial_mesh(2, 3, 4), "gateways_per_group must be an int from 1 to 3"),
        (lambda: D.topology("star", 4), "pattern must be one of"),
        (lambda: D.heartbeat_messages_per_second(D.ring(3), 0), "tick_interval_s"),
        (lambda: D.heartbeat_messages_per_second(D.ring(3), math.inf), "tick_interval_s"),
        (lambda: D.failure_detection_window_s(-1), "net_ticktime_s"),
        (lambda: D.failure_impact(D.ring(3)), "exactly one of node and edge"),
        (lambda: D.failure_impact(D.ring(3), node=0, edge=(0, 1)), "exactly one"),
        (lambda: D.failure_impact(D.ring(3), node=9), "node must be a node of G"),
        (lambda: D.failure_impact(D.ring(4), edge=(0, 2)), "edge must be a pair"),
        (lambda: D.hop_counts(nx.empty_graph(2)), "must connect all members"),
        (lambda: D.worst_single_failure(nx.Graph()), "at least one node"),
        (lambda: D.connection_count([(0, 1)]), "G must be an undirected networkx.Graph"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_parameter(call, message):
    """Every bad argument is refused with a ValueError that names it."""
    with pytest.raises(ValueError, match=message):
        call()
