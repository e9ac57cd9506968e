"""What a run observed: per-request records, latency, goodput, queue lengths, up time.

A load test reports a few numbers; each hides a choice. *Throughput* counts the replies
the servers produced per unit time, whether or not anyone still waited for them;
*goodput* counts only the requests answered in time. Under overload with timeouts the two
part: the servers stay busy answering callers who already gave up. Latency percentiles
here are over the requests answered in time, and count every retry's wait.

>>> from reactive_lab.core import Exponential
>>> from reactive_lab.core.sim import Simulation, open_loop, summarise
>>> sim = Simulation(seed=1)
>>> _ = sim.spawn("s", lambda ctx, body: ctx.reply("ok"), service=Exponential(10.0))
>>> _ = open_loop(sim, "s", rate=5.0)
>>> sim.run(until=200.0)
>>> s = summarise(sim)
>>> s.ok == s.requests - s.pending, round(s.goodput)
(True, 5)
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab.core import arguments
from reactive_lab.core.metrics import percentiles

__all__ = ["Requests", "Summary", "availability", "mean_queue_length", "queue_lengths",
           "requests", "summarise"]


@dataclass(frozen=True, eq=False)
class Requests:
    """Every request of every load generator, as arrays in order of start time.

    One row per request: when it was sent and answered, how many attempts it took, its
    outcome, and what the network did to its messages.
    """

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    """NaN for requests still pending."""
    attempts: np.ndarray
    outcomes: np.ndarray
    """``"ok"``, ``"timed out"`` or ``"pending"``."""
    lost: np.ndarray
    """Messages of each request (every attempt, every hop) lost on a link."""
    duplicated: np.ndarray
    """Extra copies of the request's messages the network delivered."""
    dropped: np.ndarray
    """The request's messages that reached a crashed, cut-off or full process."""

    @property
    def retried(self) -> np.ndarray:
        """Retries each request needed (attempts after the first)."""
        return self.attempts - 1

    @property
    def ok(self) -> np.ndarray:
        """True where the request was answered in time."""
        return self.outcomes == "ok"

    @property
    def latencies(self) -> np.ndarray:
        """End minus start of the requests answered in time, retries included."""
        return (self.ends - self.starts)[self.ok]


def requests(sim, since: float = 0.0) -> Requests:
    """Return the records of the requests started at or after *since*.

    >>> from reactive_lab.core.sim import Simulation
    >>> requests(Simulation()).ids.size
    0
    """
    since = arguments.real("since", since, low=0)
    columns = {"ids": [], "starts": [], "ends": [], "attempts": [], "outcomes": []}
    for client in sim.clients:
        for key in columns:
            columns[key].extend(getattr(client, key))
    arrays = {key: np.asarray(value) for key, value in columns.items()}
    order = np.argsort(arrays["starts"], kind="stable")
    keep = order[arrays["starts"][order] >= since]
    ids = arrays["ids"].astype(int)[keep]
    faults = {kind: np.array([counts[i] for i in ids.tolist()], dtype=int)
              for kind, counts in sim.request_faults.items()}
    return Requests(
        ids=ids,
        starts=arrays["starts"].astype(float)[keep],
        ends=arrays["ends"].astype(float)[keep],
        attempts=arrays["attempts"].astype(int)[keep],
        outcomes=arrays["outcomes"].astype(str)[keep],
        **faults,
    )


@dataclass(frozen=True)
class Summary:
    """A run's headline numbers (per unit of simulated time)."""

    duration: float
    requests: int
    ok: int
    timed_out: int
    pending: int
    throughput: float
    """Replies sent by the servers per unit time (useful or not)."""
    goodput: float
    """Requests answered in time per unit time."""
    mean_attempts: float
    latency: dict
    """Percentiles of the answered requests' latency, ``{q: value}`` (empty if none)."""
    messages: dict
    """The run's :class:`~reactive_lab.core.sim.messages.MessageStats` counts."""


def summarise(sim, since: float = 0.0, qs=(50, 95, 99)) -> Summary:
    """Return the headline numbers of requests started at or after *since* (a warm-up).

    Rates are over the window from *since* to now. Message counts cover the whole run.

    Raises
    ------
    ValueError
        If *since* is not before the current time.

    Examples
    --------
    >>> from reactive_lab.core.sim import Simulation
    >>> sim = Simulation()
    >>> sim.run(until=1.0)
    >>> summarise(sim).requests
    0
    """
    since = arguments.real("since", since, low=0)
    if since >= sim.now:
        raise ValueError(f"since must be before the end of the run, {sim.now:g} (got {since:g})")
    records = requests(sim, since)
    duration = sim.now - since
    replies = np.asarray(sim.reply_times)
    latencies = records.latencies
    return Summary(
        duration=duration,
        requests=int(records.ids.size),
        ok=int(records.ok.sum()),
        timed_out=int((records.outcomes == "timed out").sum()),
        pending=int((records.outcomes == "pending").sum()),
        throughput=float((replies >= since).sum() / duration),
        goodput=float(records.ok.sum() / duration),
        mean_attempts=float(records.attempts.mean()) if records.ids.size else 0.0,
        latency=percentiles(latencies, qs) if latencies.size else {},
        messages=sim.stats.as_dict(),
    )


def queue_lengths(sim, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(times, lengths)``: the mailbox length of *name* after each change.

    Raises
    ------
    ValueError
        If *name* is not a process, or the run did not record queues.

    Examples
    --------
    >>> from reactive_lab.core.sim import Simulation
    >>> sim = Simulation()
    >>> _ = sim.spawn("p", lambda ctx, body: None)
    >>> queue_lengths(sim, "p")
    (array([0.]), array([0]))
    """
    log = getattr(sim.endpoint(name), "queue_log", None)
    if log is None:
        raise ValueError(f"name must be a process of a run with record_queues=True "
                         f"(got {name!r})")
    times, lengths = np.array(log, dtype=float).T  # one C loop over the log's pairs
    return times, lengths.astype(int)


def mean_queue_length(sim, name: str, since: float = 0.0) -> float:
    """Return the time-average mailbox length of *name* from *since* to now.

    >>> from reactive_lab.core.sim import Simulation
    >>> sim = Simulation()
    >>> _ = sim.spawn("p", lambda ctx, body: None)
    >>> sim.run(until=2.0)
    >>> mean_queue_length(sim, "p")
    0.0
    """
    times, lengths = queue_lengths(sim, name)
    since = arguments.real("since", since, low=0, high=sim.now, high_open=True)
    edges = np.clip(np.append(times, sim.now), since, sim.now)
    return float(np.sum(lengths * np.diff(edges)) / (sim.now - since))


def availability(sim, name: str, since: float = 0.0) -> float:
    """Return the fraction of the time from *since* to now that process *name* was up.

    >>> from reactive_lab.core.sim import Simulation, crash_at
    >>> sim = Simulation()
    >>> _ = sim.spawn("p", lambda ctx, body: None)
    >>> crash_at(sim, "p", at=1.0, restart_after=1.0)
    >>> sim.run(until=4.0)
    >>> availability(sim, "p")
    0.75
    """
    outages = getattr(sim.endpoint(name), "outages", None)
    if outages is None:
        raise ValueError(f"name must be a process (got {name!r}, a load generator)")
    since = arguments.real("since", since, low=0, high=sim.now, high_open=True)
    down = sum(min(end if end is not None else sim.now, sim.now) - max(start, since)
               for start, end in outages
               if (end is None or end > since))
    return 1.0 - down / (sim.now - since)
