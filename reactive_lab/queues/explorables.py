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

import numpy as np

from reactive_lab import figures
from reactive_lab.explore import Dropdown, Explorable, Slider, register
from reactive_lab.queues import pool, variability

__all__ = [
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
_CURVE_LOADS = np.linspace(0.02, 0.96, 48)
_LATENCY_LIMIT_MS = 1000.0


def plot_latency_vs_load(point: pool.LoadPoint, ax=None):
    """Draw the exact percentile curves against load, with the simulated point on them."""
    if ax is None:
        ax = figures.new_figure().subplots()
    curves = pool.percentile_curves(point.servers, _CURVE_LOADS)
    for i, q in enumerate(pool.PERCENTILES):
        colour = figures.color(i)
        ax.plot(_CURVE_LOADS, curves[q], color=colour, ls=figures.LINESTYLES[i],
                label=f"p{q} (M/M/c exact)")
        ax.plot([point.load], [point.simulated[q]], "o", color=colour, ms=7,
                markeredgecolor="black", label="simulated" if i == 0 else None)
    ax.axvline(point.load, color=figures.PALETTE["grey"], lw=1)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, _LATENCY_LIMIT_MS)
    figures.label(ax, x="load ρ (utilisation of each server)", y="response time", y_unit="ms")
    ax.legend(loc="upper left", fontsize=9)
    return ax


@register(page=PAGE)
def latency_vs_load() -> Explorable:
    """Explorable: latency percentiles against load for a pool of servers."""

    def draw(fig, servers, load):
        point = pool.load_point(servers, load)
        plot_latency_vs_load(point, fig.subplots())
        sim, exact = point.simulated, point.theory
        readout = "\n".join(
            [f"{servers} server{'s' if servers > 1 else ''}, load {load:.0%}",
             f"{load * servers * pool.SERVICE_RATE:.0f} requests/s"]
            + [f"p{q} {sim[q]:.0f} ms (exact {exact[q]:.0f})" for q in pool.PERCENTILES]
            + [f"queued {point.wait_probability_simulated:.0%} "
               f"(Erlang C {point.wait_probability_theory:.0%})"]
        )
        alt = (
            f"Response-time percentiles against load for {servers} server(s) with a 10 ms "
            f"mean service time. The p50, p95 and p99 curves stay flat at low load and rise "
            f"steeply towards full load. At {load:.0%} load the simulated p99 is "
            f"{point.simulated[99]:.0f} ms against {point.theory[99]:.0f} ms exact."
        )
        return readout, alt

    return Explorable(
        "latency_vs_load",
        draw,
        [Dropdown("servers", SERVER_CHOICES, label="servers", default=1),
         Slider("load", LOADS, label="load ρ", default=0.8, format=lambda v: f"{v:.0%}")],
        alt="Response-time percentiles against load for {servers} server(s) at load {load}.",
    )


def plot_wait_tail(tail: pool.WaitTail, ax=None):
    """Draw P(wait > t) on a log scale: simulation as steps, Erlang C as a line."""
    if ax is None:
        ax = figures.new_figure().subplots()
    shown = tail.simulated_tail > 0
    ax.step(tail.times_ms[shown], tail.simulated_tail[shown], where="post",
            color=figures.color(0), label="simulation")
    ax.plot(tail.times_ms, tail.theory_tail, color=figures.color(1), ls="--",
            label="Erlang C:  C·exp(−(cμ−λ)t)")
    figures.log_ticks(ax, y=[1e-4, 1e-3, 1e-2, 1e-1, 1], format=lambda p: f"{100 * p:g}%")
    ax.set_ylim(1e-4, 1.2)
    ax.set_xlim(0, tail.times_ms[-1])
    figures.label(ax, x="waiting time t", x_unit="ms", y="P(wait > t)")
    ax.legend(loc="upper right", fontsize=9)
    return ax


@register(page=PAGE)
def simulation_vs_erlang_c() -> Explorable:
    """Explorable: the simulated waiting-time tail against Erlang C's formula."""

    def draw(fig, servers, load):
        tail = pool.wait_tail(servers, load)
        plot_wait_tail(tail, fig.subplots())
        ci = tail.mean_wait_ms
        readout = "\n".join([
            f"{servers} server{'s' if servers > 1 else ''}, load {load:.0%}",
            f"P(wait) {tail.wait_probability_simulated:.3f} "
            f"(Erlang C {tail.wait_probability_theory:.3f})",
            f"mean wait {ci.mean:.1f} ± {ci.half_width:.1f} ms",
            f"(99% CI; exact {tail.mean_wait_theory_ms:.1f} ms)",
        ])
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
                format=lambda v: f"{v:.0%}")],
        alt="Waiting-time tail for {servers} server(s) at load {load}, against Erlang C.",
    )


_VARIABILITY_LOADS = np.linspace(0.02, 0.92, 40)
_WAIT_LIMIT_MS = 500.0


def plot_variability(point: variability.VariabilityPoint, ax=None):
    """Draw the exact mean wait against load for every service time, the chosen one bold."""
    if ax is None:
        ax = figures.new_figure().subplots()
    for i, (name, work) in enumerate(variability.SERVICE_TIMES.items()):
        waits = variability.mean_wait_curve(name, _VARIABILITY_LOADS)
        chosen = name == point.service
        ax.plot(_VARIABILITY_LOADS, waits, color=figures.color(i),
                ls=figures.LINESTYLES[i % len(figures.LINESTYLES)],
                lw=3 if chosen else 1.2, alpha=1 if chosen else 0.6,
                label=f"{name} (scv {work.scv:g})")
    ci = point.mean_wait_ms
    ax.errorbar([point.load], [ci.mean], yerr=[[ci.mean - ci.low], [ci.high - ci.mean]],
                fmt="o", color="black", ms=6, capsize=4, label="simulated, 99% CI")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, _WAIT_LIMIT_MS)
    figures.label(ax, x="load ρ", y="mean wait in queue", y_unit="ms")
    ax.legend(loc="upper left", fontsize=8)
    return ax


@register(page=PAGE)
def variability_vs_load() -> Explorable:
    """Explorable: at the same load, more variable work waits longer (Pollaczek–Khinchine)."""

    def draw(fig, service, load):
        point = variability.variability_point(service, load)
        plot_variability(point, fig.subplots())
        ci = point.mean_wait_ms
        readout = "\n".join([
            f"{service} work, load {load:.0%}",
            f"mean wait {ci.mean:.1f} ± {ci.half_width:.1f} ms",
            f"(99% CI; exact {point.exact_mean_wait_ms:.1f} ms)",
            f"p99 response {point.p99_response_ms:.0f} ms",
        ])
        alt = (
            f"Mean waiting time against load for one server and five service-time "
            f"distributions with the same 10 ms mean: the more variable the work, the higher "
            f"the curve. For {service} work at {load:.0%} load the exact mean wait is "
            f"{point.exact_mean_wait_ms:.0f} ms and the simulation gives {ci.mean:.0f} ms."
        )
        return readout, alt

    return Explorable(
        "variability_vs_load",
        draw,
        [Dropdown("service", tuple(variability.SERVICE_TIMES), label="work", default="exponential"),
         Slider("load", (0.3, 0.5, 0.6, 0.7, 0.8, 0.9), label="load ρ", default=0.7,
                format=lambda v: f"{v:.0%}")],
        alt="Mean waiting time against load for {service} work at load {load}.",
    )
