# Taught in chapters/01-distribution/patterns.md; keep names in sync.
"""What each pattern costs at hundreds of nodes, in closed form.

Building a 1,000-node full mesh (half a million edges) to count it is slow; every cost the
topology builder measures on a graph also has a formula. This module gives them, for the
same clusters :func:`~reactive_lab.distribution.topology` builds, and the tests check each
formula against the graph measures at small sizes:

>>> import reactive_lab as rl
>>> c = rl.distribution.pattern_costs("full mesh", 500)
>>> c.connections, c.busiest_sockets, c.busiest_load_ratio
(124750, 499, 1.0)

The worst single failure is counted on the graph (who can still reach whom); distributed
Erlang's full mesh reacts differently to a lost link, see :data:`ERLANG_MESH_NOTE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reactive_lab.core import arguments
from reactive_lab.distribution.topology import PATTERNS

__all__ = ["ERLANG_MESH_NOTE", "MAX_SCALE_NODES", "PatternCosts", "pattern_costs"]

MAX_SCALE_NODES = 100_000

ERLANG_MESH_NOTE = (
    "in the graph model a full mesh survives any single failure; distributed Erlang "
    "since OTP 25 (prevent_overlapping_partitions) disconnects nodes to heal a lost link"
)
"""Why the full mesh's 0% is a property of the graph, not of distributed Erlang."""


@dataclass(frozen=True)
class PatternCosts:
    """Costs of one pattern at one size, all from formulas."""

    pattern: str
    n: int
    connections: int
    """Connections the cluster keeps open."""
    busiest_sockets: int
    """Connections held by the node that holds the most."""
    busiest_load_ratio: float
    """Busiest node's traffic over a plain member's own, under all-to-all traffic."""
    worst_cut_fraction: float
    """Share of surviving member pairs the worst single node or link failure separates."""


def _group_sizes(n):
    count = max(1, round(math.sqrt(n)))
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def _partial_mesh_costs(n):
    sizes = _group_sizes(n)
    groups, largest = len(sizes), max(sizes)
    connections = sum(s * (s - 1) // 2 for s in sizes) + groups * (groups - 1) // 2
    sockets = max((s - 1) + (groups - 1) for s in sizes)
    load = 1.0 + (largest - 1) * (n - largest) / (n - 1) if n > 1 else 1.0
    # Losing a gateway cuts its s - 1 members off from the n - s others; with two groups
    # the single gateway-gateway link is a bridge too, cutting s1 * s2 pairs. The worst
    # failure is the one that separates the most pairs (a node on a tie), as on the graph.
    node_pairs = max((s - 1) * (n - s) for s in sizes)
    cut = node_pairs / ((n - 1) * (n - 2) // 2)
    if groups == 2 and sizes[0] * sizes[1] > node_pairs:
        cut = sizes[0] * sizes[1] / (n * (n - 1) // 2)
    return connections, sockets, load, cut


def _ring_load_ratio(n):
    half = n // 2
    if n % 2:   # n = 2k + 1: each node relays k(k - 1) ordered messages
        return 1.0 + half * (half - 1) / (2 * (n - 1))
    return 1.0 + (half - 1) ** 2 / (2 * (n - 1))   # n = 2k: ties split over two paths


def pattern_costs(pattern, n) -> PatternCosts:
    """Return the :class:`PatternCosts` of *pattern* at size *n*, without building the graph.

    *n* means what it means for :func:`~reactive_lab.distribution.topology`: nodes of a full
    mesh, ring or partial mesh; clients of client-server (plus the server); members of a hub
    (plus the broker).

    Parameters
    ----------
    pattern : str
        One of :data:`~reactive_lab.distribution.PATTERNS`.
    n : int
        From 3 to 100,000.

    Returns
    -------
    PatternCosts

    Examples
    --------
    >>> import reactive_lab as rl
    >>> c = rl.distribution.pattern_costs("hub", 100)
    >>> c.connections, c.busiest_load_ratio, c.worst_cut_fraction
    (100, 50.0, 1.0)
    """
    pattern = arguments.choice("pattern", pattern, PATTERNS)
    n = arguments.integer("n", n, low=3, high=MAX_SCALE_NODES)
    if pattern == "full mesh":
        costs = (n * (n - 1) // 2, n - 1, 1.0, 0.0)
    elif pattern == "client-server":   # the server is a member and relays client pairs
        costs = (n, n, (n + 1) / 2, 1.0)
    elif pattern == "hub":             # the broker relays every ordered member pair
        costs = (n, n, n / 2, 1.0)
    elif pattern == "ring":
        costs = (n, 2, _ring_load_ratio(n), 0.0)
    else:
        costs = _partial_mesh_costs(n)
    return PatternCosts(pattern, n, *costs)
