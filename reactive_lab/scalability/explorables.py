"""Explorables of chapter 4, Scalability: drawing and wiring only.

The numbers come from the chapter's models (:mod:`~reactive_lab.scalability.capacity`,
:mod:`~reactive_lab.scalability.overload`, :mod:`~reactive_lab.scalability.backpressure`,
:mod:`~reactive_lab.scalability.loadtest`) and from :mod:`reactive_lab.theory`.

>>> [c.name for c in sizing().controls]
['arrival_rate', 'failures']
"""

# Taught in chapters/04-scalability/; keep names in sync.

from __future__ import annotations

import math

import numpy as np

from reactive_lab import figures, relay, theory
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register
from reactive_lab.scalability import backpressure, capacity, loadtest, overload

__all__ = [
    "back_pressure",
    "metastability",
    "plot_flow",
    "plot_queue",
    "plot_sizing",
    "plot_spike",
    "plot_usl_fit",
    "regulators",
    "sizing",
    "usl_fit",
]

CHAPTER = "chapters/04-scalability"
SEED = 2026

REGULATORS_BOOK_SECONDS, REGULATORS_LIVE_SECONDS = 10.0, 5.0
FLOW_BOOK_SECONDS, FLOW_LIVE_SECONDS = 20.0, 10.0
"""Simulated seconds per frame: a live redraw runs half as long to stay within the budget
(the queues grow the same way, for half the time) and its readout says so."""
SPIKE_LIVE_SCALE = 0.5
"""A live metastability frame runs a node of half the speed under the same relative load
(see :func:`reactive_lab.scalability.overload.spike_run`): half the events."""
MS = 1000.0
SPARES = (0, 1, 2)
"""The sizing explorable's choices of N+k."""


def plot_sizing(plan: capacity.SizingPlan, ax=None, most_failures: int | None = None):
    """Draw the share of messages waiting longer than the objective against the number of
    nodes, on a log scale, with the plan's three sizes marked; the node axis leaves room
    for a plan with *most_failures* spares (default: this plan's), so plans for one rate
    and different spares share it."""
    if ax is None:
        ax = figures.new_figure().subplots()
    stable = ~np.isnan(plan.levels)
    late = np.clip(1 - plan.levels[stable], 1e-7, None)
    ax.plot(plan.sizes[stable], late, "o-", color=figures.color(0),
            label="P(wait > 20 ms), Erlang C")
    ax.axhline(1 - relay.LOGIC_SERVICE_LEVEL, color=figures.PALETTE["vermillion"], ls="--",
               label=f"objective: at most {1 - relay.LOGIC_SERVICE_LEVEL:.0%}")
    marks = ((plan.for_objective, "objective"), (plan.with_headroom, "headroom"),
             (plan.nodes, f"N+{plan.failures}"))
    for i, (x, name) in enumerate(marks):
        ax.axvline(x, color=figures.color(i + 2), lw=1.5, ls=":")
        ax.text(x + 0.15, 0.5 / 10 ** (1.2 * i), name, fontsize=8, color=figures.color(i + 2))
    figures.log_ticks(ax, y=[1e-6, 1e-4, 1e-2, 1], format=_power_of_ten)
    ax.set_ylim(1e-7, 2)
    spare_room = 0 if most_failures is None else max(0, most_failures - plan.failures)
    ax.set_xlim(plan.sizes[0] - 0.6, plan.sizes[-1] + spare_room + 0.6)
    figures.label(ax, x="logic nodes", y="P(wait > 20 ms)")
    figures.legend_below(ax, ncol=1)  # inside, it would cover the marked sizes
    return ax


def _power_of_ten(p: float) -> str:
    """Tick label 1, 10⁻², 10⁻⁴: short enough to leave room for the axis label.

    >>> [_power_of_ten(p) for p in (1, 1e-2, 1e-6)]
    ['1', '10⁻²', '10⁻⁶']
    """
    exponent = round(math.log10(p))
    return "1" if exponent == 0 else "10" + str(exponent).translate(_SUPERSCRIPT)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@register(page=f"{CHAPTER}/capacity")
