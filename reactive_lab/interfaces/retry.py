"""Retry policies, retry budgets, the contention race and retry amplification across layers.

A **retry policy** is a small object with one method, ``delay(attempt, previous, uniform)``:
how long to wait before attempt number *attempt* (2 for the first retry), given the
previous wait and a uniform draw in [0, 1). A learner can write one in three lines. The
six here follow Brooker's *Exponential Backoff and Jitter*:

>>> [Exponential(base=1, cap=100).delay(a, 0.0, 0.5) for a in (2, 3, 4)]
[1.0, 2.0, 4.0]
>>> [FullJitter(base=1, cap=100).delay(a, 0.0, 0.5) for a in (2, 3, 4)]
[0.5, 1.0, 2.0]

:func:`retry_race` is Brooker's experiment on the simulation core: many clients want the
same resource at the same moment; an attempt that finds it busy fails and is retried after
the policy's delay. It counts the calls the resource had to turn away, and the time until
every client got through. :func:`amplification_run` chains services that each retry, and
counts what reaches the bottom; a :class:`RetryBudget` (a token bucket of retries) caps it.
"""

# Taught in chapters/02-interfaces/retries.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Deterministic
from reactive_lab.core.sim import Simulation, open_loop

__all__ = [
    "POLICIES",
    "Decorrelated",
    "EqualJitter",
    "Exponential",
    "Fixed",
    "FullJitter",
    "Immediate",
    "RaceResult",
    "RetryBudget",
    "amplification_run",
    "retry_race",
]


@dataclass(frozen=True)
class Immediate:
    """Retry at once: the policy that turns a busy resource into a stampede."""

    def delay(self, attempt: int, previous: float, uniform: float) -> float:
        """Return 0.

        >>> Immediate().delay(5, 0.0, 0.3)
        0.0
        """
        return 0.0


@dataclass(frozen=True)
class Fixed:
    """Wait the same *base* before every retry: clients that collided collide again."""

    base: float = 1.0

    def delay(self, attempt: int, previous: float, uniform: float) -> float:
        """Return *base*.

        >>> Fixed(2.0).delay(3, 0.0, 0.9)
        2.0
        """
        return self.base


@dataclass(frozen=True)
class Exponential:
    """Double the wait each retry, up to *cap*: ``min(cap, base * 2**(attempt - 2))``."""

    base: float = 1.0
    cap: float = 100.0

    def delay(self, attempt: int, previous: float, uniform: float) -> float:
        """Return the capped exponential delay before *attempt*.

        >>> Exponential(1.0, cap=5.0).delay(6, 0.0, 0.1)
        5.0
        """
        return min(self.cap, self.base * 2.0 ** (attempt - 2))


@dataclass(frozen=True)
class FullJitter:
    """A uniform draw between 0 and the exponential delay: spreads the herd the most."""

    base: float = 1.0
    cap: float = 100.0

    def delay(self, attempt: int, previous: float, uniform: float) -> float:
        """Return ``uniform * min(cap, base * 2**(attempt - 2))``.

        >>> FullJitter(1.0).delay(2, 0.0, 0.25)
        0.25
        """
        return uniform * Exponential(self.base, self.cap).delay(attempt, previous, uniform)


@dataclass(frozen=True)
class EqualJitter:
    """Half the exponential delay, plus a uniform draw over the other half."""

    base: float = 1.0
    cap: float = 100.0

    def delay(self, attempt: int, previous: float, uniform: float) -> float:
        """Return ``d/2 + uniform * d/2`` for the exponential delay *d*.

        >>> EqualJitter(1.0).delay(3, 0.0, 0.5)
        1.5
        """
        half = Exponential(self.base, self.cap).delay(attempt, previous, uniform) / 2
        return half + uniform * half


@dataclass(frozen=True)
class Decorrelated:
    """Each wait drawn between *base* and three times the previous one, capped.

    ``min(cap, base + uniform * (3 * previous - base))``; the first retry treats the
    previous wait as *base*.
    """

    base: float = 1.0
    cap: float = 100.0

    def delay(self, attempt: int, previous: float, uniform: float) -> float:
        """Return the decorrelated-jitter delay.

        >>> Decorrelated(1.0).delay(2, 0.0, 0.5)          # between 1 and 3
        2.0
        """
        last = max(previous, self.base)
        return min(self.cap, self.base + uniform * (3 * last - self.base))


POLICIES = {
    "immediate": Immediate(), "fixed": Fixed(), "exponential": Exponential(),
    "full jitter": FullJitter(), "equal jitter": EqualJitter(),
    "decorrelated": Decorrelated(),
}
"""One instance of each policy, base 1 and cap 100 (in units of the resource's hold time)."""


class RetryBudget:
    """A token bucket of retries: each request earns *ratio* tokens; a retry spends one.

    With ``ratio=0.1`` retries add at most 10% to the load once the *burst* is spent, so a
    failing service below sees 1.1 calls per request, not 3 (gRPC's retry throttling and
    Finagle's ``RetryBudget`` work this way).

    >>> budget = RetryBudget(ratio=0.5, burst=1)
    >>> budget.allow(), budget.allow()                 # the burst, then nothing
    (True, False)
    >>> budget.deposit(); budget.deposit(); budget.allow()
    True
    """

    def __init__(self, ratio: float = 0.1, burst: float = 10.0):
        self.ratio = arguments.real("ratio", ratio, low=0, high=10)
        self.burst = arguments.real("burst", burst, low=0, high=1_000)
        self.tokens = self.burst

    def deposit(self) -> None:
        """Earn *ratio* tokens for a request (the bucket holds at most *burst*, or 1)."""
        self.tokens = min(max(self.burst, 1.0), self.tokens + self.ratio)

    def allow(self) -> bool:
        """Spend a token for a retry if there is one; return whether the retry may go."""
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


