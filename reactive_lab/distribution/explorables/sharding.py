"""Virtual nodes against load imbalance and the keys a join moves.

Plot and explorable for the page ``chapters/01-distribution/sharding``; the numbers come
from :func:`reactive_lab.distribution.balance_report`.
"""

# Taught in chapters/01-distribution/sharding.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures
from reactive_lab.distribution.balance import (
    Balance,
    balance_report,
    expected_moved_fraction_consistent,
    expected_moved_fraction_modulo,
)
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register

__all__ = ["NODE_COUNTS", "VNODES", "plot_balance", "vnodes_balance"]

PAGE = "chapters/01-distribution/sharding"

VNODES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
NODE_COUNTS = (4, 8, 16)
_SHARE_LIMIT = 4.0


def plot_balance(balance: Balance, ax=None):
    """Draw each node's share of the keys relative to a fair 1/n share."""
    if ax is None:
        ax = figures.new_figure().subplots()
    relative = balance.shares * balance.nodes
    index = np.arange(1, balance.nodes + 1)
    busiest = relative == relative.max()
    shown = np.minimum(relative, _SHARE_LIMIT)
    ax.bar(index[~busiest], shown[~busiest], color=figures.color(0), width=0.7,
           label="other nodes")
    # The busiest node differs by hatching as well as colour, for colour-blind readers.
    ax.bar(index[busiest], shown[busiest], color=figures.PALETTE["vermillion"], width=0.7,
           hatch="///", edgecolor="white", linewidth=0, label="busiest node")
    for x, r in zip(index, relative):
        if r > _SHARE_LIMIT:  # the axis stays fixed while the slider moves: label what it cuts
            ax.text(x, _SHARE_LIMIT * 0.97, f"{r:.1f}×", ha="center", va="top",
                    color="black", fontweight="bold", rotation=90,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.axhline(1.0, color="black", ls="--", lw=1.2, label="fair share 1/n")
    ax.set_ylim(0, _SHARE_LIMIT + 0.8)
    ax.set_yticks(np.arange(0, _SHARE_LIMIT + 0.5, 1.0))
    ax.set_xlim(0.3, balance.nodes + 0.7)
    ax.set_xticks(index if balance.nodes <= 8 else index[::2])
    figures.label(ax, x="message-store node", y="share of keys ÷ fair share")
    ax.legend(loc="upper center", ncol=3, columnspacing=1.0, handlelength=1.6)
    return ax


@register(page=PAGE)
def vnodes_balance() -> Explorable:
    """Explorable: virtual nodes per node against load imbalance and keys moved by a join."""

    def draw(fig, vnodes, nodes):
        b = balance_report(nodes, vnodes)
        plot_balance(b, fig.subplots())
        ideal = expected_moved_fraction_consistent(nodes)
        modulo = expected_moved_fraction_modulo(nodes)
        readout = "\n".join([
            f"{plural(nodes, 'node')} × {plural(vnodes, 'virtual node')} = "
            f"{plural(nodes * vnodes, 'point')} on the ring",
            f"imbalance (max/mean): {b.imbalance:.2f}; the cluster is full at "
            f"{1 / b.imbalance:.0%} of its capacity",
            f"spread of shares (CV): {b.cv:.2f}; theory {b.cv_theory:.2f}",
            f"a join moves {b.moved:.1%} of keys (ideal 1/{nodes + 1} = {ideal:.1%}; "
            f"modulo {nodes}/{nodes + 1} = {modulo:.1%})",
        ])
        alt = (
            f"Bar chart of each of {nodes} nodes' share of the keys on a consistent-hash ring "
            f"with {plural(vnodes, 'virtual node')} per node, relative to a fair share. The "
            f"busiest node, hatched, "
            f"holds {b.imbalance:.2f} times its fair share. Adding a node moves "
            f"{b.moved:.1%} of keys against an ideal {ideal:.1%}."
        )
        return readout, alt

    return Explorable(
        "vnodes_balance", draw,
        [Slider("vnodes", VNODES, label="virtual nodes", default=1,
                format=lambda v: f"{v} per node"),
         Dropdown("nodes", NODE_COUNTS, label="nodes", default=8,
                  format=lambda v: plural(v, "node"))],
        alt="Shares of {nodes} nodes with {vnodes} virtual nodes each.",
        try_="slide virtual nodes from 1 to 256: the tallest bar falls towards the fair "
             "share, and a join moves close to the ideal 1/(n+1) of keys.",
    )
