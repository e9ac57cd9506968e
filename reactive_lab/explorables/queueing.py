"""Explorables of the page "Why queues decide latency": a pool of servers under load.

Every explorable here is three layers: a model function that returns numbers (simulation
and theory side by side), a plot function that draws them on an axes, and the explorable
that wires controls to both.

>>> point = load_point(servers=2, load=0.5, customers=2_000, seed=1)
>>> sorted(point.simulated)
[50, 95, 99]
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab import core, figures, theory
from reactive_lab.explore import Dropdown, Explorable, Slider, register

__all__ = [
    "PERCENTILES",
    "SERVICE_RATE",
    "LoadPoint",
    "WaitTail",
    "latency_vs_load",
    "load_point",
    "plot_latency_vs_load",
    "plot_wait_tail",
    "simulation_vs_erlang_c",
    "wait_tail",
]

SERVICE_RATE = 100.0
"""Requests per second one server completes: a 10 ms mean service time."""

PERCENTILES = (50, 95, 99)
CUSTOMERS = 100_000
"""Requests per simulated load test. Near saturation consecutive latencies are strongly
correlated, so a p99 from 20,000 requests at 90% load on 4 servers scatters by ±40% from
seed to seed; 100,000 bring that to about ±15% and still simulate in ~20 ms."""
SEED = 2026
PAGE = "chapters/00-queues/index"
LOADS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
SERVER_CHOICES = (1, 2, 4, 8, 16)
_MS = 1000.0


@dataclass(frozen=True)
class LoadPoint:
    """Simulated and theoretical latency percentiles (ms) of an M/M/c pool at one load."""

    servers: int
    load: float
    simulated: dict
    theory: dict
    wait_probability_simulated: float
    wait_probability_theory: float


def load_point(servers, load, customers=CUSTOMERS, seed=SEED) -> LoadPoint:
    """Return latency percentiles of a pool at utilisation *load*, simulated and exact."""
    arrival_rate = load * servers * SERVICE_RATE
    run = core.simulate_mmc(arrival_rate, SERVICE_RATE, servers, customers, seed=seed,
                            warmup=customers // 10)
    exact = theory.mmc(arrival_rate, SERVICE_RATE, servers)
    simulated = {q: v * _MS for q, v in core.percentiles(run.response_times, PERCENTILES).items()}
    return LoadPoint(
        servers=servers,
        load=load,
        simulated={int(q): v for q, v in simulated.items()},
        theory={q: exact.response_percentile(q) * _MS for q in PERCENTILES},
        wait_probability_simulated=float(np.mean(run.waits > 0)),
        wait_probability_theory=exact.wait_probability,
    )


def _theory_curves(servers, loads):
    curves = {q: [] for q in PERCENTILES}
    for load in loads:
        exact = theory.mmc(load * servers * SERVICE_RATE, SERVICE_RATE, servers)
        for q in PERCENTILES:
            curves[q].append(exact.response_percentile(q) * _MS)
    return curves


_CURVE_LOADS = np.linspace(0.02, 0.96, 48)
_LATENCY_LIMIT_MS = 1000.0


def plot_latency_vs_load(point: LoadPoint, ax=None):
    """Draw the exact percentile curves against load, with the simulated point on them."""
    if ax is None:
        ax = figures.new_figure().subplots()
    curves = _theory_curves(point.servers, _CURVE_LOADS)
    for i, q in enumerate(PERCENTILES):
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
        point = load_point(servers, load)
        plot_latency_vs_load(point, fig.subplots())
        sim, exact = point.simulated, point.theory
        readout = "\n".join(
            [f"{servers} server{'s' if servers > 1 else ''}, load {load:.0%}",
             f"{load * servers * SERVICE_RATE:.0f} requests/s"]
            + [f"p{q} {sim[q]:.0f} ms (exact {exact[q]:.0f})" for q in PERCENTILES]
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


@dataclass(frozen=True)
class WaitTail:
    """Where the waiting-time tail of a simulated M/M/c pool is checked against Erlang C."""

    servers: int
    load: float
    times_ms: np.ndarray
    simulated_tail: np.ndarray
    theory_tail: np.ndarray
    mean_wait_ms: core.ConfidenceInterval
    mean_wait_theory_ms: float
    wait_probability_simulated: float
    wait_probability_theory: float


def wait_tail(servers, load, customers=CUSTOMERS, seed=SEED) -> WaitTail:
    """Return the simulated and exact P(wait > t) of an M/M/c pool, t in ms."""
    arrival_rate = load * servers * SERVICE_RATE
    run = core.simulate_mmc(arrival_rate, SERVICE_RATE, servers, customers, seed=seed,
                            warmup=customers // 10)
    exact = theory.mmc(arrival_rate, SERVICE_RATE, servers)
    waits_ms = np.sort(run.waits * _MS)
    horizon = exact.wait_percentile(99.9) * _MS if exact.wait_probability > 0.001 else 10.0
    times = np.linspace(0, max(horizon, 1.0), 60)
    # P(W > t) from the sorted sample: the share of waits strictly above t.
    simulated = 1 - np.searchsorted(waits_ms, times, side="right") / len(waits_ms)
    drain = servers * SERVICE_RATE - arrival_rate
    return WaitTail(
        servers=servers,
        load=load,
        times_ms=times,
        simulated_tail=simulated,
        theory_tail=exact.wait_probability * np.exp(-drain * times / _MS),
        mean_wait_ms=core.batch_means_ci(run.waits * _MS),
        mean_wait_theory_ms=exact.mean_wait * _MS,
        wait_probability_simulated=float(np.mean(run.waits > 0)),
        wait_probability_theory=exact.wait_probability,
    )


def plot_wait_tail(tail: WaitTail, ax=None):
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
        tail = wait_tail(servers, load)
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


SERVICE_TIMES = {
    "constant": core.Deterministic(1 / SERVICE_RATE),
    "Erlang-4": core.Erlang(4, 4 * SERVICE_RATE),
    "exponential": core.Exponential(SERVICE_RATE),
    "log-normal, cv 1.5": core.LogNormal(1 / SERVICE_RATE, 1.5),
    "log-normal, cv 3": core.LogNormal(1 / SERVICE_RATE, 3.0),
}
"""Service-time distributions with the same 10 ms mean and growing variability."""

_VARIABILITY_LOADS = np.linspace(0.02, 0.92, 40)
_WAIT_LIMIT_MS = 500.0


@dataclass(frozen=True)
class VariabilityPoint:
    """Mean wait of one server at one load: simulated (with its CI) and Pollaczek–Khinchine."""

    service: str
    load: float
    mean_wait_ms: core.ConfidenceInterval
    exact_mean_wait_ms: float
    p99_response_ms: float


def variability_point(service, load, customers=CUSTOMERS, seed=SEED) -> VariabilityPoint:
    """Return the simulated and exact mean wait of an M/G/1 server with *service* times."""
    work = SERVICE_TIMES[service]
    arrival_rate = load / work.mean
    run = core.simulate_station(core.Exponential(arrival_rate), work, servers=1,
                                customers=customers, seed=seed, warmup=customers // 10)
    return VariabilityPoint(
        service=service,
        load=load,
        mean_wait_ms=core.batch_means_ci(run.waits * _MS),
        exact_mean_wait_ms=theory.mg1_mean_wait(arrival_rate, work.mean, work.scv) * _MS,
        p99_response_ms=run.percentile(99) * _MS,
    )


def plot_variability(point: VariabilityPoint, ax=None):
    """Draw the exact mean wait against load for every service time, the chosen one bold."""
    if ax is None:
        ax = figures.new_figure().subplots()
    for i, (name, work) in enumerate(SERVICE_TIMES.items()):
        waits = [theory.mg1_mean_wait(load / work.mean, work.mean, work.scv) * _MS
                 for load in _VARIABILITY_LOADS]
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
        point = variability_point(service, load)
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
        [Dropdown("service", tuple(SERVICE_TIMES), label="work", default="exponential"),
         Slider("load", (0.3, 0.5, 0.6, 0.7, 0.8, 0.9), label="load ρ", default=0.7,
                format=lambda v: f"{v:.0%}")],
        alt="Mean waiting time against load for {service} work at load {load}.",
    )
