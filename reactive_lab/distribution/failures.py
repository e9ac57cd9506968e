# Taught in chapters/01-distribution/; keep names in sync.
"""What one failure disconnects: pull one cable or stop one VM, and ask who can still talk.

>>> import reactive_lab as rl
>>> rl.distribution.failure_impact(rl.distribution.ring(5), edge=(0, 1)).unreachable_pairs
0

Counted over *member* nodes only (see :mod:`reactive_lab.distribution.measures`).
"""

from dataclasses import dataclass

import networkx as nx

from reactive_lab.core import arguments
from reactive_lab.distribution.measures import (
    NET_TICKTIME_S,
    TICKS_PER_TICKTIME,
    connection_count,
    heartbeat_messages_per_second,
    hop_counts,
    member_nodes,
)
from reactive_lab.distribution.topology import topology

__all__ = [
    "FailureImpact",
    "TopologyReport",
    "cluster_summary",
    "failure_impact",
    "topology_report",
    "worst_single_failure",
]


@dataclass(frozen=True)
class FailureImpact:
    """What one failed node or link disconnects, counted over the surviving members."""

    node: object
    """The failed node, or None when a link failed."""
    edge: tuple | None
    """The failed link ``(u, v)``, or None when a node failed."""
    components: int
    """Connected groups the surviving members fall into (1 means nothing split)."""
    unreachable_pairs: int
    """Surviving member pairs that could talk before the failure and no longer can."""
    unreachable_fraction: float
    """*unreachable_pairs* over all surviving member pairs (0.0 when there are none)."""
    isolated: tuple
    """Surviving members left with no other member to talk to, sorted."""


