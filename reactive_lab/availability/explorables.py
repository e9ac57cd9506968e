"""Explorables of chapter 3, Availability: drawing and wiring only.

The numbers come from :mod:`reactive_lab.availability` and
:mod:`reactive_lab.theory.availability`; each ``plot_*`` draws one model's result and
each factory wires controls to it.

>>> [c.name for c in relay_nines().controls]
['replicas', 'shared']
"""

# Taught in chapters/03-availability/; keep names in sync.

from __future__ import annotations

import functools

import numpy as np
from scipy import special

from reactive_lab import figures, theory
from reactive_lab.availability.blocks import TIERS, relay_blocks
from reactive_lab.availability.detection import akka_timeout
from reactive_lab.availability.failover import expected_detection
from reactive_lab.availability.service import supervised_service
from reactive_lab.availability.supervision import STRATEGIES
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register

__all__ = [
    "SHARED",
    "STANDBYS",
    "SUPERVISED_S",
    "detector_tradeoff",
    "failover_timeline",
    "plot_detector",
    "plot_failover",
    "plot_nines",
    "plot_supervision",
    "relay_nines",
    "supervisor_under_crashes",
]

SHARED = {"nothing": 1.0, "a rack (99.95 %)": 0.9995, "one data centre (99.99 %)": 0.9999}
"""Shared dependencies to try (assumed availabilities, for illustration)."""

STANDBYS = {"hot (1 s)": 1.0, "warm (30 s)": 30.0, "cold (5 min)": 300.0}
"""Takeover times of a standby kept hot, warm or cold (illustrative)."""

DAY_S = 86_400.0
SUPERVISED_S = 1_200.0
"""Simulated time per supervisor frame. The worst frame (a crash a second, intensity 10:
about 3,600 restarts over the three strategies) costs a third of an hour-long run."""
_SHORT = {"message store": "store", "push gateway": "push", "user directory": "directory"}
_NINES_LIMIT = 9.0


def _nines(a: float) -> float:
    return min(theory.nines(a), _NINES_LIMIT)


def plot_nines(blocks, ax=None):
    """Draw the nines of each tier, the shared dependency and the whole system."""
    if ax is None:
        ax = figures.new_figure().subplots()
    # Short names: the course's fixed margins leave room for about eight characters.
    labels = [_SHORT.get(t, t) for t in TIERS] + ["shared", "Relay"]
    values = [_nines(blocks.tiers[t]) for t in TIERS] + [_nines(blocks.shared),
                                                          _nines(blocks.system)]
    colours = [figures.color(0)] * len(TIERS) + [figures.color(2), figures.color(1)]
    ax.barh(labels[::-1], values[::-1], color=colours[::-1])
    ax.set_xlim(0, _NINES_LIMIT)
    figures.label(ax, x="nines, -log10(1 - availability) (9 = capped)", y="")
    return ax


@register(page="chapters/03-availability/index")
def relay_nines() -> Explorable:
    """Explorable: replicate every tier of Relay and watch the nines (and what caps them)."""

    def draw(fig, replicas, shared):
        blocks = relay_blocks(replicas, SHARED[shared])
        plot_nines(blocks, fig.subplots())
        down_min = theory.downtime_per_year(blocks.system) / 60
        readout = "\n".join([
            f"{plural(replicas, 'replica')} per tier; each node up {blocks.node:.4%}",
            f"message store needs a majority: {replicas // 2 + 1} of {replicas}",
            f"Relay: {blocks.system:.6%} up, {theory.nines(blocks.system):.2f} nines",
            f"downtime budget used: {figures.plain_number(down_min)} min/year",
        ])
        alt = (f"Bars of nines for Relay's five tiers, the shared dependency ({shared}) and "
               f"the whole system with {replicas} replicas per tier: the system has "
               f"{theory.nines(blocks.system):.2f} nines, {down_min:,.1f} minutes down a year.")
        return readout, alt

    return Explorable(
        "relay_nines", draw,
        [Slider("replicas", (1, 2, 3, 4, 5), label="replicas per tier", default=1,
                format=lambda v: plural(v, "replica")),
         Dropdown("shared", tuple(SHARED), label="all nodes share")],
        alt="Nines of Relay's tiers with {replicas} replicas, sharing {shared}.",
        try_="go from 1 to 2 replicas and watch the store's bar shrink; at 3, let every node "
             "share a rack and see the nines fall back.",
    )


