# Taught in chapters/01-distribution/; keep names in sync.
"""Cluster topologies: who keeps a connection open to whom.

The typical call builds a pattern and asks what it costs:

>>> import reactive_lab as rl
>>> G = rl.distribution.full_mesh(5)
>>> rl.distribution.connection_count(G)
10

Every builder returns a :class:`networkx.Graph` whose nodes are the ints ``0, 1, ...``.
Each node carries a ``"role"`` attribute for drawing (``"node"``, ``"client"``,
``"server"``, ``"hub"``, ``"gateway"``) and a ``"member"`` flag: members are the nodes that
do the system's work; a hub (a message broker) only relays and is not a member. Each graph
records its pattern in ``G.graph["pattern"]``.

Measures of a topology live in :mod:`reactive_lab.distribution.measures` (connections,
heartbeat traffic, hops) and :mod:`reactive_lab.distribution.failures` (single failures);
drawing positions in :mod:`reactive_lab.distribution.layout`.
"""

import math

import networkx as nx

from reactive_lab.core import arguments

__all__ = [
    "PATTERNS",
    "client_server",
    "full_mesh",
    "hub",
    "partial_mesh",
    "ring",
    "topology",
]

PATTERNS = ("full mesh", "client-server", "hub", "ring", "partial mesh")
"""Pattern names that :func:`topology` accepts, in the order the chapter teaches them."""


def _graph(pattern):
    G = nx.Graph()
    G.graph["pattern"] = pattern
    return G


def full_mesh(n):
    """Return a fully meshed cluster of *n* nodes: every node connected to every other.

    This is distributed Erlang's default: when node ``a`` talks to ``b`` and ``b`` knows
    ``c``, ``a`` connects to ``c`` too, so a cluster of *n* nodes keeps n(n-1)/2 TCP
    connections open. That is fine for dozens of nodes and painful for hundreds.

    Parameters
    ----------
    n : int
        Number of nodes, at least 1. All have role ``"node"``.

    Returns
    -------
    networkx.Graph
        The complete graph on ``0 .. n-1``.

    Raises
    ------
    ValueError
        If *n* is not an int >= 1.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> G = rl.distribution.full_mesh(4)
    >>> G.number_of_nodes(), G.number_of_edges()
    (4, 6)
    """
    n = arguments.integer("n", n, low=1)
    G = _graph("full mesh")
    G.add_nodes_from(range(n), role="node", member=True)
    G.add_edges_from((i, j) for i in range(n) for j in range(i + 1, n))
    return G


def _star(pattern, n, *, centre_role, centre_member, leaf_role):
    """Node 0 at the centre, nodes 1..n each connected to it alone."""
    n = arguments.integer("n", n, low=1)
    G = _graph(pattern)
    G.add_node(0, role=centre_role, member=centre_member)
    G.add_nodes_from(range(1, n + 1), role=leaf_role, member=True)
    G.add_edges_from((0, i) for i in range(1, n + 1))
    return G


def client_server(n):
    """Return *n* clients connected to one server: ``n + 1`` nodes, *n* connections.

    Picture a web tier: every client keeps one connection to the server and none to each
    other, so a client reaches another client only through the server (two hops). Node
    ``0`` is the server (role ``"server"``); nodes ``1 .. n`` are the clients (role
    ``"client"``). Unlike a hub, the server does the work, so it counts as a member.

    Parameters
    ----------
    n : int
        Number of clients, at least 1.

    Returns
    -------
    networkx.Graph
        A star with the server at its centre.

    Raises
    ------
    ValueError
        If *n* is not an int >= 1.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> G = rl.distribution.client_server(3)
    >>> sorted(G.edges), G.nodes[0]["role"]
    ([(0, 1), (0, 2), (0, 3)], 'server')
    """
    return _star("client-server", n, centre_role="server", centre_member=True,
                 leaf_role="client")


def hub(n):
    """Return *n* nodes talking through one hub (a message broker): ``n + 1`` nodes.

    Each node keeps a single connection to the broker, which relays every message; the
    broker is infrastructure, not a member, so two members are always two hops apart and
    the broker is a single point of failure. Node ``0`` is the hub (role ``"hub"``,
    ``member=False``); nodes ``1 .. n`` are the members (role ``"node"``).

    Parameters
    ----------
    n : int
        Number of member nodes, at least 1.

    Returns
    -------
    networkx.Graph
        A star with the hub at its centre.

    Raises
    ------
    ValueError
        If *n* is not an int >= 1.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> G = rl.distribution.hub(4)
    >>> G.number_of_edges(), G.nodes[0]["member"]
    (4, False)
    """
    return _star("hub", n, centre_role="hub", centre_member=False, leaf_role="node")


