"""Patterns at scale: connections and the busiest node's load from 10 to 1,000 nodes.

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
from reactive_lab.explore import Explorable, Slider, register

__all__ = ["SCALE_SIZES", "cluster_scale", "plot_scale"]

PAGE = "chapters/01-distribution/patterns"

SCALE_SIZES = (10, 20, 50, 100, 200, 500, 1000)
_CURVE = np.unique(np.geomspace(10, 1000, 30).astype(int))


def plot_scale(n, axes=None):
    """Draw connections (left) and the busiest node's load (right) against size, n marked."""
    if axes is None:
        axes = figures.new_figure((7.0, 3.4)).subplots(1, 2)
    left, right = axes
    for i, pattern in enumerate(PATTERNS):
        costs = [pattern_costs(pattern, int(m)) for m in _CURVE]
        style = {"color": figures.color(i), "ls": figures.LINESTYLES[i % 4], "lw": 1.8}
        left.plot(_CURVE, [c.connections for c in costs], label=pattern, **style)
        right.plot(_CURVE, [c.busiest_load_ratio for c in costs], **style)
        here = pattern_costs(pattern, n)
        left.plot([n], [here.connections], "o", color=figures.color(i), ms=6)
        right.plot([n], [here.busiest_load_ratio], "o", color=figures.color(i), ms=6)
    for ax in axes:
        ax.axvline(n, color=figures.PALETTE["grey"], lw=1, ls=":")
    figures.log_ticks(left, x=(10, 100, 1000), y=(10, 1e3, 1e5))
    figures.log_ticks(right, x=(10, 100, 1000), y=(1, 3, 10, 30, 100, 300))
    left.set_ylim(5, 1e6)
    right.set_ylim(0.8, 600)
    figures.label(left, x="cluster size n", x_unit="nodes", y="connections")
    figures.label(right, x="cluster size n", x_unit="nodes", y="busiest node's load",
                  y_unit="× a member's")
    left.legend(loc="upper left", fontsize=8)
    return axes


@register(page=PAGE)
def cluster_scale() -> Explorable:
    """Explorable: slide the cluster from 10 to 1,000 nodes and compare what each pattern costs."""

    def draw(fig, n):
        plot_scale(n, fig.subplots(1, 2))
        lines = []
        for pattern in PATTERNS:
            c = pattern_costs(pattern, n)
            lines.append(f"{pattern}: {c.connections:,} links; busiest node holds "
                         f"{c.busiest_sockets:,}, carries {c.busiest_load_ratio:,.1f}× a member; "
                         f"worst failure cuts {c.worst_cut_fraction:.0%}")
        mesh, partial = pattern_costs("full mesh", n), pattern_costs("partial mesh", n)
        alt = (
            f"Two log-log plots against cluster size from 10 to 1,000 nodes, marked at "
            f"n = {n}. Left, connections: the full mesh grows as n squared to {mesh.connections:,}"
            f" at this size; the others stay near n. Right, the busiest node's load over a "
            f"member's: 1 for the full mesh, {partial.busiest_load_ratio:.1f} for a partial "
            f"mesh's gateway, and n/2 for a hub or a server."
        )
        return "\n".join(lines), alt

    return Explorable(
        "cluster_scale", draw,
        [Slider("n", SCALE_SIZES, label="cluster size", default=100,
                format=lambda v: f"{v} nodes")],
        alt="Connections and the busiest node's load of five patterns at {n} nodes.",
        figsize=(7.0, 3.4),
    )