def plot_supervision(reports, setting: str = "", ax=None):
    """Draw availability and give-ups for each restart strategy, *setting* written on it.

    Two settings can give the same bars (no give-ups either way): the setting, as the
    legend's title, keeps their frames apart.
    """
    if ax is None:
        ax = figures.new_figure().subplots()
    positions = range(len(reports))  # numbers, not category names: the axes are reused
    down = [100 * (1 - r.availability) for r in reports]
    bars = ax.bar(positions, down, color=[figures.color(i) for i in positions])
    for bar, r in zip(bars, reports):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(),
                f"{plural(r.gave_up, 'give-up')}\n{plural(r.child_restarts, 'restart')}",
                ha="center", va="bottom", fontsize=8)
    ax.set_xticks(positions, [r.strategy for r in reports])
    ax.axhline(100 * (1 - reports[0].theory_without_give_up), color="black", ls="--", lw=1,
               label="restarts alone (MTBF/(MTBF+restart))")
    ax.set_ylim(0, 100)
    figures.label(ax, x="restart strategy", y="time the node is not serving", y_unit="%")
    figures.legend_below(ax, ncol=1, title=setting or None)
    return ax


@register(page="chapters/03-availability/supervision")
def supervisor_under_crashes() -> Explorable:
    """Explorable: a crash rate against the restart intensity, for the three strategies."""

    def draw(fig, mean_time_to_crash, intensity):
        reports = [supervised_service(s, mean_time_to_crash, intensity=intensity,
                                      until=SUPERVISED_S, seed=3) for s in STRATEGIES]
        setting = f"crashes every {mean_time_to_crash:g} s, intensity {intensity} in 5 s"
        plot_supervision(reports, setting, fig.subplots())
        r = reports[0]
        readout = "\n".join([
            f"router crashes every {mean_time_to_crash:g} s on average",
            f"intensity {plural(intensity, 'restart')} in 5 s; restart 0.5 s; reboot 30 s",
            f"{SUPERVISED_S / 60:.0f} minutes: {r.restarts} restart decisions, "
            f"{plural(r.gave_up, 'give-up')}",
            f"node serving {r.availability:.2%} of the time "
            f"(restarts alone: {r.theory_without_give_up:.2%})",
        ])
        alt = (f"Bars of the time not serving for the three strategies, router crashing every "
               f"{mean_time_to_crash:g} s, intensity {intensity}: "
               f"{plural(r.gave_up, 'give-up')} in "
               f"{SUPERVISED_S / 60:.0f} minutes, serving {r.availability:.2%} of the time.")
        return readout, alt

    return Explorable(
        "supervisor_under_crashes", draw,
        [Slider("mean_time_to_crash", (1, 2, 5, 10, 30, 60, 300, 1800),
                label="router crashes every", default=60, format=lambda v: f"{v} s"),
         Dropdown("intensity", (1, 3, 10), label="restart intensity (in 5 s)", default=1)],
        alt="Time not serving per strategy, crashes every {mean_time_to_crash} s.",
        try_="with crashes every 30 s, raise the intensity from 1 to 10: the supervisor "
             "stops giving up and the time serving rises.",
        figsize=figures.with_legend_rows(figures.EXPLORABLE_FIGSIZE, 2),
    )


_THRESHOLDS = np.linspace(0.5, 16, 63)


@functools.cache
def _standard_timeouts(name):
    """Silence (in standard deviations past the mean) at which each threshold is reached."""
    solve = theory.phi_timeout if name == "exact phi" else akka_timeout
    return np.array([solve(t, 1.0, 1.0) - 1.0 for t in _THRESHOLDS])


def _false_per_day(timeout, mean, std, interval=1.0):
    """False suspicions a day: heartbeats a day times the normal tail beyond the timeout."""
    return DAY_S / interval * np.exp(_log_tail((timeout - mean) / std))


def _log_tail(y):
    return special.log_ndtr(-np.asarray(y, dtype=float))


def plot_detector(std, threshold, ax=None):
    """Draw false suspicions per day against mean detection time, exact phi and Akka's."""
    if ax is None:
        ax = figures.new_figure().subplots()
    for i, (name, solve) in enumerate([("exact phi", theory.phi_timeout),
                                       ("Akka's phi", akka_timeout)]):
        timeouts = 1.0 + _standard_timeouts(name) * std
        ax.plot(timeouts - 0.5, _false_per_day(timeouts, 1.0, std), color=figures.color(i),
                ls=figures.LINESTYLES[i], label=name)
        chosen = solve(threshold, 1.0, std)
        ax.plot([chosen - 0.5], [_false_per_day(chosen, 1.0, std)], "o",
                color=figures.color(i), ms=7, markeredgecolor="black")
    ax.set_yscale("log")
    ax.set_ylim(1e-6, 1e5)
    ax.set_xlim(0.4, 3.2)
    figures.log_ticks(ax, y=(1e-6, 1e-4, 1e-2, 1, 1e2, 1e4))
    figures.label(ax, x="mean detection time after a crash", x_unit="s",
                  y="false suspicions", y_unit="per day")
    ax.legend(loc="upper right", fontsize=9)
    return ax