def sizing() -> Explorable:
    """Explorable: nodes for Relay's wait objective at a peak rate, with headroom and N+k."""

    def draw(fig, arrival_rate, failures):
        plan = capacity.sizing_plan(arrival_rate, failures, customers=20_000, seed=SEED)
        plot_sizing(plan, fig.subplots(), most_failures=max(SPARES))
        sim = plan.simulated_level
        # A run with no late message at all has a zero-width interval: say so rather than
        # print "100.00% ± 0.00%", which would claim a precision the run does not have.
        simulated = (f"simulated {sim.mean:.2%} ± {sim.half_width:.2%}" if sim.half_width
                     else f"simulated: none late, too short a run for a "
                          f"{1 - plan.theory_level:.2%} tail")
        readout = "\n".join([
            f"{arrival_rate:.0f} messages/s at peak",
            f"objective alone: {plan.for_objective} nodes",
            f"  ({plan.theory_level:.2%} in 20 ms; {simulated})",
            f"≤ {relay.MAX_UTILISATION:.0%} busy: {plan.with_headroom} nodes",
            f"N+{failures}: {plan.nodes} nodes, {plan.utilisation:.0%} busy, "
            f"{plan.survivor_utilisation:.0%} after failures",
        ])
        alt = (f"The share of messages waiting longer than 20 ms, on a log scale, against "
               f"the number of logic nodes for {arrival_rate:.0f} messages per second. The 99% "
               f"objective "
               f"is met from {plan.for_objective} nodes; headroom asks for "
               f"{plan.with_headroom} and N+{failures} for {plan.nodes}.")
        return readout, alt

    return Explorable(
        "sizing", draw,
        [Slider("arrival_rate", (300.0, 600.0, 900.0, 1200.0, 1800.0, 2400.0),
                label="peak rate", default=relay.LOGIC_PEAK_RATE,
                format=lambda v: f"{v:.0f}/s"),
         Dropdown("failures", SPARES, label="spares (k)", default=1)],
        alt="Nodes needed for Relay's wait objective at {arrival_rate} messages/s, N+{failures}.",
        try_="at 1 spare, slide the peak rate from 300/s to 2400/s: the pool grows, and its "
             "nodes can run busier.",
        figsize=figures.with_legend_rows(figures.EXPLORABLE_FIGSIZE, 2),
    )


def plot_queue(result: overload.OverloadResult, ax=None,
               seconds: float = REGULATORS_BOOK_SECONDS):
    """Draw the logic node's queue length over one overload run of *seconds*."""
    if ax is None:
        ax = figures.new_figure().subplots()
    ax.step(result.queue_times, result.queue_lengths, where="post", color=figures.color(0),
            lw=1.2)
    figures.label(ax, x="time", x_unit="s", y="requests waiting")
    ax.set_xlim(0, seconds)
    ax.set_ylim(0, figures.nice_limit(max(25, result.max_queue * 1.05)))
    return ax


@register(page=f"{CHAPTER}/regulation")
def regulators() -> Explorable:
    """Explorable: one logic node at an offered load, with each regulator at its door."""

    def draw(fig, regulator, load, live=False):
        seconds = REGULATORS_LIVE_SECONDS if live else REGULATORS_BOOK_SECONDS
        r = overload.overload_run(regulator, load, seconds=seconds, seed=SEED)
        plot_queue(r, fig.subplots(), seconds)
        p99 = "none" if math.isnan(r.p99_ms) else f"{r.p99_ms:.0f} ms"
        readout = "\n".join([
            f"{regulator}, offered {load:.0%} of capacity",
            f"goodput {r.goodput:.0f}/s of {r.capacity:.0f}/s",
            f"p99 of answers {p99}",
            f"refused {r.refused:.0%}, timed out {r.timed_out:.0%}",
            f"longest queue {r.max_queue}",
        ] + ([f"live run of {seconds:g} s"] if live else []))
        alt = (f"Queue length over {seconds:g} seconds at a logic node offered {load:.0%} of "
               f"its capacity with {regulator}: the longest queue is {r.max_queue} requests and "
               f"{r.goodput:.0f} requests per second are answered in time.")
        return readout, alt

    return Explorable(
        "regulators", draw,
        [Dropdown("regulator", overload.REGULATORS, label="regulator", default="none"),
         Slider("load", (0.8, 1.2, 1.5, 2.0, 3.0), label="offered load", default=1.5,
                format=lambda v: f"{v:.0%}")],
        alt="Queue length of a logic node with {regulator} at offered load {load}.",
        try_="at 150% load, switch from none to concurrency limit: goodput returns and the "
             "queue stays short.",
    )


