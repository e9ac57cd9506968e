"""Patterns at scale: connections or the busiest node's load, from 10 to 1,000 nodes.

Plot and explorable for the page ``chapters/01-distribution/patterns``; the numbers come
from :func:`reactive_lab.distribution.pattern_costs` (closed forms checked against the
graphs in the tests), so a 1,000-node mesh costs no more to draw than a 10-node one.
"""

# Taught in chapters/01-distribution/patterns.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures
from reactive_lab.distribution.scale import pattern_costs
from reactive_lab.distribution.topology import PATTERNS
from reactive_lab.explore import Dropdown, Explorable, Slider, register

__all__ = ["MEASURES", "SCALE_SIZES", "cluster_scale", "plot_scale"]

PAGE = "chapters/01-distribution/patterns"

SCALE_SIZES = (10, 20, 50, 100, 200, 500, 1000)
_CURVE = np.unique(np.geomspace(10, 1000, 13).astype(int))


MEASURES = ("connections", "busiest node's load")
_AXES = {
    "connections": (lambda c: c.connections, (10, 1e3, 1e5), (5, 1e6), ""),
    "busiest node's load": (lambda c: c.busiest_load_ratio, (1, 3, 10, 30, 100, 300),
                            (0.8, 600), "× a member's"),
}


def plot_scale(n, measure="connections", ax=None):
    """Draw *measure* against cluster size for every pattern, with size *n* marked."""
    if ax is None:
        ax = figures.new_figure().subplots()
    value, ticks, limits, unit = _AXES[measure]
    here = [pattern_costs(pattern, n) for pattern in PATTERNS]
    colours = [figures.color(i) for i in range(len(PATTERNS))]
    for i, pattern in enumerate(PATTERNS):
        ax.plot(_CURVE, [value(pattern_costs(pattern, int(m))) for m in _CURVE],
                color=colours[i], ls=figures.LINESTYLES[i % 4], lw=1.8, label=pattern)
    ax.scatter([n] * len(here), [value(c) for c in here], c=colours, s=30, zorder=3)
    ax.axvline(n, color=figures.PALETTE["grey"], lw=1, ls=":")
    figures.log_ticks(ax, x=(10, 30, 100, 300, 1000), y=ticks)
    ax.set_ylim(*limits)
    figures.label(ax, x="cluster size n", x_unit="nodes", y=measure, y_unit=unit)
    ax.legend(loc="upper left", fontsize=8)
    return ax


@register(page=PAGE)
def cluster_scale() -> Explorable:
    """Explorable: slide the cluster from 10 to 1,000 nodes and compare what each pattern costs."""

    def draw(fig, n, measure):
        plot_scale(n, measure, fig.subplots())
        costs = {pattern: pattern_costs(pattern, n) for pattern in PATTERNS}
        value = _AXES[measure][0]
        # The patterns in the order of the plotted measure, largest first.
        ranked = sorted(PATTERNS, key=lambda p: -value(costs[p]))
        lines = [f"by {measure}, at {n:,} nodes:"]
        for pattern in ranked:
            c = costs[pattern]
            load = figures.plain_number(c.busiest_load_ratio)
            lines.append(f"{pattern}: {c.connections:,} links; busiest node holds "
                         f"{c.busiest_sockets:,}, carries {load}× a member; "
                         f"worst failure cuts {c.worst_cut_fraction:.0%}")
        mesh, partial = costs["full mesh"], costs["partial mesh"]
        if measure == "connections":
            shown = (f"the full mesh grows as n squared, to {mesh.connections:,} at this "
                     f"size, the partial mesh as n to the power 1.5, to "
                     f"{partial.connections:,}, and the others as n")
        else:
            shown = (f"the busiest node carries 1 times a member's traffic in a full mesh, "
                     f"{partial.busiest_load_ratio:.1f} times as a partial mesh's gateway, "
                     f"and about n/2 times as a hub or a server")
        alt = (f"Log-log plot of {measure} against cluster size from 10 to 1,000 nodes for "
               f"five patterns, marked at n = {n}: {shown}.")
        return "\n".join(lines), alt

    return Explorable(
        "cluster_scale", draw,
        [Slider("n", SCALE_SIZES, label="cluster size", default=100,
                format=lambda v: f"{v} nodes"),
         Dropdown("measure", MEASURES, label="plot")],
        alt="The {measure} of five patterns at {n} nodes.",
        try_="slide from 10 to 1000 nodes on each plot: the full mesh's links grow as n², a "
             "hub's load as n.",
    )
