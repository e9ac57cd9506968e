"""Load balancing across identical nodes: random, round robin or one shared queue.

Plot and explorable for the page ``chapters/01-distribution/architecture``; the numbers
come from :func:`reactive_lab.distribution.dispatch_report` (exact queueing results,
checked against simulation in the tests).
"""

# Taught in chapters/01-distribution/architecture.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures
from reactive_lab.distribution.balancing import POLICIES, Dispatch, dispatch_report
from reactive_lab.explore import Dropdown, Explorable, Slider, register

__all__ = ["BALANCED_NODES", "LOADS", "load_balancing", "plot_dispatch"]

PAGE = "chapters/01-distribution/architecture"

LOADS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
BALANCED_NODES = (2, 4, 8, 16)
_LOAD_AXIS = np.linspace(0.3, 0.96, 23)


def plot_dispatch(report: Dispatch, ax=None):
    """Draw p99 response time against load for each policy; mark the chosen load."""
    if ax is None:
        ax = figures.new_figure().subplots()
    curves = [dispatch_report(report.nodes, load) for load in _LOAD_AXIS]
    for i, policy in enumerate(POLICIES):
        ax.plot(_LOAD_AXIS * 100, [c.p99_ms[policy] for c in curves], color=figures.color(i),
                ls=figures.LINESTYLES[i], lw=2, label=policy)
        ax.plot([report.load * 100], [report.p99_ms[policy]], "o", color=figures.color(i),
                ms=7, markeredgecolor="black")
    figures.log_ticks(ax, y=(10, 30, 100, 300, 1000))
    ax.set_ylim(8, 1500)
    ax.set_xlim(30, 97)
    ax.set_xticks((30, 50, 70, 90))
    figures.label(ax, x="utilisation of each node", x_unit="%", y="p99 response time",
                  y_unit="ms")
    ax.legend(loc="upper left", fontsize=9, title=f"{report.nodes} nodes", title_fontsize=9)
    return ax


@register(page=PAGE)
def load_balancing() -> Explorable:
    """Explorable: the same nodes at the same load, three ways of choosing one."""

    def draw(fig, load, nodes):
        report = dispatch_report(nodes, load)
        plot_dispatch(report, fig.subplots())
        lines = [f"{nodes} logic nodes at {load:.0%} utilisation, 10 ms of work per message"]
        for policy in POLICIES:
            lines.append(f"{policy}: mean {report.mean_ms[policy]:.1f} ms, "
                         f"p99 {report.p99_ms[policy]:.1f} ms")
        ratio = report.p99_ms["random"] / report.p99_ms["shared queue"]
        lines.append(f"random dispatch's p99 is {ratio:.1f}× the shared queue's")
        alt = (
            f"p99 response time against utilisation for {nodes} identical nodes, on a log "
            f"scale, for random dispatch, round robin and one shared queue. At {load:.0%} "
            f"the p99 is {report.p99_ms['random']:.0f} ms with random dispatch, "
            f"{report.p99_ms['round robin']:.0f} ms with round robin and "
            f"{report.p99_ms['shared queue']:.0f} ms with a shared queue."
        )
        return "\n".join(lines), alt

    return Explorable(
        "load_balancing", draw,
        [Slider("load", LOADS, label="utilisation", default=0.8,
                format=lambda v: f"{v:.0%}"),
         Dropdown("nodes", BALANCED_NODES, label="identical nodes", default=4,
                  format=lambda v: f"{v} nodes")],
        alt="p99 response time of three dispatch policies at {load} utilisation.",
        try_="at 95% utilisation, go from 2 to 16 nodes: random dispatch's p99 stays put "
             "while the shared queue's falls.",
    )
