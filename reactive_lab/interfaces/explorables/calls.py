"""Timeouts against the latency distribution: false timeouts, retries and wasted work.

Plot and explorable for the page ``chapters/02-interfaces/calls``; the numbers come from
:func:`reactive_lab.interfaces.timeout_report`.
"""

# Taught in chapters/02-interfaces/calls.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures, relay
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register
from reactive_lab.interfaces.calls import TimeoutReport, timeout_report

__all__ = ["TIMEOUTS_MS", "plot_timeout", "timeout_tail"]

PAGE = "chapters/02-interfaces/calls"

TIMEOUTS_MS = (5.0, 7.5, 10.0, 15.0, 20.0, 30.0, 50.0)
_REQUESTS = 400
_TIMES_MS = np.linspace(0.0, 60.0, 121)
_BINS_MS = np.linspace(0.0, 60.0, 41)


def plot_timeout(report: TimeoutReport, latency, ax=None):
    """Draw one call's latency density, the tail the timeout cuts off, and what requests saw.

    The dashed histogram is the simulated latency of the lookups that got an answer: with
    retries, a second hump appears after the timeout.
    """
    if ax is None:
        ax = figures.new_figure().subplots()
    cdf = np.asarray(latency.cdf(_TIMES_MS))
    density = np.gradient(cdf, _TIMES_MS)
    ax.plot(_TIMES_MS, density, color=figures.color(0), label="one call's latency")
    cut = report.timeout <= _TIMES_MS
    ax.fill_between(_TIMES_MS[cut], density[cut], color=figures.PALETTE["vermillion"],
                    alpha=0.5, label=f"false timeouts: {report.false_timeout_theory:.1%}")
    counts, edges = np.histogram(report.latencies, bins=_BINS_MS)
    answered = counts / (len(report.latencies) * np.diff(edges))
    ax.stairs(answered, edges,
              color=figures.color(1), ls="--",
              label=f"lookups answered, {plural(report.retries, 'retry', 'retries')} (simulated)")
    ax.axvline(report.timeout, color=figures.PALETTE["vermillion"], ls="--", lw=1.2,
               label=f"timeout {report.timeout:g} ms")
    ax.set_xlim(0, 60)
    # The call's density is the same in every frame; the axis grows, in steps, only when
    # the answered lookups pile up above it (a short timeout with retries), so no bar is
    # cut off.
    ax.set_ylim(0, figures.nice_limit(max(density.max(), answered.max()) * 1.05))
    figures.label(ax, x="latency", x_unit="ms", y="density", y_unit="per ms")
    ax.legend(loc="upper right", fontsize=9)
    return ax


@register(page=PAGE)
def timeout_tail() -> Explorable:
    """Explorable: a timeout on Relay's user-directory lookup, with 0 to 2 retries."""
    latency = relay.LOOKUP_MS

    def draw(fig, timeout, retries):
        r = timeout_report(latency, timeout, retries, requests=_REQUESTS, seed=2)
        plot_timeout(r, latency, fig.subplots())
        readout = "\n".join([
            f"timeout {timeout:g} ms, {plural(retries, 'retry', 'retries')}, "
            f"{r.requests:,} lookups",
            f"false timeouts: {r.false_timeout_rate:.1%} of calls simulated, "
            f"{r.false_timeout_theory:.1%} exact",
            f"calls per lookup: {r.attempts_per_request:.3f} simulated, "
            f"{r.attempts_theory:.3f} exact",
            f"lookups given up: {r.failed / r.requests:.2%} simulated, "
            f"{r.failed_theory:.2%} exact",
            f"directory work nobody waited for: {r.wasted_work:.1%}",
        ])
        alt = (f"Density of a lookup's latency, log-normal with mean 5 ms, with a timeout "
               f"at {timeout:g} ms; the {r.false_timeout_theory:.1%} of lookups slower than "
               f"that are shaded: they time out although the directory answers. With "
               f"{plural(retries, 'retry', 'retries')} each lookup costs "
               f"{r.attempts_per_request:.2f} calls.")
        return readout, alt

    return Explorable(
        "timeout_tail", draw,
        [Slider("timeout", TIMEOUTS_MS, label="timeout", default=10.0,
                format=lambda v: f"{v:g} ms"),
         Dropdown("retries", (0, 1, 2), label="retries", default=0)],
        alt="A lookup's latency density with a timeout at {timeout} ms and {retries} retries.",
        try_="at a 5 ms timeout, go from 0 to 1 retry: far fewer lookups are given up, and a "
             "second hump appears.",
    )