_RACE_ROUNDS = 50
"""Chunks of 100 hold times per client a race may run before the policy is judged stuck."""


def _check_policy(policy):
    if not callable(getattr(policy, "delay", None)):
        raise ValueError(f"policy must have a method delay(attempt, previous, uniform), "
                         f"such as FullJitter() (got {policy!r})")
    return policy


@dataclass(frozen=True)
class RaceResult:
    """Brooker's race: calls the resource took, and when the last client got through."""

    clients: int
    calls: int
    completion: float
    log: tuple = ()
    """``(time, client number, let in?)`` for every call the resource answered."""


def retry_race(policy, clients: int = 20, hold: float = 1.0, seed=None) -> RaceResult:
    """Let *clients* clients want one resource at time 0; return calls and completion time.

    The resource serves one client at a time for *hold*; an attempt that finds it busy is
    refused at once (an optimistic-concurrency conflict, a try-lock) and its client
    retries after ``policy.delay(...)``. Messages take 0.05 each way.

    Parameters
    ----------
    policy : object with ``delay(attempt, previous, uniform)``
    clients : int, default 20
        Contending clients, 1 to 200.
    hold : float, default 1.0
        How long a successful attempt holds the resource, above 0.
    seed : int, optional

    Raises
    ------
    ValueError
        If *policy* has no ``delay`` method, a parameter is out of range, or the policy
        waits so long that a client is still waiting after 5,000 hold times per client.

    Examples
    --------
    >>> r = retry_race(Fixed(0.95), clients=2, hold=1.0)
    >>> r.calls, r.completion          # refused at 0.05, let in at 1.1 (0.05 + 0.1 + 0.95)
    (3, 2.1)
    """
    policy = _check_policy(policy)
    clients = arguments.integer("clients", clients, low=1, high=200)
    hold = arguments.positive("hold", hold)
    sim = Simulation(seed=seed, latency=Deterministic(0.05), record_queues=False,
                     max_events=2_000_000)
    finished: list[float] = []
    log: list[tuple] = []

    def resource(ctx, body):
        free = ctx.state <= ctx.now
        log.append((ctx.now, int(ctx.message.sender[len("client"):]), free))
        if free:
            ctx.state = ctx.now + hold
            finished.append(ctx.state)
        ctx.reply("ok" if free else "busy")

    sim.spawn("resource", resource, init=-1.0)
    uniform = sim.seeds.uniforms()

    def client(ctx, body):
        def answer(ctx, reply):
            if reply == "ok":
                return
            ctx.state["attempt"] += 1
            wait = float(policy.delay(ctx.state["attempt"], ctx.state["wait"], uniform()))
            ctx.state["wait"] = wait
            ctx.timer(wait, "try")

        ctx.call("resource", "take", timeout=1e9, then=answer)

    for i in range(clients):
        name = f"client{i}"
        sim.spawn(name, client, init=lambda: {"attempt": 1, "wait": 0.0})
        sim.start_timer(name, 0.0, "try")
    for _ in range(_RACE_ROUNDS):
        if len(finished) == clients:
            break
        sim.run(until=sim.now + 100 * hold * clients)
    else:
        raise ValueError(f"policy must let every client through within "
                         f"{_RACE_ROUNDS * 100 * clients} hold times (got {policy!r}, "
                         f"{clients - len(finished)} client(s) still waiting)")
    return RaceResult(clients, sim.processes["resource"].handled, round(max(finished), 6),
                      tuple(log))


def amplification_run(layers: int, tries: int, requests: int = 100, budget_ratio=None,
                      seed=None) -> float:
    """Return calls reaching the bottom per request when the bottom always fails.

    *layers* services call one another in a chain; each tries up to *tries* times when
    the layer below answers with an error, then answers its caller with an error. The
    bottom (a dead database, say) always fails. With *budget_ratio* each layer's retries
    also need a token from its own :class:`RetryBudget` (burst 0, the ratio per request).

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> amplification_run(layers=3, tries=3, requests=10)     # 3 ** 3
    27.0
    """
    layers = arguments.integer("layers", layers, low=1, high=6)
    tries = arguments.integer("tries", tries, low=1, high=5)
    requests = arguments.integer("requests", requests, low=1, high=1_000)
    sim = Simulation(seed=seed, latency=Deterministic(0.001), record_queues=False)
    sim.spawn("bottom", lambda ctx, body: ctx.reply("error"))
    for level in range(layers, 0, -1):
        below = "bottom" if level == layers else f"layer{level + 1}"
        budget = None if budget_ratio is None else RetryBudget(budget_ratio, burst=0.0)
        sim.spawn(f"layer{level}", _retrying(below, tries, budget), workers=1_000)
    open_loop(sim, "layer1", interarrival=Deterministic(1.0), requests=requests)
    sim.run(until=requests + 10.0)
    return sim.processes["bottom"].handled / requests


def _retrying(below, tries, budget):
    """A layer's handler: call *below*, retrying an error up to *tries* attempts in all."""

    def handle(ctx, body):
        if budget is not None:
            budget.deposit()
        made = [1]

        def answer(ctx, reply):
            if reply != "error":
                ctx.reply(reply)
            elif made[0] < tries and (budget is None or budget.allow()):
                made[0] += 1
                ctx.call(below, body, timeout=1e9, then=answer)
            else:
                ctx.reply("error")

        ctx.call(below, body, timeout=1e9, then=answer)

    return handle