def ring(n):
    """Return a peer-to-peer ring of *n* nodes: each node connected to its two neighbours.

    Node ``i`` connects to ``i + 1`` and the last node closes the ring back to ``0``, so
    there are exactly *n* connections. Cheap to keep open, but a message may travel half
    way round, and two link failures split the ring.

    Parameters
    ----------
    n : int
        Number of nodes, at least 3 (fewer is not a ring).

    Returns
    -------
    networkx.Graph
        The cycle on ``0 .. n-1``.

    Raises
    ------
    ValueError
        If *n* is not an int >= 3.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> sorted(rl.distribution.ring(4).edges)
    [(0, 1), (0, 3), (1, 2), (2, 3)]
    """
    n = arguments.integer("n", n, low=3)
    G = _graph("ring")
    G.add_nodes_from(range(n), role="node", member=True)
    G.add_edges_from((i, (i + 1) % n) for i in range(n))
    return G


def _grouped_mesh(sizes, gateways_per_group):
    """Full mesh inside each group; the first nodes of each group are its gateways."""
    G = _graph("partial mesh")
    groups, gateways, start = [], [], 0
    for index, size in enumerate(sizes):
        members = list(range(start, start + size))
        start += size
        groups.append(members)
        for position, node in enumerate(members):
            is_gateway = position < gateways_per_group
            G.add_node(node, role="gateway" if is_gateway else "node", member=True, group=index)
        G.add_edges_from((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        gateways.extend(members[:gateways_per_group])
    G.add_edges_from((a, b) for i, a in enumerate(gateways) for b in gateways[i + 1 :])
    G.graph["groups"] = groups
    return G


def partial_mesh(groups, group_size, gateways_per_group=1):
    """Return a partial mesh: full meshes joined through gateway nodes.

    Picture a large cluster cut into groups. Inside a group, every node connects to every
    other, as in plain distributed Erlang; between groups, only designated gateway nodes
    talk, and the gateways of all groups form one full mesh. In OTP you build it with
    ``-connect_all false`` and explicit connections (``global_group`` and ``pg`` scopes keep
    registries per group); Partisan and, before it, SD Erlang's s_groups offer it as a
    runtime.
    Nodes are numbered group by group; the first *gateways_per_group* nodes of each group
    are its gateways (role ``"gateway"``), and every node has a ``"group"`` attribute.

    The number of connections is exactly
    ``groups * g(g-1)/2 + C(groups * w, 2) - groups * C(w, 2)`` for group size ``g`` and
    ``w`` gateways per group: the in-group meshes, plus the gateway mesh minus the gateway
    pairs the in-group mesh already connects.

    Parameters
    ----------
    groups : int
        Number of groups, at least 1.
    group_size : int
        Nodes per group, at least 1.
    gateways_per_group : int, default 1
        Gateways in each group, between 1 and *group_size*.

    Returns
    -------
    networkx.Graph
        ``groups * group_size`` nodes; ``G.graph["groups"]`` lists each group's nodes.

    Raises
    ------
    ValueError
        If a count is not a positive int or *gateways_per_group* exceeds *group_size*.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> G = rl.distribution.partial_mesh(groups=3, group_size=4)
    >>> G.number_of_nodes(), G.number_of_edges()  # 3 * 6 in groups + 3 between gateways
    (12, 21)
    """
    groups = arguments.integer("groups", groups, low=1)
    group_size = arguments.integer("group_size", group_size, low=1)
    gateways_per_group = arguments.integer("gateways_per_group", gateways_per_group, low=1,
                                           high=group_size)
    return _grouped_mesh([group_size] * groups, gateways_per_group)


def topology(pattern, n):
    """Return the cluster of *pattern* with *n* member-side nodes, for explorables.

    One call per (pattern, size) grid point of the topology builder. *n* means: nodes in a
    full mesh or ring, clients for client-server (plus one server), members for hub (plus
    one hub). For ``"partial mesh"`` the *n* nodes are split into ``round(sqrt(n))`` groups
    whose sizes differ by at most one, with one gateway each.

    Parameters
    ----------
    pattern : str
        One of :data:`PATTERNS`.
    n : int
        Size as above; at least 3 for ``"ring"``, at least 1 otherwise.

    Returns
    -------
    networkx.Graph

    Raises
    ------
    ValueError
        If *pattern* is unknown or *n* is out of range for it.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> [rl.distribution.topology(p, 9).number_of_edges() for p in rl.distribution.PATTERNS]
    [36, 9, 9, 9, 12]
    """
    builders = {"full mesh": full_mesh, "client-server": client_server, "hub": hub, "ring": ring}
    arguments.choice("pattern", pattern, PATTERNS)
    if pattern in builders:
        return builders[pattern](n)
    n = arguments.integer("n", n, low=1)
    count = max(1, round(math.sqrt(n)))
    base, extra = divmod(n, count)
    return _grouped_mesh([base + 1] * extra + [base] * (count - extra), 1)
