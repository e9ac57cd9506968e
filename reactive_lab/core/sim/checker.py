"""Judge a learner's handler over many seeded runs: it holds, or here is the smallest failure.

A single run proves little: a bug that needs a lost reply and then a retry shows only in
the runs where both happen. :func:`check_handler` runs the handler over many seeded runs
and answers either "holds over N seeded runs" or the smallest failing run as a trace a
learner can follow:

>>> def ledger(state, message):
...     body = message["body"]
...     if body["type"] == "init":
...         return {"applied": []}, []
...     if body["type"] == "pay" and body["payment"] not in state["applied"]:
...         state["applied"].append(body["payment"])
...     kind = "read_ok" if body["type"] == "read" else "pay_ok"
...     reply = {"type": kind, "applied": state["applied"]}
...     reply["in_reply_to"] = body["msg_id"]
...     return state, [{"dest": message["src"], "body": reply}]
>>> from reactive_lab.core.sim import Scenario
>>> print(check_handler(ledger, scenario=Scenario(loss=0.1, duplicate=0.1), runs=20, seed=1))
holds over 20 seeded runs: every acknowledged payment was applied exactly once
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reactive_lab.core import arguments
from reactive_lab.core.sim.scenario import Scenario, run_scenario
from reactive_lab.core.sim.trace import format_trace
from reactive_lab.core.sim.workloads import payments

__all__ = ["FailedRun", "Verdict", "check_handler"]


@dataclass(frozen=True)
class FailedRun:
    """One run in which the invariant did not hold: what broke, what clients saw, the trace."""

    seed: int
    operations: int
    violation: str
    history: list = field(repr=False)
    trace: list = field(repr=False)

    def report(self) -> str:
        """Return the violation, the clients' history and the message trace, as text.

        >>> run = FailedRun(3, 1, "payment c1-1 was applied 2 times", [], [])
        >>> print(run.report().splitlines()[0])
        fails: payment c1-1 was applied 2 times
        """
        lines = [f"fails: {self.violation}",
                 f"smallest failing run: seed {self.seed}, {self.operations} operation(s) "
                 "per client", "", "what the clients saw:"]
        for entry in self.history:
            lines.append(f"  {entry['client']}: {entry['op']} -> {entry['outcome']}"
                         f" (after {entry['attempts']} attempt(s))")
        # Timers are the clients' own clockwork; the history already counts the retries.
        messages = [e for e in self.trace if e.message_kind != "timer"]
        lines += ["", "what happened to every message (time, who -> whom, body, fate):",
                  format_trace(messages, width=72)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Verdict:
    """The answer of :func:`check_handler`: the invariant held over every run, or not.

    >>> print(Verdict(True, 50, "no acknowledged write lost"))
    holds over 50 seeded runs: no acknowledged write lost
    """

    holds: bool
    runs: int
    invariant: str
    failure: FailedRun | None = None

    def __str__(self) -> str:
        if self.holds:
            return f"holds over {self.runs} seeded runs: {self.invariant}"
        return self.failure.report()


def check_handler(handler, workload=None, scenario=None, *, runs: int = 100,
                  seed: int = 0) -> Verdict:
    """Run *handler* over *runs* seeded runs of *scenario*; return the :class:`Verdict`.

    On the first failing run the search shrinks it: the same seed with fewer operations
    per client, keeping the smallest run that still fails, whose trace is shortest to read.

    Parameters
    ----------
    handler : callable
        ``handler(state, message) -> (state, messages)``, over plain data.
    workload : Payments, optional
        What clients do and the invariant (default: :func:`payments`).
    scenario : Scenario, optional
        Nodes, clients and faults (default: ``Scenario()``, no faults).
    runs : int, default 100
        Seeded runs, 1 to 10,000.
    seed : int, default 0
        Run *i* uses seed ``seed + i``.

    Returns
    -------
    Verdict
        ``str(verdict)`` is "holds over N seeded runs: ..." or the failing run's report.

    Raises
    ------
    ValueError
        If *handler* is not callable or a parameter is out of range.
    HandlerError
        If the handler raises or returns something malformed.

    Examples
    --------
    >>> def forgetful(state, message):       # acknowledges, never applies
    ...     body = message["body"]
    ...     reply = {"type": "pay_ok", "applied": [], "in_reply_to": body.get("msg_id")}
    ...     return state, [{"dest": message["src"], "body": reply}]
    >>> verdict = check_handler(forgetful, runs=5)
    >>> verdict.holds, verdict.failure.violation
    (False, 'payment c2-1 was acknowledged but never applied')
    """
    if not callable(handler):
        raise ValueError(f"handler must be a function (state, message) -> (state, messages) "
                         f"(got {handler!r})")
    workload = payments() if workload is None else workload
    scenario = Scenario() if scenario is None else scenario
    runs = arguments.integer("runs", runs, low=1, high=10_000)
    seed = arguments.integer("seed", seed, low=0)
    for i in range(runs):
        violation, history, trace = run_scenario(handler, workload, scenario, seed + i,
                                                 trace=False)
        if violation is not None:
            return Verdict(False, i + 1, workload.invariant,
                           _smallest(handler, workload, scenario, seed + i))
    return Verdict(True, runs, workload.invariant)


def _smallest(handler, workload, scenario, seed) -> FailedRun:
    for operations in range(1, scenario.operations + 1):
        smaller = replace(scenario, operations=operations)
        violation, history, trace = run_scenario(handler, workload, smaller, seed)
        if violation is not None:
            return FailedRun(seed, operations, violation, history, trace)
    raise AssertionError("a failing run must fail again with the same seed")  # pragma: no cover
