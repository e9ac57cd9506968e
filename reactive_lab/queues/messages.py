"""Relay's lookup path as processes on the simulation core: phone, front-end, logic, directory.

The model behind the page "Messages, timeouts and faults": a phone's lookup crosses a
front-end node and a logic node, each of which forwards it, to the user directory, which
answers the phone directly (the OTP idiom of passing ``From`` along). Every link delays a
message by :data:`reactive_lab.relay.LINK_MS` and may lose it; the phone times out and
retries.

>>> sim = relay_path(loss=0.0, requests=50, seed=1)
>>> sim.processes["phone"].outcomes.count("ok")
50
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

from reactive_lab import relay
from reactive_lab.core import arguments
from reactive_lab.core.distributions import Deterministic
from reactive_lab.core.sim import Simulation, open_loop

__all__ = ["relay_path"]


def relay_path(loss, requests, seed=None, *, trace=False, record_queues=True):
    """Simulate *requests* lookups through front-end, logic and directory; return the run.

    Parameters
    ----------
    loss : float
        Probability that a link loses a message, from 0 to 1.
    requests : int
        Lookups the phone sends, as a Poisson stream at Relay's logic-node arrival rate.
    seed : int or None
        Same seed, same run.
    trace : bool, default False
        Keep the message trace (for a sequence diagram; it doubles the cost).
    record_queues : bool, default True
        Log mailbox lengths over time.

    Returns
    -------
    reactive_lab.core.sim.Simulation
        The finished run; ``run.processes["phone"]`` holds each lookup's outcome.
    """
    loss = arguments.probability("loss", loss)
    requests = arguments.integer("requests", requests, low=1, high=1_000_000)
    sim = Simulation(seed=seed, latency=Deterministic(relay.LINK_MS), loss=loss, trace=trace,
                     record_queues=record_queues)
    sim.spawn("front-end", lambda ctx, body: ctx.forward("logic", body),
              service=Deterministic(relay.HOP_MS["front-end"]))
    sim.spawn("logic", lambda ctx, body: ctx.forward("directory", body),
              service=Deterministic(relay.HOP_MS["logic"]))
    sim.spawn("directory", lambda ctx, body: ctx.reply(f"user {body}"),
              service=relay.LOOKUP_MS)
    rate_per_ms = relay.LOGIC_ARRIVAL_RATE / 1000
    phone = open_loop(sim, "front-end", rate=rate_per_ms, requests=requests, name="phone",
                      timeout=relay.LOOKUP_TIMEOUT_MS, retries=relay.LOOKUP_RETRIES,
                      body=lambda request: f"#{request}")
    # Run until every lookup has its outcome: a slow Poisson stream can end later than
    # requests / rate, and a run cut short would count its last lookups as unanswered.
    slack = (relay.LOOKUP_RETRIES + 2) * relay.LOOKUP_TIMEOUT_MS
    until = requests / rate_per_ms + slack
    sim.run(until=until)
    while len(phone.outcomes) < requests or "pending" in phone.outcomes:
        until += slack
        sim.run(until=until)
    return sim
