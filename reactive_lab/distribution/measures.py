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

from reactive_lab.core import arguments

__all__ = [
    "MAX_TICK_INTENSITY",
    "MIN_TICK_INTENSITY",
    "NET_TICKTIME_S",
    "TICKS_PER_TICKTIME",
    "HopCounts",
    "connection_count",
    "failure_detection_window_s",
    "heartbeat_messages_per_second",
    "hop_counts",
    "member_nodes",
]

NET_TICKTIME_S = 60.0
"""Distributed Erlang's default ``net_ticktime`` (kernel application), in seconds."""

TICKS_PER_TICKTIME = 4
"""Default ``net_tickintensity``: a tick every ``net_ticktime / 4`` seconds (15 s by default)."""

MIN_TICK_INTENSITY, MAX_TICK_INTENSITY = 4, 1000
"""The range the kernel accepts for ``net_tickintensity`` (it clamps other values into it)."""


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


def failure_detection_window_s(net_ticktime_s=NET_TICKTIME_S, tick_intensity=TICKS_PER_TICKTIME):
    """Return ``(earliest, latest)`` seconds before distributed Erlang declares a silent peer down.

    Every ``net_ticktime / net_tickintensity`` seconds (the tick interval) a node ticks each
    connection it has sent nothing else on, and checks whether anything arrived from each
    peer; a peer silent for *tick_intensity* intervals in a row is taken as down. Since the
    check runs only once an interval, the silence it takes lies between
    ``T - T/I`` and ``T + T/I`` (kernel documentation, ``net_ticktime``): 45 to 75 s with
    the defaults T = 60 s and I = 4. Both nodes of a connection must use the same T and I.

    Parameters
    ----------
    net_ticktime_s : float, default 60.0
    tick_intensity : int, default 4
        ``net_tickintensity``, from 4 to 1000.

    Returns
    -------
    tuple of float

    Raises
    ------
    ValueError
        If *net_ticktime_s* is not a positive finite number or *tick_intensity* is not an
        int from 4 to 1000.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.failure_detection_window_s()
    (45.0, 75.0)
    >>> rl.distribution.failure_detection_window_s(60, tick_intensity=20)
    (57.0, 63.0)
    """
    arguments.positive("net_ticktime_s", net_ticktime_s)
    interval = net_ticktime_s / arguments.integer("tick_intensity", tick_intensity,
                                                   low=MIN_TICK_INTENSITY, high=MAX_TICK_INTENSITY)
    return (float(net_ticktime_s - interval), float(net_ticktime_s + interval))


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
