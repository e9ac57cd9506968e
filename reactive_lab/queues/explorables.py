"""Explorables of the page "Why queues decide latency": drawing and wiring only.

The numbers come from the models in :mod:`reactive_lab.queues.pool` and
:mod:`reactive_lab.queues.variability`; each ``plot_*`` draws a model's result on an axes,
and each factory wires controls to a model and its plot.

>>> explorable = latency_vs_load()
>>> [c.name for c in explorable.controls]
['servers', 'load']
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

import functools

import numpy as np

from reactive_lab import figures
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register
from reactive_lab.queues import pool, variability

__all__ = [
    "LIVE_CUSTOMERS",
    "latency_vs_load",
    "plot_latency_vs_load",
    "plot_variability",
    "plot_wait_tail",
    "simulation_vs_erlang_c",
    "variability_vs_load",
]

PAGE = "chapters/00-queues/index"
LOADS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
SERVER_CHOICES = (1, 2, 4, 8, 16)
LIVE_CUSTOMERS = 20_000
"""Requests per simulated load test in a live redraw: a fifth of the book's
``pool.CUSTOMERS`` keeps a slider move within the 50 ms budget; the readout says so and
the simulated mean carries its confidence interval."""

_CURVE_LOADS = np.linspace(0.02, 0.96, 48)
_LATENCY_TICKS_MS = (10, 30, 100, 300, 1000)
_WAIT_HORIZON_MS = 400.0
_VARIABILITY_LOADS = np.linspace(0.02, 0.92, 40)
_WAIT_TICKS_MS = (1, 3, 10, 30, 100, 300, 1000)


def _customers(live):
    return LIVE_CUSTOMERS if live else pool.CUSTOMERS


def _percent(value) -> str:
    return f"{value:.0%}"


@functools.cache
def _percentile_curves(servers):
    """The exact curves depend on the pool size only: compute them once per size."""
    return pool.percentile_curves(servers, _CURVE_LOADS)


@functools.cache
def _mean_wait_curve(service):
    return variability.mean_wait_curve(service, _VARIABILITY_LOADS)


def _load_axis(ax):
    """Load from 0 to 100% with fixed ticks, the same on every frame."""
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0], ["0", "20", "40", "60", "80", "100"])


def plot_latency_vs_load(point: pool.LoadPoint, ax=None):
    """Draw the exact percentile curves against load, with the simulated point on them.

    The response-time axis is logarithmic and fixed, so moving from 1 to 16 servers shows
    how far the knee of the curves moves right; the p99 of a single server stays behind
    as a faint reference.
    """
    if ax is None:
        ax = figures.new_figure().subplots()
    if point.servers != 1:
        ax.plot(_CURVE_LOADS, _percentile_curves(1)[99], color=figures.PALETTE["grey"],
                lw=1.5, alpha=0.6, label="p99, 1 server")
    curves = _percentile_curves(point.servers)
    for i, q in enumerate(pool.PERCENTILES):
        colour = figures.color(i)
        ax.plot(_CURVE_LOADS, curves[q], color=colour, ls=figures.LINESTYLES[i],
                label=f"p{q} exact")
        ax.plot([point.load], [point.simulated[q]], "o", color=colour, ms=7,
                markeredgecolor="black", label="simulated" if i == 0 else None)
    ax.axvline(point.load, color=figures.PALETTE["grey"], lw=1)
    figures.log_ticks(ax, y=_LATENCY_TICKS_MS)
    ax.set_ylim(5, 3000)
    _load_axis(ax)
    figures.label(ax, x="load ρ, utilisation of each server", x_unit="%", y="response time",
                  y_unit="ms")
    ax.legend(loc="upper left", ncol=2)
    return ax


@register(page=PAGE)
def latency_vs_load() -> Explorable:
    """Explorable: latency percentiles against load for a pool of servers."""

    def draw(fig, servers, load, live=False):
        point = pool.load_point(servers, load, customers=_customers(live))
        plot_latency_vs_load(point, fig.subplots())
        sim, exact = point.simulated, point.theory
        readout = "\n".join(
            [f"{plural(servers, 'server')}, load {load:.0%}",
             f"{load * servers * pool.SERVICE_RATE:,.0f} requests/s"]
            + [f"p{q} {sim[q]:,.0f} ms (exact {exact[q]:,.0f})" for q in pool.PERCENTILES]
            + [f"queued {point.wait_probability_simulated:.0%} "
               f"(Erlang C {point.wait_probability_theory:.0%})"]
            + ([f"live run of {LIVE_CUSTOMERS:,} requests"] if live else [])
        )
        alt = (
            f"Response-time percentiles against load, on a logarithmic axis, for "
            f"{servers} server(s) with a 10 ms mean service time. The p50, p95 and p99 curves "
            f"stay flat at low load and rise steeply towards full load. At {load:.0%} load "
            f"the simulated p99 is {point.simulated[99]:.0f} ms against "
            f"{point.theory[99]:.0f} ms exact."
        )
        return readout, alt

    return Explorable(
        "latency_vs_load",
        draw,
        [Dropdown("servers", SERVER_CHOICES, label="servers", default=1),
         Slider("load", LOADS, label="load ρ", default=0.8, format=_percent)],
        alt="Response-time percentiles against load for {servers} server(s) at load {load}.",
        try_="at 80% load, switch from 1 to 16 servers and watch the knee move right, "
             "far past the grey p99 of one server.",
    )


def plot_wait_tail(tail: pool.WaitTail, ax=None):
    """Draw P(wait > t) on a log scale: simulation as steps, Erlang C as a line.

    The time axis is fixed for every pool and load, so a faster-draining pool shows as a
    steeper line.
    """
    if ax is None:
        ax = figures.new_figure().subplots()
    shown = tail.simulated_tail > 0
    ax.step(tail.times_ms[shown], tail.simulated_tail[shown], where="post",
            color=figures.color(0), label="simulation")
    ax.plot(tail.times_ms, tail.theory_tail, color=figures.color(1), ls="--",
            label="Erlang C:  C·exp(−(cμ−λ)t)")
    figures.log_ticks(ax, y=[1e-4, 1e-3, 1e-2, 1e-1, 1], format=lambda p: f"{100 * p:g}%")
    ax.set_ylim(1e-4, 1.2)
    ax.set_xlim(0, _WAIT_HORIZON_MS)
    ax.set_xticks(np.arange(0, _WAIT_HORIZON_MS + 1, 100))
    figures.label(ax, x="waiting time t", x_unit="ms", y="P(wait > t)")
    ax.legend(loc="upper right")
    return ax


@register(page=PAGE)
def simulation_vs_erlang_c() -> Explorable:
    """Explorable: the simulated waiting-time tail against Erlang C's formula."""

    def draw(fig, servers, load, live=False):
        tail = pool.wait_tail(servers, load, customers=_customers(live))
        plot_wait_tail(tail, fig.subplots())
        ci = tail.mean_wait_ms
        readout = "\n".join([
            f"{plural(servers, 'server')}, load {load:.0%}",
            f"P(wait) {tail.wait_probability_simulated:.3f} "
            f"(Erlang C {tail.wait_probability_theory:.3f})",
            f"mean wait {ci.mean:.1f} ± {ci.half_width:.1f} ms",
            f"(99% CI; exact {tail.mean_wait_theory_ms:.1f} ms)",
        ] + ([f"live run of {LIVE_CUSTOMERS:,} requests"] if live else []))
        alt = (
            f"Probability that a request waits longer than t, on a logarithmic scale, for "
            f"{servers} server(s) at {load:.0%} load: the simulated staircase follows the "
            f"straight Erlang C line, starting at {tail.wait_probability_theory:.2f}."
        )
        return readout, alt

    return Explorable(
        "simulation_vs_erlang_c",
        draw,
        [Dropdown("servers", (1, 2, 4, 8), default=4),
         Slider("load", (0.5, 0.7, 0.8, 0.9, 0.95), label="load ρ", default=0.8,
                format=_percent)],
        alt="Waiting-time tail for {servers} server(s) at load {load}, against Erlang C.",
        try_="keep the load and switch between 1 and 8 servers: same load, but the tail "
             "drains far faster with more servers.",
    )


