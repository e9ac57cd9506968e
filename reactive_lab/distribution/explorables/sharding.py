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
from reactive_lab.explore import Dropdown, Explorable, Slider, register

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
    colours = [figures.PALETTE["vermillion"] if r == relative.max() else figures.color(0)
               for r in relative]
    ax.bar(index, np.minimum(relative, _SHARE_LIMIT), color=colours, width=0.7)
    for x, r in zip(index, relative):
        if r > _SHARE_LIMIT:  # the axis stays fixed while the slider moves: label what it cuts
            ax.text(x, _SHARE_LIMIT * 0.97, f"{r:.1f}×", ha="center", va="top", fontsize=9,
                    color="white", fontweight="bold", rotation=90)
    ax.axhline(1.0, color="black", ls="--", lw=1.2, label="fair share 1/n")
    ax.axhline(balance.imbalance, color=figures.PALETTE["vermillion"], ls=":", lw=1.2,
               label=f"busiest node: {balance.imbalance:.2f}× fair")
    ax.set_ylim(0, _SHARE_LIMIT + 0.8)
    ax.set_yticks(np.arange(0, _SHARE_LIMIT + 0.5, 1.0))
    ax.set_xlim(0.3, balance.nodes + 0.7)
    ax.set_xticks(index if balance.nodes <= 8 else index[::2])
    figures.label(ax, x="message-store node", y="share of keys ÷ fair share")
    ax.legend(loc="upper center", ncol=2)
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
            f"{nodes} nodes × {vnodes} virtual nodes = {nodes * vnodes} points on the ring",
            f"imbalance (max/mean): {b.imbalance:.2f}; the cluster is full at "
            f"{1 / b.imbalance:.0%} of its capacity",
            f"spread of shares (CV): {b.cv:.2f}; theory {b.cv_theory:.2f}",
            f"a join moves {b.moved:.1%} of keys (ideal 1/{nodes + 1} = {ideal:.1%}; "
            f"modulo {nodes}/{nodes + 1} = {modulo:.1%})",
        ])
        alt = (
            f"Bar chart of each of {nodes} nodes' share of the keys on a consistent-hash ring "
            f"with {vnodes} virtual nodes per node, relative to a fair share. The busiest node "
            f"holds {b.imbalance:.2f} times its fair share. Adding a node moves "
            f"{b.moved:.1%} of keys against an ideal {ideal:.1%}."
        )
        return readout, alt

    return Explorable(
        "vnodes_balance", draw,
        [Slider("vnodes", VNODES, label="vnodes", default=1),
         Dropdown("nodes", NODE_COUNTS, label="nodes", default=8)],
        alt="Shares of {nodes} nodes with {vnodes} virtual nodes each.",
    )
