# Taught in chapters/01-distribution/patterns.md; keep names in sync.
"""Who carries the traffic: endpoint plus relayed load per node under all-to-all traffic.

Picture every member sending one message to every other member, each message following a
shortest path. A member of a full mesh only sends and receives its own messages; a gateway
of a partial mesh also forwards its group's traffic to and from everyone outside the
group. Counting both tells you how much bigger a gateway must be than a plain member, which
matters more than the number of sockets:

>>> import reactive_lab as rl
>>> round(rl.distribution.gateway_load_ratio(144, groups=24), 2)
5.83
"""

from __future__ import annotations

import networkx as nx

from reactive_lab.core import arguments
from reactive_lab.distribution.measures import member_nodes

__all__ = ["busiest_relay_ratio", "gateway_load_ratio", "node_loads"]


def node_loads(G):
    """Return each node's traffic when every member sends one message to every other member.

    A node's load is the messages it sends or receives as an endpoint plus the messages it
    forwards; a message with several shortest paths is split equally over them. Each member
    is the endpoint of ``2 (m - 1)`` messages among *m* members.

    Parameters
    ----------
    G : networkx.Graph
        Members must be connected.

    Returns
    -------
    dict
        Node to load, in messages.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> loads = rl.distribution.node_loads(rl.distribution.hub(3))
    >>> loads[0], loads[1]   # the hub relays all 6 messages; a member sends 2, receives 2
    (6.0, 4.0)
    """
    arguments.graph("G", G)
    members = member_nodes(G)
    # Betweenness over member pairs: for undirected graphs networkx counts each unordered
    # pair once per direction and halves it, so doubling gives both directions' messages.
    through = nx.betweenness_centrality_subset(G, members, members, normalized=False)
    endpoint = 2.0 * (len(members) - 1)
    member_set = set(members)
    return {v: 2.0 * through[v] + (endpoint if v in member_set else 0.0) for v in G}


def busiest_relay_ratio(G):
    """Return the busiest node's load over a plain member's own ``2 (m - 1)`` messages.

    1.0 for a full mesh (nobody forwards); large for a hub or a gateway.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.busiest_relay_ratio(rl.distribution.full_mesh(6))
    1.0
    """
    loads = node_loads(G)
    members = member_nodes(G)
    if len(members) < 2:
        raise ValueError(f"G must have at least 2 members (got {len(members)})")
    return max(loads.values()) / (2.0 * (len(members) - 1))


def gateway_load_ratio(n, groups):
    """Return a gateway's load over a member's, for *n* nodes in *groups* equal groups.

    With one gateway per group of ``s = n / groups`` nodes, the gateway forwards every
    message between its ``s - 1`` members and the ``n - s`` nodes outside, both ways, on
    top of its own ``2 (n - 1)``, so the ratio is ``1 + (s - 1)(n - s) / (n - 1)``.

    Parameters
    ----------
    n : int
        Cluster size, at least 2.
    groups : int
        Number of groups; must divide *n*.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *groups* does not divide *n*.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.gateway_load_ratio(144, 144)   # every node its own gateway: a mesh
    1.0
    """
    n = arguments.integer("n", n, low=2)
    groups = arguments.integer("groups", groups, low=1, high=n)
    if n % groups:
        raise ValueError(f"groups must divide n = {n} (got {groups!r})")
    size = n // groups
    return 1.0 + (size - 1) * (n - size) / (n - 1)