def _reachable_pairs(G, members):
    member_set = set(members)
    counts = [len(member_set & set(c)) for c in nx.connected_components(G)]
    return counts, sum(c * (c - 1) // 2 for c in counts)


def failure_impact(G, node=None, edge=None):
    """Return the :class:`FailureImpact` of failing one *node* or one *edge* (give exactly one).

    Picture pulling one cable, or stopping one VM, and asking who can still reach whom.
    Pairs involving a failed node are not counted: it is gone, and the question is what
    happens to everyone else. Failing the hub of a hub cluster isolates every member; one
    link failure in a ring disconnects nothing, a second one splits it.

    Parameters
    ----------
    G : networkx.Graph
    node : node label, optional
    edge : tuple of two node labels, optional

    Returns
    -------
    FailureImpact

    Raises
    ------
    ValueError
        If neither or both of *node* and *edge* are given, or either is not in *G*.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> impact = rl.distribution.failure_impact(rl.distribution.hub(3), node=0)
    >>> impact.components, impact.unreachable_pairs, impact.isolated
    (3, 3, (1, 2, 3))
    """
    arguments.graph("G", G)
    if (node is None) == (edge is None):
        raise ValueError(f"give exactly one of node and edge, got node={node!r}, edge={edge!r}")
    if node is not None and node not in G:
        raise ValueError(f"node must be a node of G (got {node!r})")
    if edge is not None and not (isinstance(edge, tuple) and len(edge) == 2 and G.has_edge(*edge)):
        raise ValueError(f"edge must be a pair (u, v) that is an edge of G (got {edge!r})")
    members = member_nodes(G, exclude=node)
    _, before = _reachable_pairs(G, members)
    H = G.copy()
    if node is not None:
        H.remove_node(node)
    else:
        H.remove_edge(*edge)
    counts, after = _reachable_pairs(H, members)
    member_set = set(members)
    isolated = [v for c in nx.connected_components(H) if len(member_set & c) == 1 for v in c]
    all_pairs = len(members) * (len(members) - 1) // 2
    return FailureImpact(
        node=node,
        edge=edge,
        components=sum(1 for c in counts if c > 0),
        unreachable_pairs=before - after,
        unreachable_fraction=(before - after) / all_pairs if all_pairs else 0.0,
        isolated=tuple(sorted(v for v in isolated if v in member_set)),
    )


def worst_single_failure(G):
    """Return the single node or link failure that cuts the most member pairs apart.

    Only cut vertices (articulation points) and bridges can disconnect anything, so only
    those are tried; that keeps a 64-node full mesh instant. Ties go to nodes before links,
    then to the smallest label. When no single failure disconnects anything (full mesh,
    ring), the impact of failing the first node is returned, with
    ``unreachable_pairs == 0``.

    Parameters
    ----------
    G : networkx.Graph
        At least one node.

    Returns
    -------
    FailureImpact

    Raises
    ------
    ValueError
        If *G* has no nodes.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.worst_single_failure(rl.distribution.client_server(4)).node
    0
    >>> rl.distribution.worst_single_failure(rl.distribution.ring(5)).unreachable_pairs
    0
    """
    arguments.graph("G", G)
    if G.number_of_nodes() == 0:
        raise ValueError("G must have at least one node, got an empty graph")
    candidates = [failure_impact(G, node=v) for v in sorted(nx.articulation_points(G))]
    bridges = sorted(tuple(sorted(e)) for e in nx.bridges(G))
    candidates += [failure_impact(G, edge=e) for e in bridges]
    best = max(candidates, key=lambda f: (f.unreachable_pairs, len(f.isolated)), default=None)
    if best is None or best.unreachable_pairs == 0:
        return failure_impact(G, node=min(G.nodes))
    return best


def cluster_summary(G, tick_interval_s=NET_TICKTIME_S / TICKS_PER_TICKTIME):
    """Return the topology builder's readout as a dict of plain numbers.

    Keys: ``"nodes"``, ``"connections"``, ``"max_connections_per_node"``,
    ``"heartbeats_per_s"``, ``"mean_hops"``, ``"max_hops"`` and
    ``"worst_failure_unreachable_fraction"``.

    Parameters
    ----------
    G : networkx.Graph
        Members must be connected.
    tick_interval_s : float, default 15.0

    Returns
    -------
    dict

    Examples
    --------
    >>> import reactive_lab as rl
    >>> s = rl.distribution.cluster_summary(rl.distribution.hub(10))
    >>> s["connections"], s["mean_hops"], s["worst_failure_unreachable_fraction"]
    (10, 2.0, 1.0)
    """
    worst = worst_single_failure(G)
    return {
        **_cost(G, tick_interval_s),
        "worst_failure_unreachable_fraction": worst.unreachable_fraction,
    }


def _cost(G, tick_interval_s):
    hops = hop_counts(G)
    return {
        "nodes": G.number_of_nodes(),
        "connections": connection_count(G),
        "max_connections_per_node": max((d for _, d in G.degree), default=0),
        "heartbeats_per_s": heartbeat_messages_per_second(G, tick_interval_s),
        "mean_hops": hops.mean,
        "max_hops": hops.max,
    }


@dataclass(frozen=True)
class TopologyReport:
    """A cluster graph, what it costs to run and the single failure that cuts the most."""

    pattern: str
    n: int
    graph: object
    summary: dict
    """:func:`cluster_summary` of the graph."""
    worst: FailureImpact


def topology_report(pattern, n) -> TopologyReport:
    """Return the graph of *pattern* at size *n* with its cost and its worst single failure.

    Parameters
    ----------
    pattern : str
        One of :data:`~reactive_lab.distribution.topology.PATTERNS`.
    n : int
        Cluster size, as :func:`~reactive_lab.distribution.topology.topology` takes it.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> report = rl.distribution.topology_report("hub", 6)
    >>> report.summary["connections"], report.worst.unreachable_fraction
    (6, 1.0)
    """
    G = topology(pattern, n)
    worst = worst_single_failure(G)
    summary = {
        **_cost(G, NET_TICKTIME_S / TICKS_PER_TICKTIME),
        "worst_failure_unreachable_fraction": worst.unreachable_fraction,
    }
    return TopologyReport(pattern, n, G, summary, worst)
