"""The topology builder: pattern and cluster size against connections, ticks, hops and failures.

Plot and explorable for the page ``chapters/01-distribution/patterns``; the numbers come
from :func:`reactive_lab.distribution.topology_report`.
"""

# Taught in chapters/01-distribution/patterns.md; keep names in sync.

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection

from reactive_lab import figures
from reactive_lab.distribution.failures import TopologyReport, topology_report
from reactive_lab.distribution.layout import layout
from reactive_lab.distribution.topology import PATTERNS
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register

__all__ = ["CLUSTER_SIZES", "plot_topology", "topology_builder"]

PAGE = "chapters/01-distribution/patterns"

CLUSTER_SIZES = (4, 6, 8, 12, 16, 24, 32)
"""Sizes the topology builder offers: 5 patterns x 7 sizes = 35 frames."""

_ROLE_COLOURS = {
    "node": figures.PALETTE["blue"],
    "client": figures.PALETTE["sky"],
    "server": figures.PALETTE["orange"],
    "hub": figures.PALETTE["purple"],
    "gateway": figures.PALETTE["green"],
}


def _role_phrase(G, node) -> str:
    """Name a node by its role, as the drawing does (nodes carry no numbers on screen)."""
    role = G.nodes[node]["role"]
    alone = sum(1 for _, r in G.nodes(data="role") if r == role) == 1
    return f"the {role}" if alone else f"a {role}"


def _failure_text(report: TopologyReport) -> str:
    worst, G = report.worst, report.graph
    if worst.unreachable_pairs == 0:
        return "no single node or link failure disconnects anyone"
    if worst.node is not None:
        what = f"{_role_phrase(G, worst.node)} (ringed)"
    else:
        u, v = worst.edge
        what = f"the link from {_role_phrase(G, u)} to {_role_phrase(G, v)} (marked)"
    isolated = (f", {plural(len(worst.isolated), 'member')} left alone"
                if worst.isolated else "")
    return f"losing {what} cuts {worst.unreachable_fraction:.0%} of member pairs apart{isolated}"


def plot_topology(report: TopologyReport, ax=None):
    """Draw the cluster: nodes coloured by role, the most damaging failure in vermillion."""
    if ax is None:
        ax = figures.new_figure().subplots()
    G, worst = report.graph, report.worst
    pos = layout(G)
    segments = [(pos[u], pos[v]) for u, v in G.edges]
    width = 0.6 if len(segments) > 150 else 1.0
    ax.add_collection(LineCollection(segments, colors=figures.PALETTE["grey"],
                                     linewidths=width, alpha=0.6, zorder=1))
    cut = worst.unreachable_pairs > 0
    if cut and worst.edge is not None:
        u, v = worst.edge
        ax.plot(*zip(pos[u], pos[v]), color=figures.PALETTE["vermillion"], lw=4, zorder=2,
                label="worst failure")
    size = 140 if G.number_of_nodes() <= 16 else 70
    roles = {}
    for v, role in G.nodes(data="role"):
        roles.setdefault(role, []).append(v)
    for role, nodes in roles.items():
        xy = np.array([pos[v] for v in nodes])
        ax.scatter(xy[:, 0], xy[:, 1], s=size, color=_ROLE_COLOURS[role], zorder=3,
                   edgecolors="white", linewidths=0.8, label=role)
    if cut and worst.node is not None:
        # A ring around the node, so it keeps its role's colour and the legend stays true.
        x, y = pos[worst.node]
        ax.scatter([x], [y], s=size * 3.2, facecolors="none", zorder=4,
                   edgecolors=figures.PALETTE["vermillion"], linewidths=3,
                   label="worst failure")
    reach = max(max(abs(x), abs(y)) for x, y in pos.values()) + 0.15
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), labelspacing=0.8)
    return ax


@register(page=PAGE)
def topology_builder() -> Explorable:
    """Explorable: pick a pattern and a size; see its connections, heartbeats, hops, weak spot."""

    def draw(fig, pattern, n):
        report = topology_report(pattern, n)
        ax = fig.add_axes((0.0, 0.02, 0.6, 0.96))
        plot_topology(report, ax)
        s = report.summary
        readout = "\n".join([
            f"{pattern}, n = {n} ({plural(s['nodes'], 'node')} drawn)",
            f"connections: {s['connections']} (busiest node holds {s['max_connections_per_node']})",
            f"idle heartbeats: {figures.plain_number(s['heartbeats_per_s'])} messages/s "
            "(net_ticktime 60 s)",
            f"hops between members: mean {s['mean_hops']:.2f}, max {s['max_hops']}",
            f"worst single failure: {_failure_text(report)}",
        ])
        alt = (
            f"Drawing of a {pattern} cluster with n = {n}: {s['nodes']} nodes joined by "
            f"{s['connections']} connections; members are at most {s['max_hops']} hops apart. "
            f"Worst single failure: {_failure_text(report)}"
            + (", marked in vermillion." if report.worst.unreachable_pairs else ".")
        )
        return readout, alt

    return Explorable(
        "topology_builder", draw,
        [Dropdown("pattern", PATTERNS, label="pattern"),
         Slider("n", CLUSTER_SIZES, label="size n", default=8,
                format=lambda v: plural(v, "member"))],
        alt="A {pattern} cluster of size {n}.",
        figsize=(5.2, 3.6),
        try_="grow the full mesh from 8 to 32 members and watch connections and "
             "heartbeats; then pick hub and see which single failure cuts everyone off.",
    )
