"""Overload experiments: a Relay logic node under too much load, regulated or not.

Two experiments, both on one logic node (a single worker, ``LOGIC_SERVICE_RATE`` messages
per second) fed by phones that time out:

- :func:`overload_run`: a steady offered load, above or below capacity, with one
  regulator at the door. What comes out: goodput (answers in time), the p99 of those
  answers, the share refused and the longest queue.
- :func:`spike_run`: the metastability experiment. A steady load the node handles
  easily, a spike above capacity for a few seconds, then the same steady load again.
  Without defences, retries keep the node saturated after the spike has gone; with a
  retry budget, adaptive throttling or shedding stale work, it recovers.

>>> r = overload_run("none", load=0.5, seconds=20.0, seed=1)
>>> r.goodput > 0.95 * 0.5 * r.capacity
True
"""

# Taught in chapters/04-scalability/regulation.md and overload.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab import relay
from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.metrics import percentiles
from reactive_lab.core.sim import Simulation, spike
from reactive_lab.scalability.clients import retrying_clients
from reactive_lab.scalability.regulators import AdaptiveLimit, ConcurrencyLimit, TokenBucket
from reactive_lab.scalability.server import spawn_server

__all__ = [
    "DEFENCES",
    "REGULATORS",
    "TIMEOUT",
    "OverloadResult",
    "SpikeResult",
    "overload_run",
    "regulated_server",
    "spike_run",
]

TIMEOUT = 0.5
"""Seconds a phone waits for a logic node's answer before giving up (or retrying)."""

REGULATORS = ("none", "bounded queue", "token bucket", "concurrency limit",
              "queue-time limit", "adaptive limit", "lifo", "codel")
"""The door and queue policies :func:`regulated_server` can put on the logic node."""


def regulated_server(sim, regulator: str, name: str = "logic"):
    """Spawn Relay's logic node in *sim* with *regulator* (one of :data:`REGULATORS`).

    The numbers are chosen for one worker at ``LOGIC_SERVICE_RATE`` (100/s, 10 ms each):
    a queue of 20 (200 ms of work, well inside the timeout), a token bucket at 90% of
    capacity, a concurrency limit of 10, a queue-time limit of half the timeout.

    >>> sim = Simulation(seed=1)
    >>> regulated_server(sim, "token bucket").policy
    TokenBucket(rate=90, burst=10)
    """
    arguments.choice("regulator", regulator, REGULATORS)
    mu = relay.LOGIC_SERVICE_RATE
    options = {
        "none": {},
        "bounded queue": {"capacity": 20},
        "token bucket": {"policy": TokenBucket(rate=0.9 * mu, burst=10)},
        "concurrency limit": {"policy": ConcurrencyLimit(10)},
        "queue-time limit": {"queue_time_limit": TIMEOUT / 2},
        "adaptive limit": {"policy": AdaptiveLimit(initial=10)},
        "lifo": {"discipline": "lifo"},
        "codel": {"discipline": "codel"},
    }[regulator]
    return spawn_server(sim, name, service=Exponential(mu), **options)


@dataclass(frozen=True)
class OverloadResult:
    """What one steady-load run of the logic node produced (rates per second)."""

    regulator: str
    load: float
    capacity: float
    goodput: float
    """Requests answered "ok" within the timeout, per second."""
    p99_ms: float
    """p99 latency of those answers (NaN if none)."""
    refused: float
    """Share of requests refused or dropped by the server."""
    timed_out: float
    """Share of requests whose caller gave up."""
    max_queue: int
    queue_times: np.ndarray
    queue_lengths: np.ndarray


def overload_run(regulator: str, load: float, seconds: float = 20.0,
                 seed=None) -> OverloadResult:
    """Run the logic node at *load* (offered rate over capacity) for *seconds*.

    No retries, so what is measured is the regulator alone. The first fifth of the run is
    a warm-up and not counted.

    Raises
    ------
    ValueError
        If *regulator* is unknown, *load* not in (0, 5] or *seconds* not in (0, 600].

    Examples
    --------
    >>> r = overload_run("bounded queue", load=2.0, seconds=10.0, seed=2)
    >>> r.max_queue <= 19, r.refused > 0.4
    (True, True)
    """
    load = arguments.real("load", load, low=0, high=5, low_open=True)
    seconds = arguments.real("seconds", seconds, low=0, high=600, low_open=True)
    mu = relay.LOGIC_SERVICE_RATE
    sim = Simulation(seed=seed, record_queues=False)
    server = regulated_server(sim, regulator)
    clients = retrying_clients(sim, "logic", rate=load * mu, timeout=TIMEOUT)
    sim.run(until=seconds)
    warm = seconds / 5
    starts, ends = np.asarray(clients.starts), np.asarray(clients.ends)
    outcomes = np.asarray(clients.outcomes)
    counted = starts >= warm
    ok = counted & (outcomes == "ok")
    latency = (ends - starts)[ok]
    times, lengths = np.array(server.queue_log, dtype=float).T
    return OverloadResult(
        regulator=regulator, load=load, capacity=mu,
        goodput=float(ok.sum() / (seconds - warm)),
        p99_ms=float(percentiles(latency, [99])[99] * 1000) if latency.size else float("nan"),
        refused=float((counted & (outcomes == "rejected")).sum() / max(counted.sum(), 1)),
        timed_out=float((counted & (outcomes == "timed out")).sum() / max(counted.sum(), 1)),
        max_queue=int(lengths.max()),
        queue_times=times, queue_lengths=lengths.astype(int),
    )


