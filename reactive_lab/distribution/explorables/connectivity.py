"""Failure detection: net_ticktime and net_tickintensity against false suspicion.

Plot and explorable for the page ``chapters/01-distribution/connectivity``; the numbers
come from :func:`reactive_lab.distribution.suspicion_report` and
:func:`reactive_lab.distribution.false_nodedown_probability`.
"""

# Taught in chapters/01-distribution/connectivity.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures
from reactive_lab.distribution.measures import NET_TICKTIME_S, TICKS_PER_TICKTIME
from reactive_lab.distribution.suspicion import (
    Suspicion,
    false_nodedown_probability,
    suspicion_report,
)
from reactive_lab.explore import Dropdown, Explorable, Slider, register

__all__ = ["TICK_INTENSITIES", "TICKTIMES_S", "failure_detection", "plot_suspicion"]

PAGE = "chapters/01-distribution/connectivity"

TICKTIMES_S = (5, 10, 20, 30, 60, 120)
TICK_INTENSITIES = (4, 8, 20)
_STALL_AXIS_S = np.linspace(0, 160, 321)


def plot_suspicion(report: Suspicion, ax=None):
    """Draw the chance that a stall of each length costs a nodedown, default in grey."""
    if ax is None:
        ax = figures.new_figure().subplots()
    default = false_nodedown_probability(_STALL_AXIS_S, NET_TICKTIME_S, TICKS_PER_TICKTIME)
    ax.plot(_STALL_AXIS_S, default, color=figures.PALETTE["grey"], ls="--", lw=1.5,
            label=f"default: {NET_TICKTIME_S:g} s, intensity {TICKS_PER_TICKTIME}")
    chosen = false_nodedown_probability(_STALL_AXIS_S, report.net_ticktime_s,
                                        report.tick_intensity)
    ax.plot(_STALL_AXIS_S, chosen, color=figures.color(0), lw=2.5,
            label=f"chosen: {report.net_ticktime_s:g} s, intensity {report.tick_intensity}")
    earliest, latest = report.window_s
    ax.axvspan(earliest, latest, color=figures.color(0), alpha=0.15, lw=0,
               label="a dead node is declared down here")
    ax.set_xlim(0, 160)
    ax.set_ylim(-0.02, 1.05)
    # Fixed ticks: cheaper than the automatic locator on every redraw, and the axes stay
    # still while the controls move.
    ax.set_xticks((0, 40, 80, 120, 160))
    ax.set_yticks((0, 0.25, 0.5, 0.75, 1), ("0", "0.25", "0.5", "0.75", "1"))
    figures.label(ax, x="stall of a healthy node", x_unit="s",
                  y="chance of a false nodedown")
    ax.legend(loc="center right", fontsize=9)
    return ax


@register(page=PAGE)
def failure_detection() -> Explorable:
    """Explorable: shorter ticktimes catch dead nodes sooner and forgive shorter stalls."""

    def draw(fig, net_ticktime, intensity):
        report = suspicion_report(net_ticktime, intensity)
        plot_suspicion(report, fig.subplots())
        earliest, latest = report.window_s
        odds = ", ".join(f"{s:g} s: {p:.0%}" for s, p in report.stall_probabilities.items())
        readout = "\n".join([
            f"net_ticktime {net_ticktime} s, net_tickintensity {intensity}: "
            f"a tick every {report.tick_interval_s:g} s",
            f"a dead or silent node is declared down after {earliest:g}–{latest:g} s",
            f"stalls shorter than {earliest:g} s are forgiven; longer than {latest:g} s, never",
            f"chance a stall causes a false nodedown — {odds}",
        ])
        alt = (
            f"Chance that a healthy node stalled for a given time is declared down, against "
            f"the stall length from 0 to 160 s. At net_ticktime {net_ticktime} s and "
            f"intensity {intensity} it is 0 below {earliest:g} s, rises in a straight line, "
            f"and is 1 above {latest:g} s; a dashed grey line shows the default 45 to 75 s."
        )
        return readout, alt

    return Explorable(
        "failure_detection", draw,
        [Slider("net_ticktime", TICKTIMES_S, label="net_ticktime", default=60,
                format=lambda v: f"{v} s"),
         Dropdown("intensity", TICK_INTENSITIES, label="net_tickintensity", default=4)],
        alt="False nodedowns against stall length at net_ticktime {net_ticktime} s.",
        try_="cut net_ticktime from 60 s to 10 s: dead nodes are noticed sooner, but a 20 s "
             "stall now looks like a death.",
    )
