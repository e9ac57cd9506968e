"""Distributing state: what a crash loses under replication, and what N, R, W buy.

Plots and explorables for the page ``chapters/02-interfaces/state``; the numbers come from
:func:`reactive_lab.interfaces.replication_report`, :func:`reactive_lab.interfaces.quorum_run`
and the closed forms of :mod:`reactive_lab.theory.quorums`.
"""

# Taught in chapters/02-interfaces/state.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab import figures, relay
from reactive_lab.core.metrics import wilson_ci
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register
from reactive_lab.interfaces.quorum import QuorumRun, quorum_run
from reactive_lab.interfaces.replication import ReplicationReport, replication_report
from reactive_lab.theory.quorums import (
    k_staleness,
    quorum_availability,
    quorum_latency_cdf,
    quorum_latency_quantile,
)

__all__ = ["QUORUM_N", "REPLICATION", "WRITE_RATES", "plot_losses", "plot_quorum",
           "quorum_tradeoffs", "replication_lag"]

PAGE = "chapters/02-interfaces/state"

REPLICATION = {"sync": ("sync", 0.0), "async, each write": ("async", 0.0),
               "async, batch every 5 ms": ("async", 5.0),
               "async, batch every 20 ms": ("async", 20.0)}
"""The explorable's choices: mode and batch interval (ms)."""

WRITE_RATES = (100, 250, 500, 1_000, 2_000)
"""Writes per second to one message-store shard."""

QUORUM_N = 5
"""Replicas in the quorum explorable: five, so that R and W have room to move."""

_UPS = np.linspace(0.5, 1.0, 51)
_QUORUM_MS = (0.2, 20.0)
"""Latency axis of the quorum plot, log scale: the body of one replica's reply (about 1 ms)
reads, and the slowest quorum's p99 (all five, 15.5 ms) fits."""


def plot_losses(report: ReplicationReport, ax=None):
    """Draw the writes a crash would lose at each moment of the run, and Little's mean."""
    if ax is None:
        ax = figures.new_figure().subplots()
    end = report.acked[np.isfinite(report.acked)].max()
    instants = np.linspace(0.1 * end, 0.9 * end, report.lost.size)
    ax.step(instants, report.lost, where="post", color=figures.color(0),
            label="lost if the primary crashed then")
    ax.axhline(report.lost_theory, color=figures.PALETTE["vermillion"], ls="--",
               label=f"λ × mean lag = {report.lost_theory:.2f}")
    ax.set_xlim(0, report.acked.size / report.write_rate)  # the run as planned, whatever mode
    ax.set_ylim(-0.5, max(12.0, figures.nice_limit(report.lost.max() + 1)))
    figures.label(ax, x="crash time", x_unit="ms", y="writes lost")
    figures.legend_below(ax, ncol=1)  # inside, it would hide the sawtooth's peaks
    return ax


@register(page=PAGE)
def replication_lag() -> Explorable:
    """Explorable: replication mode and write rate against what a crash loses."""

    def draw(fig, replication, write_rate):
        mode, ship_every = REPLICATION[replication]
        r = replication_report(mode, write_rate / 1_000, relay.REPLICATION_MS,
                               ship_every=ship_every, writes=400, seed=4)
        plot_losses(r, fig.subplots())
        p50, p99 = np.percentile(r.ack_latency, [50, 99])
        readout = "\n".join([
            f"{replication}, {write_rate:,} writes/s",
            f"writes lost by a crash: mean {r.mean_lost:.2f} simulated, "
            f"{r.lost_theory:.2f} by Little's law (max {r.lost.max():.0f})",
            f"data lost: the last {r.window.mean():.1f} ms on average",
            f"replication adds to each write: p50 {p50:.1f} ms, p99 {p99:.1f} ms",
        ])
        alt = (f"Writes acknowledged but not yet on the replica at each moment of an "
               f"400-write run, {replication} at {write_rate} writes per second: a crash "
               f"loses {r.mean_lost:.2f} writes on average, the last {r.window.mean():.1f} "
               f"ms of data; replication adds {p50:.1f} ms to a write at the median.")
        return readout, alt

    return Explorable(
        "replication_lag", draw,
        [Dropdown("replication", tuple(REPLICATION), label="replication",
                  default="async, each write"),
         Slider("write_rate", WRITE_RATES, label="write rate", default=500,
                format=lambda v: f"{v:,} writes/s")],
        alt="Writes a primary crash loses under {replication} replication at {write_rate}/s.",
        try_="with async replication batched every 20 ms, go from 100 to 2,000 writes/s: a "
             "sawtooth, and a crash loses more.",
        figsize=figures.with_legend_rows(figures.EXPLORABLE_FIGSIZE, 2),
    )