def plot_spike(result: overload.SpikeResult, ax=None):
    """Draw calls offered and goodput per second through the spike experiment."""
    if ax is None:
        ax = figures.new_figure().subplots()
    ax.axvspan(overload.SPIKE_START, overload.SPIKE_END, color=figures.PALETTE["grey"],
               alpha=0.2, label="spike")
    ax.axhline(result.capacity, color="black", lw=1, ls=":", label="capacity")
    ax.step(result.seconds, result.offered, where="post", color=figures.color(1),
            ls="--", label="calls sent (with retries)")
    ax.step(result.seconds, result.goodput, where="post", color=figures.color(0), lw=2,
            label="goodput")
    ax.set_xlim(0, overload.RUN_SECONDS)
    ax.set_ylim(0, 4.2 * result.capacity)
    figures.label(ax, x="time", x_unit="s", y="per second")
    ax.legend(loc="upper right", fontsize=8)
    return ax


@register(page=f"{CHAPTER}/overload")
def metastability() -> Explorable:
    """Explorable: a two-second spike, retries, and whether the node ever recovers."""

    def draw(fig, defence, retries, live=False):
        scale = SPIKE_LIVE_SCALE if live else 1.0
        r = overload.spike_run(defence, retries, seed=SEED, scale=scale)
        plot_spike(r, fig.subplots())
        late = r.seconds >= overload.RUN_SECONDS - 5
        recovered = ("never (metastable)" if math.isinf(r.recovered_at)
                     else f"at {r.recovered_at:.0f} s")
        readout = "\n".join([
            f"{defence}, {retries} retr{'y' if retries == 1 else 'ies'}",
            f"spike {overload.SPIKE_START:.0f}-{overload.SPIKE_END:.0f} s",
            f"recovered {recovered}",
            f"last 5 s: goodput {r.goodput[late].mean():.0f}/s,",
            f"  calls sent {r.offered[late].mean():.0f}/s",
        ] + ([f"live run at half scale: a {r.capacity:.0f}/s node, the same relative load"]
             if live else []))
        alt = (f"Calls sent and goodput per second at one logic node through a load spike "
               f"from {overload.SPIKE_START:.0f} to {overload.SPIKE_END:.0f} seconds, "
               f"with {retries} retries and defence {defence}: the node recovered "
               f"{recovered}.")
        return readout, alt

    return Explorable(
        "metastability", draw,
        [Slider("retries", (0, 1, 2, 3), label="retries", default=2,
                format=lambda v: plural(v, "retry", "retries")),
         Dropdown("defence", overload.DEFENCES, label="defence", default="none")],
        alt="Goodput through a load spike with {retries} retries and defence {defence}.",
        try_="with no defence, go from 0 to 1 retry: the node never recovers from the spike; "
             "then try a retry budget.",
    )


def plot_flow(result: backpressure.FlowResult, ax=None, seconds: float = FLOW_BOOK_SECONDS):
    """Draw the messages waiting at the consumer and at the producer over a run of
    *seconds*."""
    if ax is None:
        ax = figures.new_figure().subplots()
    ax.step(result.times, result.consumer_queue, where="post", color=figures.color(0),
            label="consumer's mailbox")
    ax.step(result.producer_times, result.producer_queue, where="post",
            color=figures.color(1), ls="--", label="held by the producer")
    ax.axhline(backpressure.BUFFER, color=figures.PALETTE["grey"], lw=1, ls=":",
               label="producer's bound")
    ax.set_xlim(0, seconds)
    ax.set_ylim(0, figures.nice_limit(max(60, result.consumer_queue.max() * 1.05)))
    figures.label(ax, x="time", x_unit="s", y="messages waiting")
    ax.legend(loc="upper left", fontsize=8)
    return ax


