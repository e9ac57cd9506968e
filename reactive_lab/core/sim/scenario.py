"""Learner code under faults: run a handler as a node, inject faults, check an invariant.

The idea is Jepsen's Maelstrom: a node is a plain function over plain data,

    ``handler(state, message) -> (state, messages)``

where *message* is ``{"src": ..., "dest": ..., "body": {...}}`` and each message sent is
``{"dest": ..., "body": {...}}``. The trusted side owns everything else: the network
(latency, loss, duplication, reordering, a partition), crashes (a crash loses the state;
the node starts again from ``None`` and gets an ``{"type": "init", ...}`` message first),
the clients (who retry when a reply is late) and the invariant checker. Because only plain
data crosses the boundary (it is copied through JSON), the same handler could run in a
sandbox, one message at a time, as the grader does.

:func:`run_scenario` runs a handler once and returns what the clients saw and the trace;
:func:`~reactive_lab.core.sim.checker.check_handler` runs it over many seeds and judges.

>>> def echo(state, message):
...     body = message["body"]
...     reply = {"type": "pay_ok", "applied": [], "in_reply_to": body.get("msg_id")}
...     return state, [{"dest": message["src"], "body": reply}]
>>> violation, history, trace = run_scenario(echo, seed=1)
>>> violation
'payment c2-1 was acknowledged but never applied'
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.sim.kernel import EventLimitError, Simulation
from reactive_lab.core.sim.workloads import payments

__all__ = ["HandlerError", "Scenario", "run_scenario"]


class HandlerError(ValueError):
    """The learner's handler raised, or returned something other than (state, messages)."""


@dataclass(frozen=True)
class Scenario:
    """The world a handler runs in: nodes, clients, network faults, crashes, timing.

    Times are in units of the mean network latency (1 by default).

    Parameters
    ----------
    nodes : tuple of str
        Names of the nodes running the handler; client *i* talks to node ``i % len``.
    clients, operations : int
        Clients (1 to 20) and operations per client (1 to 200) in a run.
    loss, duplicate, reorder : float
        Per-message probabilities on every link.
    crash_every : float or None
        Mean time between crashes of each node (exponential); None: no crashes.
    restart_after : float
        Mean down time after a crash (exponential).
    timeout : float
        How long a client waits for a reply before sending the operation again.
    retries : int
        Further attempts before a client gives up on an operation (0 to 20).
    think : float
        Mean pause between a client's operations (exponential).

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> Scenario(clients=3, loss=0.1, duplicate=0.05).nodes
    ('n1',)
    >>> Scenario(clients=0)
    Traceback (most recent call last):
    ...
    ValueError: clients must be an int from 1 to 20 (got 0)
    """

    nodes: tuple = ("n1",)
    clients: int = 2
    operations: int = 5
    loss: float = 0.0
    duplicate: float = 0.0
    reorder: float = 0.0
    crash_every: float | None = None
    restart_after: float = 5.0
    timeout: float = 5.0
    retries: int = 5
    think: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "nodes", arguments.distinct_names("nodes", self.nodes))
        for name, high in (("clients", 20), ("operations", 200)):
            arguments.integer(name, getattr(self, name), low=1, high=high)
        arguments.integer("retries", self.retries, low=0, high=20)
        for name in ("loss", "duplicate", "reorder"):
            arguments.probability(name, getattr(self, name))
        arguments.real("loss", self.loss, high=0.9)  # beyond it no operation gets through
        for name in ("restart_after", "timeout", "think"):
            arguments.positive(name, getattr(self, name))
        if self.crash_every is not None:
            arguments.positive("crash_every", self.crash_every)


def _plain(what: str, value):
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as error:
        raise HandlerError(f"{what} must be plain data (dicts with str keys, lists, str, "
                           f"numbers, bool, None) (got {value!r}: {error})") from None


def _node(handler, node_ids):
    """Wrap the learner's handler as a core process handler."""

    def call(state, message):
        try:
            result = handler(state, message)
        except Exception as error:
            raise HandlerError(f"the handler raised {type(error).__name__}: {error} "
                               f"on message {message!r} with state {state!r}") from error
        if not (isinstance(result, tuple | list) and len(result) == 2):
            raise HandlerError(f"the handler must return (state, messages) (got {result!r} "
                               f"for message {message!r})")
        return result

    def process(ctx, body):
        if ctx.state is None:  # started, or restarted after a crash: state was lost
            init = {"src": ctx.me, "dest": ctx.me,
                    "body": {"type": "init", "node_id": ctx.me, "node_ids": list(node_ids)}}
            ctx.state = _plain("state", call(None, init)[0])
        message = _plain("message", {"src": ctx.message.sender, "dest": ctx.me, "body": body})
        state, outgoing = call(_plain("state", ctx.state), message)
        ctx.state = _plain("state", state)
        if not isinstance(outgoing, list | tuple):
            raise HandlerError(f"messages must be a list of {{'dest': ..., 'body': ...}} "
                               f"(got {outgoing!r})")
        for sent in _plain("messages", list(outgoing)):
            if not (isinstance(sent, dict) and set(sent) == {"dest", "body"}
                    and sent["dest"] in ctx.process.sim.processes):
                raise HandlerError(f"each message sent must be {{'dest': a known address, "
                                   f"'body': ...}} (got {sent!r})")
            ctx.send(sent["dest"], sent["body"])

    return process