QUORUM_BOOK_OPERATIONS, QUORUM_LIVE_OPERATIONS = 100, 50
"""Writes (each followed by a read) simulated per frame; the live run halves them to
redraw within the budget, and the readout's interval shows what that costs."""

QUORUM_FIGSIZE = (5.0, 5.6)
"""Latency above availability: side by side, the pair is too wide to read on a phone."""


def plot_quorum(run: QuorumRun, latency, axes=None):
    """Draw quorum latency (closed form and simulated p99) and availability against uptime."""
    if axes is None:
        axes = figures.new_figure(QUORUM_FIGSIZE).subplots(2, 1)
        axes[0].figure.subplots_adjust(hspace=0.5)
    top, bottom = axes
    times = np.geomspace(*_QUORUM_MS, 121)
    for i, (name, quorum, samples) in enumerate([("write", run.w, run.write_latency),
                                                 ("read", run.r, run.read_latency)]):
        cdf = [quorum_latency_cdf(t, run.n, quorum, latency) for t in times]
        top.plot(times, cdf, color=figures.color(i), ls=figures.LINESTYLES[i],
                  label=f"{name}, {quorum} of {run.n}")
        if samples.size:
            top.plot(np.percentile(samples, 99), 0.99, "o", color=figures.color(i))
    figures.log_ticks(top, x=[0.2, 0.5, 1, 2, 5, 10, 20])
    top.set_xlim(*_QUORUM_MS)
    top.set_ylim(-0.03, 1.03)
    figures.label(top, x="latency", x_unit="ms", y="P(done by then)")
    top.legend(loc="lower right", fontsize=8)
    for i, (name, quorum) in enumerate([("write", run.w), ("read", run.r)]):
        ups = [quorum_availability(run.n, quorum, u) for u in _UPS]
        bottom.plot(_UPS, ups, color=figures.color(i), ls=figures.LINESTYLES[i], label=name)
    bottom.set_ylim(0.0, 1.02)
    figures.label(bottom, x="P(one replica up)", y="P(quorum up)")
    bottom.legend(loc="lower right", fontsize=8)
    return axes


@register(page=PAGE)
def quorum_tradeoffs() -> Explorable:
    """Explorable: N, R and W against latency, staleness and availability."""
    latency = relay.REPLICATION_MS

    n = QUORUM_N

    def draw(fig, r, w, live=False):
        operations = QUORUM_LIVE_OPERATIONS if live else QUORUM_BOOK_OPERATIONS
        run = quorum_run(n, r, w, latency, operations=operations, seed=5)
        fig.subplots_adjust(hspace=0.5)
        plot_quorum(run, latency, fig.subplots(2, 1))
        reads = run.staleness.size
        stale = wilson_ci(int(np.count_nonzero(run.staleness)), reads, confidence=0.95)
        p99w = quorum_latency_quantile(0.99, n, w, latency)
        p99r = quorum_latency_quantile(0.99, n, r, latency)
        overlap = "overlap: never stale" if r + w > n else "no overlap: stale reads possible"
        readout = "\n".join([
            f"N = {n}, R = {r}, W = {w} ({overlap})",
            f"p99 write {p99w:.1f} ms, read {p99r:.1f} ms (exact; dots: simulated)",
            f"reads just after a write that were stale: {run.stale_rate:.0%} of {reads} "
            f"simulated (95% CI {stale.low:.0%}-{stale.high:.0%}); "
            f"random quorums (PBS): {k_staleness(n, r, w):.0%}",
            f"replicas up 90% of the time: writes possible {quorum_availability(n, w, 0.9):.3%}"
            f", reads {quorum_availability(n, r, 0.9):.3%}",
        ])
        alt = (f"Top: latency distribution of a write quorum of {w} and a read quorum of "
               f"{r} out of {n} replicas, p99 {p99w:.1f} and {p99r:.1f} ms. Bottom: the "
               f"probability each quorum can be formed as replica uptime falls from 1 to "
               f"0.5. {run.stale_rate:.0%} of reads right after a write were stale.")
        return readout, alt

    return Explorable(
        "quorum_tradeoffs", draw,
        [Slider("r", tuple(range(1, n + 1)), label="read quorum R", default=2,
                format=lambda v: plural(v, "replica")),
         Slider("w", tuple(range(1, n + 1)), label="write quorum W", default=2,
                format=lambda v: plural(v, "replica"))],
        alt=f"Latency and availability of N = {n}, R = {{r}}, W = {{w}}.",
        figsize=QUORUM_FIGSIZE,
        try_="raise R and W from 2 to 3 replicas: stale reads disappear, and both p99s and "
             "availability pay for it.",
    )
