"""Simulate processes that exchange messages over a faulty network, on simpy.

Chapters 2 to 4 model calls, timeouts, retries, supervisors, partitions and overload on
this core. A run is a :class:`Simulation`: processes with mailboxes and handlers
(:mod:`~reactive_lab.core.sim.processes`, :mod:`~reactive_lab.core.sim.context`,
:mod:`~reactive_lab.core.sim.lifecycle`), a network with per-link latency, loss,
duplication, reordering and partitions (:mod:`~reactive_lab.core.sim.network`), crash
and restart schedules (:mod:`~reactive_lab.core.sim.faults`), open- and closed-loop load
(:mod:`~reactive_lab.core.sim.load`), what was observed
(:mod:`~reactive_lab.core.sim.observe`), the message trace
(:mod:`~reactive_lab.core.sim.trace`) and learner handlers checked under faults
(:mod:`~reactive_lab.core.sim.scenario`, :mod:`~reactive_lab.core.sim.checker`,
:mod:`~reactive_lab.core.sim.workloads`).

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

Cost, for sizing a live explorable (``benchmarks/sim_bench.py``: Relay's three-hop path,
one process per node, a reply, a client timeout). A request costs about 9 scheduled events
without faults and 11 with 10% loss and retries. On an idle core of the course's build
machine that is about 25 µs per request (40,000 requests per s); when the shared machine
is busy, 2-3x more. Recording queue lengths (the default) adds about 15%, ``trace=True``
doubles the cost. A live explorable has 100 ms for compute, draw and PNG, and drawing
takes 30-60 of them, so its model should simulate a few hundred requests, 1,000 at most
(about 10,000 events: 25 ms on an idle core), with tracing off; ``max_events`` stops a run
that grows past its budget. ``make bench`` times the core against an idiomatic simpy model of
the same path, in the same run.
"""

from reactive_lab.core.sim.checker import FailedRun, Verdict, check_handler
from reactive_lab.core.sim.context import Context, Exit
from reactive_lab.core.sim.faults import crash_at, crash_randomly, partition
from reactive_lab.core.sim.kernel import MAX_EVENTS, EventLimitError, Simulation
from reactive_lab.core.sim.load import Client, closed_loop, open_loop
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
from reactive_lab.core.sim.processes import Process
from reactive_lab.core.sim.scenario import HandlerError, Scenario, run_scenario
from reactive_lab.core.sim.schedules import RateSchedule, ramp, spike
from reactive_lab.core.sim.trace import TraceEvent, draw_sequence, format_trace
from reactive_lab.core.sim.workloads import Payments, payments

__all__ = [
    "KINDS",
    "MAX_EVENTS",
    "TIMED_OUT",
    "Client",
    "Context",
    "Down",
    "EventLimitError",
    "Exit",
    "FailedRun",
    "HandlerError",
    "Link",
    "Message",
    "MessageStats",
    "Network",
    "Partition",
    "Payments",
    "Process",
    "RateSchedule",
    "Requests",
    "Scenario",
    "Simulation",
    "Summary",
    "TraceEvent",
    "Verdict",
    "availability",
    "check_handler",
    "closed_loop",
    "crash_at",
    "crash_randomly",
    "draw_sequence",
    "format_trace",
    "mean_queue_length",
    "open_loop",
    "partition",
    "payments",
    "queue_lengths",
    "ramp",
    "requests",
    "run_scenario",
    "spike",
    "summarise",
]