@register(page=f"{CHAPTER}/backpressure")
def back_pressure() -> Explorable:
    """Explorable: cast, call or credits from a fast producer to a slow consumer."""

    def draw(fig, mode, rate, live=False):
        seconds = FLOW_LIVE_SECONDS if live else FLOW_BOOK_SECONDS
        r = backpressure.producer_consumer(mode, rate, seconds=seconds, seed=SEED)
        plot_flow(r, fig.subplots(), seconds)
        readout = "\n".join([
            f"{mode}: {rate:.0f}/s into a {relay.LOGIC_SERVICE_RATE:.0f}/s consumer",
            f"consumer's mailbox at the end {int(r.consumer_queue[-1])}",
            f"handled {r.delivered:.0f}/s",
            f"refused at the producer {r.refused:.0%}",
            f"producer held at most {r.producer_peak}",
        ] + ([f"live run of {seconds:g} s"] if live else []))
        alt = (f"Messages waiting at the consumer and at the producer over {seconds:g} "
               f"seconds with {mode} at {rate:.0f} messages per second: the consumer's "
               f"mailbox ends at {int(r.consumer_queue[-1])} and the producer held at most "
               f"{r.producer_peak}.")
        return readout, alt

    return Explorable(
        "back_pressure", draw,
        [Dropdown("mode", backpressure.MODES, label="how messages pass", default="cast"),
         Slider("rate", (80.0, 100.0, 120.0, 150.0, 200.0), label="producer rate",
                default=120.0, format=lambda v: f"{v:.0f}/s")],
        alt="Messages waiting at consumer and producer with {mode} at {rate} messages/s.",
        try_="at 150/s, switch from cast to credits: the consumer's mailbox stays small and "
             "the producer holds the excess.",
    )


def plot_usl_fit(test: loadtest.LoadTest, largest: int, ax=None):
    """Draw a load test, the USL fitted to its sizes up to *largest*, and the fit's band.

    Returns ``(ax, fit)``. The band is the 5-95% range of the curve over 200 parameter
    draws from the fit's covariance.
    """
    if ax is None:
        ax = figures.new_figure().subplots()
    used = test.sizes <= largest
    fit = theory.fit_usl(test.sizes[used], test.throughput[used], confidence=0.95)
    grid = np.linspace(1, 48, 120)
    draws = np.random.default_rng(SEED).multivariate_normal(
        [fit.single_node, fit.contention, fit.coherency], fit.covariance, 200)
    draws[:, 1] = np.clip(draws[:, 1], 0, 1)
    draws[:, 2] = np.clip(draws[:, 2], 0, None)
    curves = np.array([d[0] * theory.usl(grid, d[1], d[2]) for d in draws])
    low, high = np.percentile(curves, [5, 95], axis=0)
    ax.fill_between(grid, low, high, color=figures.color(0), alpha=0.2, label="fit's 90% band")
    ax.plot(grid, fit.throughput(grid), color=figures.color(0), label="USL fit")
    ax.plot(test.sizes[used], test.throughput[used], "o", color="black", label="fitted")
    ax.plot(test.sizes[~used], test.throughput[~used], "o", mfc="white", color="black",
            label="not yet tested")
    if math.isfinite(fit.peak_nodes) and fit.peak_nodes < 48:
        ax.axvline(fit.peak_nodes, color=figures.PALETTE["vermillion"], ls="--", lw=1,
                   label="fitted peak N*")
    ax.set_xlim(0, 48)
    ax.set_ylim(0, 2500)
    figures.label(ax, x="logic nodes N", y="throughput", y_unit="messages/s")
    ax.legend(loc="upper left", fontsize=8)
    return ax, fit


@register(page=f"{CHAPTER}/scaling")
def usl_fit() -> Explorable:
    """Explorable: fit the USL to a load test that stops at a chosen cluster size."""

    def draw(fig, largest):
        _, fit = plot_usl_fit(loadtest.relay_load_test(SEED), largest, fig.subplots())
        se = fit.standard_errors
        low, high = fit.peak_interval
        peak = "unbounded" if math.isinf(fit.peak_nodes) else f"{fit.peak_nodes:.0f}"
        band = f"{low:.0f} to {'∞' if math.isinf(high) else f'{high:.0f}'}"
        readout = "\n".join([
            f"sizes tested up to {largest}",
            f"σ = {fit.contention:.3f} ± {se[1]:.3f}",
            f"κ = {fit.coherency:.5f} ± {se[2]:.5f}",
            f"peak N* = {peak} (95%: {band})",
        ])
        alt = (f"Load-test throughput against cluster size with a USL curve fitted to the "
               f"sizes up to {largest}: the fitted peak is at {peak} nodes, 95% interval "
               f"{band}.")
        return readout, alt

    return Explorable(
        "usl_fit", draw,
        [Slider("largest", (4, 6, 8, 12, 16, 24, 32), label="largest size tested",
                format=lambda v: plural(v, "node"),
                default=32)],
        alt="USL fitted to a load test up to {largest} nodes.",
        try_="slide the largest size tested from 8 to 24 nodes: the fitted peak's 95% "
             "interval, unbounded at first, closes in.",
    )