DEFENCES = ("none", "retry budget", "adaptive throttling", "shed stale work")
"""What :func:`spike_run` may do to break a retry storm."""

BASE_LOAD, SPIKE_LOAD = 0.7, 1.5
"""Steady and spike load on the logic node, as a share of its capacity."""
SPIKE_START, SPIKE_END, RUN_SECONDS = 3.0, 5.0, 20.0
RECOVERY_WINDOW, RECOVERY_SHARE = 3, 0.8


@dataclass(frozen=True)
class SpikeResult:
    """Goodput and queue over time through a load spike, one bin per second."""

    defence: str
    retries: int
    seconds: np.ndarray
    """Start of each one-second bin."""
    goodput: np.ndarray
    """Requests started in the bin that ended "ok", per second."""
    offered: np.ndarray
    """Calls the phones sent in the bin, first attempts and retries, per second."""
    queue: np.ndarray
    """Longest queue in the bin."""
    recovered_at: float
    """First second after the spike from which every 3-second average of goodput stays
    at 80% of the steady load or more (inf if it never does within the run)."""
    base_rate: float
    capacity: float
    """The node's service rate in this run, per second."""


def spike_run(defence: str, retries: int, seed=None, policy=None,
              scale: float = 1.0) -> SpikeResult:
    """Run the spike experiment with *retries* and *defence*; return the timeline.

    Steady load 70% of capacity, 150% from 3 s to 5 s, run 20 s; timeout 0.5 s. With
    ``policy`` given, it is the admission policy at the logic node's door instead
    (the lab's checks run a learner's policy through this experiment).

    *scale* runs a node of ``scale`` times Relay's speed under the same load relative to
    its capacity: the spike's excess, the queue a timeout allows and the time to drain it
    all keep their ratios, so the storm takes the same course with ``scale`` times the
    requests (and more Poisson noise). A live redraw runs at half scale to fit its budget;
    at every setting of the explorable it reaches the same verdict, recovered or not (a
    test checks it).

    Raises
    ------
    ValueError
        If *defence* is unknown, *retries* not from 0 to 5 or *scale* not in (0, 1].

    Examples
    --------
    >>> calm = spike_run("none", retries=0, seed=1)
    >>> calm.recovered_at < 12
    True
    """
    arguments.choice("defence", defence, DEFENCES)
    retries = arguments.integer("retries", retries, low=0, high=5)
    mu = relay.LOGIC_SERVICE_RATE * arguments.real("scale", scale, low=0, high=1,
                                                   low_open=True)
    sim = Simulation(seed=seed, record_queues=False, max_events=2_000_000)
    shed = {"queue_time_limit": TIMEOUT} if defence == "shed stale work" else {}
    server = spawn_server(sim, "logic", service=Exponential(mu), policy=policy, **shed)
    clients = retrying_clients(
        sim, "logic", schedule=spike(BASE_LOAD * mu, SPIKE_LOAD * mu, SPIKE_START, SPIKE_END),
        timeout=TIMEOUT, retries=retries,
        budget=0.1 if defence == "retry budget" else None,
        throttle=2.0 if defence == "adaptive throttling" else None,
    )
    sim.run(until=RUN_SECONDS)
    return _timeline(defence, retries, server, clients, mu)


def _timeline(defence, retries, server, clients, capacity) -> SpikeResult:
    base_rate = BASE_LOAD * capacity
    bins = np.arange(0.0, RUN_SECONDS + 1.0)
    starts = np.asarray(clients.starts)
    ok = np.asarray(clients.outcomes) == "ok"
    goodput = np.histogram(starts[ok], bins)[0].astype(float)
    offered = np.histogram(np.asarray(clients.sent), bins)[0].astype(float)
    times, lengths = np.array(server.queue_log, dtype=float).T
    slot = np.clip(np.searchsorted(bins, times, side="right") - 1, 0, len(bins) - 2)
    queue = np.zeros(len(bins) - 1)
    np.maximum.at(queue, slot, lengths)
    recovered = _recovery(bins, goodput, base_rate)
    return SpikeResult(defence=defence, retries=retries, seconds=bins[:-1], goodput=goodput,
                       offered=offered, queue=queue, recovered_at=recovered,
                       base_rate=base_rate, capacity=capacity)


def _recovery(bins, goodput, base_rate) -> float:
    # Goodput of the last bin is cut short by requests still in flight: leave it out.
    # A 3-second average keeps Poisson noise (about 8/s at 70/s) from reading as failure.
    window = np.convolve(goodput[:-1], np.ones(RECOVERY_WINDOW) / RECOVERY_WINDOW, "valid")
    healthy = window >= RECOVERY_SHARE * base_rate
    for i in np.flatnonzero(bins[: healthy.size] >= SPIKE_END):
        if healthy[i:].all():
            return float(bins[i])
    return float("inf")
