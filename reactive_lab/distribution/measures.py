# Taught in chapters/01-distribution/; keep names in sync.
"""What a cluster topology costs to run: connections, heartbeat traffic, and hops.

>>> import reactive_lab as rl
>>> G = rl.distribution.ring(6)
>>> rl.distribution.connection_count(G), rl.distribution.hop_counts(G).max
(6, 3)

Only *member* nodes (``G.nodes[v]["member"]``, true when absent) count as endpoints of
traffic: a hub relays messages but nobody sends a request *to* the broker, so hops and
"pairs that can no longer talk" are counted between members only.
"""

from dataclasses import dataclass

import networkx as nx
import numpy as np

from reactive_lab.core import arguments

__all__ = [
    "NET_TICKTIME_S",
    "TICKS_PER_TICKTIME",
    "Detection",
    "HopCounts",
    "connection_count",
    "detection_report",
    "failure_detection_window_s",
    "heartbeat_messages_per_second",
    "hop_counts",
    "member_nodes",
    "mesh_heartbeats_per_second",
]

NET_TICKTIME_S = 60.0
"""Distributed Erlang's default ``net_ticktime`` (kernel application), in seconds."""

TICKS_PER_TICKTIME = 4
"""Distributed Erlang ticks every connection ``net_ticktime / 4`` seconds (15 s by default)."""


def member_nodes(G, exclude=None):
    """Return the member nodes of *G* (endpoints of traffic), leaving out *exclude*.

    >>> import reactive_lab as rl
    >>> rl.distribution.member_nodes(rl.distribution.hub(3))
    [1, 2, 3]
    """
    return [v for v in G if v != exclude and G.nodes[v].get("member", True)]


def connection_count(G):
    """Return the number of connections (edges) the cluster keeps open.

    Each edge is one long-lived link, e.g. one TCP connection between two Erlang nodes.
    Closed forms: full mesh n(n-1)/2, ring n, hub and client-server n.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    int

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.connection_count(rl.distribution.full_mesh(100))
    4950
    """
    arguments.graph("G", G)
    return G.number_of_edges()


def failure_detection_window_s(net_ticktime_s=NET_TICKTIME_S):
    """Return ``(earliest, latest)`` seconds before distributed Erlang declares a silent peer down.

    Every ``net_ticktime / 4`` seconds a node checks each connection, sending a tick if it
    has sent nothing else; a peer from which nothing has arrived for four checks is taken as
    down. Depending on where in the tick cycle the peer fell silent, that takes between
    ``0.75 * net_ticktime`` and ``1.25 * net_ticktime``: 45 to 75 s with the default 60 s.

    Parameters
    ----------
    net_ticktime_s : float, default 60.0

    Returns
    -------
    tuple of float

    Raises
    ------
    ValueError
        If *net_ticktime_s* is not a positive finite number.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.failure_detection_window_s()
    (45.0, 75.0)
    """
    arguments.positive("net_ticktime_s", net_ticktime_s)
    quarter = net_ticktime_s / TICKS_PER_TICKTIME
    return (float(net_ticktime_s - quarter), float(net_ticktime_s + quarter))


def heartbeat_messages_per_second(G, tick_interval_s=NET_TICKTIME_S / TICKS_PER_TICKTIME):
    """Return cluster-wide heartbeat messages per second: ``2 * connections / tick_interval_s``.

    The model: every connection carries one tick in each direction every *tick_interval_s*.
    That is what an idle distributed Erlang cluster sends (a busy connection skips ticks,
    because real traffic proves the peer alive), so it is the floor of background traffic a
    pattern costs. A full mesh of 100 nodes with the default 15 s interval sends
    ``2 * 4950 / 15 = 660`` ticks per second without doing any work.

    Parameters
    ----------
    G : networkx.Graph
    tick_interval_s : float, default 15.0
        Seconds between ticks on one connection (``net_ticktime / 4`` in Erlang).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *tick_interval_s* is not a positive finite number.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.heartbeat_messages_per_second(rl.distribution.full_mesh(100))
    660.0
    """
    arguments.graph("G", G)
    arguments.positive("tick_interval_s", tick_interval_s)
    return 2 * G.number_of_edges() / tick_interval_s


@dataclass(frozen=True)
class HopCounts:
    """Shortest-path hops between pairs of member nodes."""

    mean: float
    """Mean hops over all unordered member pairs (0.0 when there is no pair)."""
    max: int
    """The longest shortest path, the cluster's diameter as members see it."""
    pairs: int
    """Number of unordered member pairs averaged over."""


def hop_counts(G):
    """Return mean and max shortest-path hops between member nodes, as :class:`HopCounts`.

    A hop is one connection a message crosses. Pairs are taken over members only: in a hub
    every member is two hops from every other (via the broker, which is not a member); in
    client-server the server is a member, so client-server pairs are one hop and
    client-client pairs two.

    Parameters
    ----------
    G : networkx.Graph
        A graph whose members are all connected to each other.

    Returns
    -------
    HopCounts

    Raises
    ------
    ValueError
        If two members cannot reach each other.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.hop_counts(rl.distribution.hub(5))
    HopCounts(mean=2.0, max=2, pairs=10)
    """
    arguments.graph("G", G)
    members = member_nodes(G)
    index = {v: i for i, v in enumerate(members)}
    total, longest, pairs = 0, 0, 0
    for source in members:
        lengths = nx.single_source_shortest_path_length(G, source)
        for target in members:
            if index[target] <= index[source]:
                continue
            if target not in lengths:
                raise ValueError(f"G must connect all members; {source!r} cannot reach {target!r}")
            total += lengths[target]
            longest = max(longest, lengths[target])
            pairs += 1
    return HopCounts(mean=total / pairs if pairs else 0.0, max=longest, pairs=pairs)


@dataclass(frozen=True)
class Detection:
    """Detection window and idle heartbeat traffic of a full mesh at one net_ticktime."""

    nodes: int
    net_ticktime_s: float
    window_s: tuple
    """``(earliest, latest)`` seconds before a silent peer is declared down."""
    connections: int
    heartbeats_per_s: float
    """Idle ticks per second, cluster-wide."""


def detection_report(nodes, net_ticktime_s=NET_TICKTIME_S) -> Detection:
    """Return when a silent peer of an n-node full mesh is declared down, and what ticks cost.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> d = rl.distribution.detection_report(10, 60)
    >>> d.window_s, d.connections, d.heartbeats_per_s
    ((45.0, 75.0), 45, 6.0)
    """
    # n(n-1)/2 connections in closed form: building a 300-node mesh (44,850 edges) would
    # cost a live redraw a quarter of a second. The tests check it against full_mesh().
    connections = nodes * (nodes - 1) // 2
    return Detection(
        nodes=nodes,
        net_ticktime_s=float(net_ticktime_s),
        window_s=failure_detection_window_s(float(net_ticktime_s)),
        connections=connections,
        heartbeats_per_s=float(mesh_heartbeats_per_second(nodes, net_ticktime_s)),
    )


def mesh_heartbeats_per_second(nodes, net_ticktime_s):
    """Idle ticks per second of an n-node full mesh: 2 per connection per net_ticktime/4.

    Vectorised over *net_ticktime_s* (an array gives an array).

    >>> float(mesh_heartbeats_per_second(10, 60.0))
    6.0
    """
    return 2 * (nodes * (nodes - 1) / 2) / (np.asarray(net_ticktime_s) / TICKS_PER_TICKTIME)
