"""Failure detection: net_ticktime against detection time and heartbeat traffic.

Plot and explorable for the page ``chapters/01-distribution/connectivity``; the numbers
come from :func:`reactive_lab.distribution.detection_report`.
"""

# Taught in chapters/01-distribution/connectivity.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures
from reactive_lab.distribution.measures import (
    TICKS_PER_TICKTIME,
    Detection,
    detection_report,
    mesh_heartbeats_per_second,
)
from reactive_lab.explore import Dropdown, Explorable, Slider, register

__all__ = ["MESH_SIZES", "TICKTIMES_S", "failure_detection", "plot_detection"]

PAGE = "chapters/01-distribution/connectivity"

TICKTIMES_S = (5, 10, 20, 30, 60, 120, 300)
MESH_SIZES = (10, 30, 100, 300)
_TICKTIME_CURVE = np.geomspace(2, 600, 60)


def plot_detection(detection: Detection, ax=None):
    """Draw heartbeat traffic against detection time for meshes of each size, log-log."""
    if ax is None:
        ax = figures.new_figure().subplots()
    latest = _TICKTIME_CURVE * 1.25
    for i, n in enumerate(MESH_SIZES):
        chosen = n == detection.nodes
        ax.plot(latest, mesh_heartbeats_per_second(n, _TICKTIME_CURVE), color=figures.color(i),
                ls=figures.LINESTYLES[i], lw=2.5 if chosen else 1.2, alpha=1 if chosen else 0.6,
                label=f"{n}-node mesh")
    earliest, last = detection.window_s
    colour = figures.color(MESH_SIZES.index(detection.nodes))
    ax.errorbar([last], [detection.heartbeats_per_s],
                xerr=[[last - earliest], [0]], fmt="o", color=colour, ms=8,
                markeredgecolor="black", capsize=4, lw=2)
    figures.log_ticks(ax, x=(3, 10, 30, 100, 300), y=(0.1, 1, 10, 100, 1e3, 1e4, 1e5))
    ax.set_xlim(2, 800)
    ax.set_ylim(0.1, 1e6)
    figures.label(ax, x="latest time to declare a silent node down", x_unit="s",
                  y="idle ticks", y_unit="messages/s")
    ax.legend(loc="lower left", fontsize=9)
    return ax


@register(page=PAGE)
def failure_detection() -> Explorable:
    """Explorable: net_ticktime trades detection time against heartbeat traffic."""

    def draw(fig, net_ticktime, nodes):
        d = detection_report(nodes, net_ticktime)
        plot_detection(d, fig.subplots())
        earliest, latest = d.window_s
        tick = net_ticktime / TICKS_PER_TICKTIME
        readout = "\n".join([
            f"net_ticktime {net_ticktime} s: a tick every {tick:g} s on each idle connection",
            f"a silent node is declared down after {earliest:g}–{latest:g} s",
            f"{nodes}-node full mesh: {d.connections} connections",
            f"idle ticks: {d.heartbeats_per_s:,.1f} messages/s cluster-wide, "
            f"{d.heartbeats_per_s / nodes:,.2f} per node",
        ])
        alt = (
            f"Log-log plot of idle tick traffic against the time to declare a silent node "
            f"down, one falling line per full-mesh size (10, 30, 100, 300 nodes). Marked: a "
            f"{nodes}-node mesh at net_ticktime {net_ticktime} s, detected after "
            f"{earliest:g} to {latest:g} s, sending {d.heartbeats_per_s:,.1f} ticks per second."
        )
        return readout, alt

    return Explorable(
        "failure_detection", draw,
        [Slider("net_ticktime", TICKTIMES_S, label="net_ticktime", default=60,
                format=lambda v: f"{v} s"),
         Dropdown("nodes", MESH_SIZES, label="full mesh of", default=100,
                  format=lambda v: f"{v} nodes")],
        alt="Tick traffic against detection time at net_ticktime {net_ticktime} s.",
    )
