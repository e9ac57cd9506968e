# Taught in chapters/01-distribution/; keep names in sync.
"""Deterministic drawing positions for cluster graphs, so the same cluster draws the same way.

>>> import reactive_lab as rl
>>> pos = rl.distribution.layout(rl.distribution.ring(4))
>>> sorted(pos) == [0, 1, 2, 3]
True
"""

import math

__all__ = ["layout"]


def _circle(nodes, radius=1.0, centre=(0.0, 0.0), phase=math.pi / 2):
    """Place *nodes* evenly on a circle, the first at angle *phase*, going clockwise."""
    count = len(nodes)
    return {
        node: (
            centre[0] + radius * math.cos(phase - 2 * math.pi * i / count),
            centre[1] + radius * math.sin(phase - 2 * math.pi * i / count),
        )
        for i, node in enumerate(nodes)
    }


def layout(G):
    """Return deterministic drawing positions ``{node: (x, y)}`` for a cluster graph.

    Meshes and rings go on one circle; hub and client-server put the centre node at the
    origin and the rest on a circle around it; a partial mesh draws each group on a small
    circle, the groups themselves on a large circle, gateways facing the middle. Any other
    graph falls back to one circle in sorted node order. Same graph, same picture.

    Parameters
    ----------
    G : networkx.Graph
        Preferably built by this module (it reads ``G.graph["pattern"]``).

    Returns
    -------
    dict
        Node to an ``(x, y)`` tuple of floats, within about ``[-1.3, 1.3]``.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> pos = rl.distribution.layout(rl.distribution.hub(4))
    >>> pos[0], tuple(round(c, 6) for c in pos[1])
    ((0.0, 0.0), (0.0, 1.0))
    """
    pattern = G.graph.get("pattern")
    nodes = sorted(G.nodes)
    if pattern in ("hub", "client-server") and nodes:
        return {nodes[0]: (0.0, 0.0), **_circle(nodes[1:])}
    if pattern == "partial mesh" and "groups" in G.graph:
        groups = G.graph["groups"]
        count = len(groups)
        if count == 1:
            return _circle(groups[0])
        small = min(0.45, math.sin(math.pi / count) * 0.8)
        positions = {}
        for i, members in enumerate(groups):
            angle = math.pi / 2 - 2 * math.pi * i / count
            centre = (math.cos(angle), math.sin(angle))
            # The first member is a gateway: start the small circle at the side facing (0, 0).
            positions.update(_circle(members, small, centre, phase=angle + math.pi))
        return positions
    return _circle(nodes) if nodes else {}
