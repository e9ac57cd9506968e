"""Back pressure: a fast producer, a slow consumer, and where the queue goes.

Picture a Relay front-end node passing messages to a logic node that routes fewer per
second than arrive. The work that cannot be done yet must wait somewhere; the only
question is where, and whether that place is bounded. Three ways to pass it on:

- ``"cast"``: send and forget (``gen_server:cast``, ``!``). The producer never waits, so
  the consumer's mailbox takes the excess: it grows by (arrival rate - service rate)
  every second, without bound, until the node runs out of memory.
- ``"call"``: send and wait for the reply (``gen_server:call``). The producer is blocked
  until the consumer answers, so the consumer's mailbox holds nothing waiting; the
  excess waits in the *producer's* mailbox instead. Bounded at *buffer*, the producer
  refuses new work when it is full: the push back reaches the edge, where a client can
  be told "not now". Each message also pays a round trip in which the consumer idles.
- ``"credits"``: the consumer hands out *window* credits; the producer sends while it
  has one and gets one back per message handled (as in TCP windows, Akka Streams'
  demand and GenStage). Up to *window* messages are in flight, so the consumer never
  idles waiting for a round trip, and its mailbox stays at most *window*.

>>> r = producer_consumer("cast", rate=120.0, seconds=10.0, seed=1)
>>> bool(r.consumer_queue.max() > 100)   # about (120 - 100) x 10 messages left waiting
True
>>> int(producer_consumer("credits", rate=120.0, seconds=10.0, seed=1).consumer_queue.max())
7
"""

# Taught in chapters/04-scalability/backpressure.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab import relay
from reactive_lab.core import arguments
from reactive_lab.core.distributions import Deterministic, Exponential
from reactive_lab.core.sim import Simulation, queue_lengths

__all__ = ["BUFFER", "MODES", "WINDOW", "FlowResult", "producer_consumer"]

MODES = ("cast", "call", "credits")
BUFFER = 50
"""Messages the producer may hold when it cannot pass them on (call: its mailbox;
credits: its own list)."""
WINDOW = 8
"""Credits the consumer grants in ``"credits"`` mode."""
HOP = 0.001
"""One-way network delay between the nodes (s)."""


@dataclass(frozen=True)
class FlowResult:
    """What a producer-consumer run did."""

    mode: str
    rate: float
    times: np.ndarray
    consumer_queue: np.ndarray
    """Consumer's mailbox length after each change."""
    producer_times: np.ndarray
    producer_queue: np.ndarray
    """Messages waiting at the producer after each change (its mailbox for calls, its
    list of messages without a credit for credits; always 0 for casts)."""
    delivered: float
    """Messages the consumer handled per second."""
    refused: float
    """Share of arriving messages the producer refused (its buffer was full)."""
    producer_peak: int
    """Most messages the producer held at once."""


def _producer(mode):
    def handle(ctx, body):
        state = ctx.state
        kind = ctx.message.kind
        if kind == "timer":  # a new message from outside
            if mode == "cast":
                ctx.send("consumer", body)
                return
            if mode == "call":  # blocks this worker; new messages wait in the mailbox
                ctx.call("consumer", body, timeout=3600.0)
                return
            if len(state["held"]) >= BUFFER:
                state["refused"] += 1
                return
            state["held"].append(body)
            state["peak"] = max(state["peak"], len(state["held"]))
            state["log"].append((ctx.now, len(state["held"])))
        elif kind == "cast" and body == "credit":
            state["credits"] += 1
        _pass_on(ctx, state)

    return handle


def _pass_on(ctx, state):
    while state["held"] and state["credits"] > 0:
        state["credits"] -= 1
        ctx.send("consumer", state["held"].pop(0))
        state["log"].append((ctx.now, len(state["held"])))


def _consumer(mode):
    def handle(ctx, body):
        if mode == "call":
            ctx.reply("done")
        elif mode == "credits":
            ctx.send("producer", "credit")

    return handle


def producer_consumer(mode: str, rate: float, seconds: float = 20.0,
                      seed=None) -> FlowResult:
    """Feed a consumer at ``LOGIC_SERVICE_RATE`` with *rate* messages/s through *mode*.

    Parameters
    ----------
    mode : {"cast", "call", "credits"}
    rate : float
        Poisson arrivals at the producer, per second, above 0 and at most 1,000.
    seconds : float
        Length of the run, above 0 and at most 300.
    seed : int, optional

    Returns
    -------
    FlowResult

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> r = producer_consumer("call", rate=150.0, seconds=5.0, seed=2)
    >>> int(r.consumer_queue.max()), r.refused > 0.2
    (0, True)
    """
    arguments.choice("mode", mode, MODES)
    rate = arguments.real("rate", rate, low=0, high=1_000, low_open=True)
    seconds = arguments.real("seconds", seconds, low=0, high=300, low_open=True)
    sim = Simulation(seed=seed, latency=Deterministic(HOP))
    init = {"held": [], "refused": 0, "peak": 0, "credits": WINDOW, "log": [(0.0, 0)]}
    producer = sim.spawn("producer", _producer(mode), init=init,
                         mailbox=BUFFER if mode == "call" else None)
    consumer = sim.spawn("consumer", _consumer(mode),
                         service=Exponential(relay.LOGIC_SERVICE_RATE))
    gaps = sim.seeds.draws(Exponential(rate))
    arrivals = [0]

    def arrive(_event):
        arrivals[0] += 1
        sim.start_timer("producer", 0.0, arrivals[0])
        sim.after(gaps(), arrive)

    sim.after(gaps(), arrive)
    sim.run(until=seconds)
    times, lengths = queue_lengths(sim, "consumer")
    if mode == "call":  # the excess waited, or was refused, at the producer's mailbox
        held_times, held = queue_lengths(sim, "producer")
        refused = sim.stats.dropped_full
    else:
        held_times, held = (np.asarray(x) for x in zip(*producer.state["log"]))
        refused = producer.state["refused"]
    return FlowResult(
        mode=mode, rate=rate, times=times, consumer_queue=lengths,
        producer_times=held_times.astype(float), producer_queue=held.astype(int),
        delivered=consumer.handled / seconds, refused=refused / max(arrivals[0], 1),
        producer_peak=int(held.max()),
    )
