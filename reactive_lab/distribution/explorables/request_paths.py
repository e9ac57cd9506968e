"""Fan-out: the slowest of k parallel calls decides a request's latency.

Plot and explorable for the page ``chapters/01-distribution/request-paths``; the numbers
come from :func:`reactive_lab.distribution.fanout_report`.
"""

# Taught in chapters/01-distribution/request-paths.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures, relay
from reactive_lab.distribution.request_path import FANOUT_QUANTILES, FanoutResult, fanout_report
from reactive_lab.explore import Explorable, Slider, plural, register

__all__ = ["FANOUTS", "fanout_tail", "plot_fanout"]

PAGE = "chapters/01-distribution/request-paths"

FANOUTS = (1, 2, 5, 10, 20, 50, 100)
_CCDF_TIMES_MS = np.geomspace(3, 300, 240)


def _ccdf(values):
    """P(latency > t) on a fixed log grid: 240 points draw far faster than 10,000 steps."""
    ordered = np.sort(values)
    return _CCDF_TIMES_MS, 1 - np.searchsorted(ordered, _CCDF_TIMES_MS, side="right") / len(ordered)


def plot_fanout(result: FanoutResult, ax=None):
    """Draw P(latency > t) for k lookups against one lookup, with the p50 and p99 of k."""
    if ax is None:
        ax = figures.new_figure().subplots()
    # One lookup is the grey reference; k lookups the bold blue line; the percentiles of k
    # are black verticals told apart by dash and by a label, never by colour alone.
    series = [(result.baseline_ms, "1 lookup", figures.PALETTE["grey"], 1.5)]
    if result.fanout != 1:
        series.append((result.latencies_ms, plural(result.fanout, "lookup"),
                       figures.color(0), 2.5))
    for values, name, colour, width in series:
        t, tail = _ccdf(values)
        shown = tail > 0
        ax.plot(t[shown], tail[shown], color=colour, lw=width, label=name)
    for q, style in zip(FANOUT_QUANTILES, ("--", ":")):
        at = result.simulated[q]
        ax.axvline(at, color="black", ls=style, lw=1.4, label=f"p{q} = {at:.0f} ms")
        ax.text(at * 1.06, 0.55, f"p{q}", ha="left", va="center")
    figures.log_ticks(ax, x=(3, 10, 30, 100, 300), y=(0.001, 0.01, 0.1, 1))
    ax.set_ylim(1e-3, 1.1)
    ax.set_xlim(3, 300)
    figures.label(ax, x="request latency t", x_unit="ms", y="P(latency > t)")
    ax.legend(loc="lower left")
    return ax


@register(page=PAGE)
def fanout_tail() -> Explorable:
    """Explorable: fan-out k against the p50 and p99 of a Relay request."""

    def draw(fig, fanout):
        r = fanout_report(fanout)
        plot_fanout(r, fig.subplots())
        sim, exact, base = r.simulated, r.theory, r.baseline_theory
        readout = "\n".join([
            f"k = {plural(fanout, 'parallel lookup')} after "
            f"{figures.plain_number(sum(relay.HOP_MS.values()))} ms of fixed hops",
            f"p50: {sim[50]:.1f} ms simulated, {exact[50]:.1f} ms exact (k = 1: {base[50]:.1f})",
            f"p99: {sim[99]:.1f} ms simulated, {exact[99]:.1f} ms exact (k = 1: {base[99]:.1f})",
            f"requests with a lookup slower than its p99: {r.hits_tail:.0%}",
        ])
        alt = (
            f"Probability that a Relay request takes longer than t, log-log, for {fanout} "
            f"parallel lookups against a single lookup. With k = {fanout} the median is "
            f"{sim[50]:.1f} ms and the p99 {sim[99]:.1f} ms, against {base[50]:.1f} and "
            f"{base[99]:.1f} ms for one lookup."
        )
        return readout, alt

    return Explorable(
        "fanout_tail", draw,
        [Slider("fanout", FANOUTS, label="fan-out k", default=10,
                format=lambda v: plural(v, "lookup"))],
        alt="Latency tail of a request fanning out to {fanout} lookups.",
        try_="move k from 1 to 100: the median request gets slower, and almost every "
             "request now waits for some lookup's tail.",
    )