def plot_variability(point: variability.VariabilityPoint, ax=None):
    """Draw the exact mean wait against load for every service time, the chosen one bold.

    The wait axis is logarithmic and fixed, so every kind of work stays in view up to 90%
    load, and the gaps between the curves read as ratios.
    """
    if ax is None:
        ax = figures.new_figure((5.0, 3.9)).subplots()
    for i, (name, work) in enumerate(variability.SERVICE_TIMES.items()):
        chosen = name == point.service
        ax.plot(_VARIABILITY_LOADS, _mean_wait_curve(name), color=figures.color(i),
                ls=figures.LINESTYLES[i % len(figures.LINESTYLES)],
                lw=3 if chosen else 1.2, alpha=1 if chosen else 0.6,
                label=f"{name} (scv {work.scv:g})")
    ci = point.mean_wait_ms
    ax.errorbar([point.load], [ci.mean], yerr=[[ci.mean - max(ci.low, 0.5)], [ci.high - ci.mean]],
                fmt="o", color="black", ms=6, capsize=4, label="simulated, 99% CI")
    _load_axis(ax)
    figures.log_ticks(ax, y=_WAIT_TICKS_MS)
    ax.set_ylim(0.5, 3000)
    figures.label(ax, x="load ρ", x_unit="%", y="mean wait in queue", y_unit="ms")
    figures.legend_below(ax, ncol=2)
    return ax


@register(page=PAGE)
def variability_vs_load() -> Explorable:
    """Explorable: at the same load, more variable work waits longer (Pollaczek–Khinchine)."""

    def draw(fig, service, load, live=False):
        point = variability.variability_point(service, load, customers=_customers(live))
        plot_variability(point, fig.subplots())
        ci = point.mean_wait_ms
        readout = "\n".join([
            f"{service} work, load {load:.0%}",
            f"mean wait {ci.mean:.1f} ± {ci.half_width:.1f} ms",
            f"(99% CI; exact {point.exact_mean_wait_ms:.1f} ms)",
            f"p99 response {point.p99_response_ms:,.0f} ms",
        ] + ([f"live run of {LIVE_CUSTOMERS:,} requests"] if live else []))
        alt = (
            f"Mean waiting time against load, on a logarithmic axis, for one server and five "
            f"service-time distributions with the same 10 ms mean: the more variable the "
            f"work, the higher the curve. For {service} work at {load:.0%} load the exact "
            f"mean wait is {point.exact_mean_wait_ms:.0f} ms and the simulation gives "
            f"{ci.mean:.0f} ms."
        )
        return readout, alt

    return Explorable(
        "variability_vs_load",
        draw,
        [Dropdown("service", tuple(variability.SERVICE_TIMES), label="work", default="exponential"),
         Slider("load", (0.3, 0.5, 0.6, 0.7, 0.8, 0.9), label="load ρ", default=0.7,
                format=_percent)],
        alt="Mean waiting time against load for {service} work at load {load}.",
        figsize=(5.0, 3.9),
        try_="at 90% load, step from constant to log-normal cv 3 work: the same mean "
             "work, yet the wait grows about tenfold.",
    )
