"""Simulate processes that exchange messages over a faulty network, on simpy.

Chapters 2 to 4 model calls, timeouts, retries, supervisors, partitions and overload on
this core. A run is a :class:`Simulation`: processes with mailboxes and handlers
(:mod:`~reactive_lab.core.sim.processes`), a network with per-link latency, loss,
duplication, reordering and partitions (:mod:`~reactive_lab.core.sim.network`), crash
and restart schedules (:mod:`~reactive_lab.core.sim.faults`), open- and closed-loop load
(:mod:`~reactive_lab.core.sim.load`), what was observed
(:mod:`~reactive_lab.core.sim.observe`), the message trace
(:mod:`~reactive_lab.core.sim.trace`) and learner handlers checked under faults
(:mod:`~reactive_lab.core.sim.scenario`).

>>> import reactive_lab as rl
>>> from reactive_lab.core.sim import Simulation, open_loop, summarise
>>> sim = Simulation(seed=1, latency=rl.core.Deterministic(0.001), loss=0.1)
>>> _ = sim.spawn("server", lambda ctx, body: ctx.reply("done"),
...               service=rl.core.Exponential(100.0))
>>> _ = open_loop(sim, "server", rate=50.0, timeout=0.5, retries=3)
>>> sim.run(until=60.0)
>>> s = summarise(sim)
>>> round(s.mean_attempts, 1), round(s.goodput)  # 1 / 0.9**2 attempts; 50 requests/s
(1.2, 50)

Cost, for sizing a live explorable (median of 5 runs on the course's 2-core build
machine, Python 3.11): a request through three hops with replies is about 9 events and
costs about 25 µs of simulation, so 2,000 requests take about 50 ms; with ``trace=True``
about twice that. A live figure (budget: 100 ms median for compute, draw and PNG, of which
drawing takes 30-60 ms) should simulate at most about 1,000-2,000 requests, or 20,000
events; ``max_events`` stops a run that grows past its budget. ``make bench`` measures the
core against an idiomatic simpy model of the same path (``benchmarks/sim_bench.py``).
"""

from reactive_lab.core.sim.faults import crash_at, crash_randomly, partition
from reactive_lab.core.sim.kernel import MAX_EVENTS, EventLimitError, Simulation
from reactive_lab.core.sim.load import Client, RateSchedule, closed_loop, open_loop, ramp, spike
from reactive_lab.core.sim.messages import KINDS, TIMED_OUT, Down, Message, MessageStats
from reactive_lab.core.sim.network import Link, Network, Partition
from reactive_lab.core.sim.observe import (
    Requests,
    Summary,
    availability,
    mean_queue_length,
    queue_lengths,
    requests,
    summarise,
)
from reactive_lab.core.sim.processes import Context, Process
from reactive_lab.core.sim.trace import TraceEvent, draw_sequence, format_trace

__all__ = [
    "KINDS",
    "MAX_EVENTS",
    "TIMED_OUT",
    "Client",
    "Context",
    "Down",
    "EventLimitError",
    "Link",
    "Message",
    "MessageStats",
    "Network",
    "Partition",
    "Process",
    "RateSchedule",
    "Requests",
    "Simulation",
    "Summary",
    "TraceEvent",
    "availability",
    "closed_loop",
    "crash_at",
    "crash_randomly",
    "draw_sequence",
    "format_trace",
    "mean_queue_length",
    "open_loop",
    "partition",
    "queue_lengths",
    "ramp",
    "requests",
    "spike",
    "summarise",
]