@register(page="chapters/03-availability/detection")
def detector_tradeoff() -> Explorable:
    """Explorable: the phi threshold trades detection time against false suspicions."""

    def draw(fig, threshold, std):
        plot_detector(std, threshold, fig.subplots())
        exact = theory.phi_timeout(threshold, 1.0, std)
        akka = akka_timeout(threshold, 1.0, std)
        readout = "\n".join([
            f"heartbeats every 1 s, gaps spread {std * 1000:g} ms; threshold {threshold:g}",
            f"exact phi suspects after {exact:.3f} s of silence: "
            f"{_false_per_day(exact, 1.0, std):.2g} false suspicions/day",
            f"Akka's phi after {akka:.3f} s: {_false_per_day(akka, 1.0, std):.2g}/day",
            f"mean detection time {exact - 0.5:.2f} s (exact)",
        ])
        alt = (f"Log plot of false suspicions per day against detection time for exact and "
               f"Akka's phi, gap spread {std * 1000:g} ms; at threshold {threshold:g} the exact "
               f"detector waits {exact:.3f} s and Akka's {akka:.3f} s.")
        return readout, alt

    return Explorable(
        "detector_tradeoff", draw,
        [Slider("threshold", (1, 2, 3, 4, 5, 6, 8, 10, 12), label="phi threshold",
                format=lambda v: f"φ = {v}",
                default=8),
         Dropdown("std", (0.05, 0.1, 0.2, 0.4), label="spread of heartbeat gaps",
                  default=0.1, format=lambda v: f"{v * 1000:g} ms")],
        alt="False suspicions against detection time at threshold {threshold}.",
        try_="go from φ = 3 to φ = 8: false suspicions all but vanish, while detection is "
             "only a fraction of a second slower.",
    )


_TIMEOUTS = np.geomspace(1.2, 60, 60)


def plot_failover(timeout, takeover, ax=None):
    """Draw the nines of an active-passive pair (MTBF one day) against the timeout."""
    if ax is None:
        ax = figures.new_figure().subplots()
    for i, (name, seconds) in enumerate(STANDBYS.items()):
        down = [expected_detection(1.0, 0.1, t) + seconds for t in _TIMEOUTS]
        ax.plot(_TIMEOUTS, [theory.nines(theory.steady_state_availability(DAY_S, d))
                            for d in down], color=figures.color(i), ls=figures.LINESTYLES[i],
                label=f"{name} standby")
    a = theory.steady_state_availability(DAY_S, expected_detection(1.0, 0.1, timeout)
                                         + takeover)
    ax.plot([timeout], [theory.nines(a)], "o", color="black", ms=7)
    ax.set_xscale("log")
    figures.log_ticks(ax, x=(1.2, 3, 10, 30, 60))
    ax.set_ylim(2, 5.5)
    figures.label(ax, x="detection timeout", x_unit="s", y="nines")
    ax.legend(loc="upper right", fontsize=9)
    return ax


@register(page="chapters/03-availability/redundancy")
def failover_timeline() -> Explorable:
    """Explorable: detection timeout and standby temperature decide the failover's cost."""

    def draw(fig, timeout, standby):
        takeover = STANDBYS[standby]
        plot_failover(timeout, takeover, fig.subplots())
        detect = expected_detection(1.0, 0.1, timeout)
        a = theory.steady_state_availability(DAY_S, detect + takeover)
        readout = "\n".join([
            f"timeout {timeout:g} s: crash noticed after {detect:.2f} s on average",
            f"{standby} standby: serving again {detect + takeover:.1f} s after the crash",
            f"one crash a day: {a:.5%} up, {theory.nines(a):.2f} nines",
            f"a falsely suspected active overlaps the new one for about {takeover:g} s+",
        ])
        alt = (f"Nines of an active-passive pair against the detection timeout for hot, warm "
               f"and cold standbys; marked: timeout {timeout:g} s with a {standby} standby, "
               f"{detect + takeover:.1f} s down per failure, {theory.nines(a):.2f} nines.")
        return readout, alt

    return Explorable(
        "failover_timeline", draw,
        [Slider("timeout", (1.5, 2, 3, 5, 10, 20, 40), label="detection timeout", default=3,
                format=lambda v: f"{v} s"),
         Dropdown("standby", tuple(STANDBYS), label="standby")],
        alt="Nines against the detection timeout {timeout} s, {standby} standby.",
        try_="slide the timeout from 1.5 to 40 s: a hot standby loses more than a nine, a "
             "cold one hardly any.",
    )