def _client(workload, scenario, index, target, draws, history, done):
    """A trusted client: one operation at a time, resent with a new msg_id on timeout."""
    name = f"c{index}"
    count = {"number": 0, "msg_id": 0, "attempts": 0, "entry": None, "ids": set()}

    def send(ctx):
        count["msg_id"] += 1
        count["ids"].add(count["msg_id"])
        count["attempts"] += 1
        count["entry"]["attempts"] = count["attempts"]
        ctx.send(target, {**count["entry"]["op"], "msg_id": count["msg_id"]})
        ctx.timer(scenario.timeout, {"timeout": count["msg_id"]})

    def finish(ctx, outcome):
        count["entry"]["outcome"] = outcome
        count["entry"] = None
        ctx.timer(draws["think"](), "next")

    def client(ctx, body):
        if body == "next":
            if count["number"] == scenario.operations:
                done(name)
                return
            count["number"] += 1
            count["attempts"] = 0
            count["ids"] = set()
            op = workload.request(index, count["number"], draws["uniform"])
            count["entry"] = {"client": name, "op": op, "outcome": "pending", "attempts": 0}
            history.append(count["entry"])
            send(ctx)
        elif count["entry"] is None:
            return  # a late reply or timer for an operation already finished
        elif isinstance(body, dict) and body.get("timeout") == count["msg_id"]:
            if count["attempts"] <= scenario.retries:
                send(ctx)
            else:
                finish(ctx, "timed out")
        elif isinstance(body, dict) and body.get("in_reply_to") in count["ids"]:
            finish(ctx, "ok")  # a reply to any attempt acknowledges the operation

    return name, client


def run_scenario(handler, workload=None, scenario=None, seed=None, *, trace=True,
                 max_events: int = 200_000):
    """Run *handler* once in *scenario*; return ``(violation or None, history, trace)``.

    The clients run their operations under the faults; then the faults stop (links heal,
    crashed nodes restart) and every node is asked the workload's final read.

    Raises
    ------
    HandlerError
        If the handler raised or returned something malformed (the message says which
        input, and what it returned), or sent messages without end.
    """
    workload = payments() if workload is None else workload
    scenario = Scenario() if scenario is None else scenario
    sim = Simulation(seed=seed, latency=Exponential(1.0), loss=scenario.loss,
                     duplicate=scenario.duplicate, reorder=scenario.reorder, trace=trace,
                     record_queues=False, max_events=max_events)
    for node in scenario.nodes:
        sim.spawn(node, _node(handler, scenario.nodes), init=None)
    draws = {"think": sim.seeds.draws(Exponential(1 / scenario.think)),
             "uniform": sim.seeds.uniforms()}
    history, finished = [], set()
    all_done = sim.env.event()

    def done(name):
        finished.add(name)
        if len(finished) == scenario.clients and not all_done.triggered:
            all_done.succeed()

    for i in range(1, scenario.clients + 1):
        target = scenario.nodes[(i - 1) % len(scenario.nodes)]
        name, client = _client(workload, scenario, i, target, draws, history, done)
        sim.spawn(name, client)
        sim.start_timer(name, draws["think"](), "next")
    if scenario.crash_every is not None:
        _crash_nodes(sim, scenario, all_done)
    horizon = scenario.operations * (scenario.think + scenario.timeout
                                     * (scenario.retries + 1)) * 4
    try:
        sim.env.run(until=sim.env.any_of([all_done, sim.env.timeout(horizon)]))
        finals = _final_reads(sim, workload, scenario)
    except EventLimitError:
        raise HandlerError(f"the handler kept sending messages: the run passed "
                           f"{max_events:,} events with only {len(history)} operations; "
                           "does a node answer every message with a new one?") from None
    return workload.check(history, finals), history, sim.trace


def _crash_nodes(sim, scenario, all_done):
    up = sim.seeds.draws(Exponential(1 / scenario.crash_every))
    down = sim.seeds.draws(Exponential(1 / scenario.restart_after))

    def crash(event):
        if not all_done.triggered:
            sim.crash(event.value, reason="injected crash")
            sim.after(down(), restart, event.value)

    def restart(event):
        sim.restart(event.value)
        sim.after(up(), crash, event.value)

    for node in scenario.nodes:
        sim.after(up(), crash, node)


def _final_reads(sim, workload, scenario) -> dict:
    """Stop the faults, then ask every node the final read (retrying) and collect replies."""
    sim.network.heal()
    for node in scenario.nodes:
        sim.restart(node)
    finals = {}

    def reader(ctx, body):
        if isinstance(body, dict) and "in_reply_to" in body:
            finals.setdefault(ctx.message.sender, body)
        elif body == "read" or (isinstance(body, dict) and "again" in body):
            for msg_id, node in enumerate(scenario.nodes, start=1):
                if node not in finals:
                    ctx.send(node, {**workload.final_read(), "msg_id": msg_id})
            attempt = body["again"] if isinstance(body, dict) else 0
            if attempt < scenario.retries:
                ctx.timer(scenario.timeout, {"again": attempt + 1})

    sim.spawn("checker", reader)
    sim.start_timer("checker", 0.0, "read")
    sim.run(until=sim.now + scenario.timeout * (scenario.retries + 2))
    return {node: finals.get(node) for node in scenario.nodes}
