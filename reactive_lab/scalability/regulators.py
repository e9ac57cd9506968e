"""Admission policies: who gets in when more work arrives than a server can do.

A regulator stands at a server's door and answers one question per request: admit it, or
turn it away now, cheaply, while the client can still go elsewhere or give up. Each
policy here is a small object with two methods, the protocol a learner's own policy
follows too:

- ``admit(now, in_flight) -> bool``: called when a request arrives; *in_flight* counts
  the admitted requests not yet finished (in service or queued);
- ``completed(now, latency)``: called when an admitted request finishes, with its time in
  the server (optional: policies that do not learn need not define it).

A policy can also be a plain function ``admit(state, now, in_flight) -> (state, admitted)``
that keeps its memory in *state*: :class:`PlainPolicy` puts it at the door (the lab's
learners write theirs this way, so the grader exchanges only plain data with their code).

>>> bucket = TokenBucket(rate=10.0, burst=2)
>>> [bucket.admit(now=0.0, in_flight=0) for _ in range(3)]   # a burst of 2, then empty
[True, True, False]
>>> bucket.admit(now=0.1, in_flight=0)                        # 0.1 s refills one token
True

The policies mirror two Erlang libraries and one adaptive family: a token bucket (a rate
limit, as in jlouis/safetyvalve), a concurrency limit (uwiger/jobs' counter regulator;
its queue-time limit is the server's *queue_time_limit*) and a limit that adapts to the
latency it sees (TCP Vegas, as in Netflix's concurrency-limits and Envoy's adaptive
concurrency filter).
"""

# Taught in chapters/04-scalability/regulation.md; keep names in sync.

from __future__ import annotations

import math

from reactive_lab.core import arguments

__all__ = ["SMOOTHING", "AdaptiveLimit", "AdmitAll", "ConcurrencyLimit", "PlainPolicy",
           "TokenBucket", "is_policy"]

SMOOTHING = 0.1
"""Weight of the newest latency in :class:`AdaptiveLimit`'s smoothed average (about the
last ten requests count)."""


def is_policy(policy) -> bool:
    """Return True if *policy* has a callable ``admit`` (``completed`` is optional).

    >>> is_policy(AdmitAll()), is_policy(object())
    (True, False)
    """
    return callable(getattr(policy, "admit", None))


class AdmitAll:
    """Admit every request: no regulation at all (the default, and the classic way to die).

    >>> AdmitAll().admit(0.0, in_flight=10**6)
    True
    """

    def admit(self, now: float, in_flight: int) -> bool:
        """Always True."""
        return True

    def __repr__(self) -> str:
        return "AdmitAll()"


class TokenBucket:
    """A rate limit with bursts: tokens drip in at *rate* per second, up to *burst*.

    Each admitted request takes one token; with none left it is refused. Over a long run
    the admitted rate is ``min(arrival rate, rate)``; over a short one up to *burst* extra
    requests pass at once. It limits *rate*, not work in progress: if the server slows
    down, a token bucket keeps admitting at *rate* and the queue grows anyway.

    Parameters
    ----------
    rate : float
        Tokens per second, positive.
    burst : int
        Bucket size, 1 to 1,000,000; the bucket starts full.

    Raises
    ------
    ValueError
        If *rate* is not positive or *burst* is out of range.

    Examples
    --------
    >>> b = TokenBucket(rate=1.0, burst=1)
    >>> b.admit(0.0, 0), b.admit(0.5, 0), b.admit(1.0, 0)
    (True, False, True)
    """

    def __init__(self, rate: float, burst: int):
        self.rate = arguments.positive("rate", rate)
        self.burst = arguments.integer("burst", burst, low=1, high=1_000_000)
        self.tokens = float(self.burst)
        self.last = 0.0

    def admit(self, now: float, in_flight: int) -> bool:
        """Refill for the time since the last request, then take a token if there is one."""
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}, burst={self.burst})"


class ConcurrencyLimit:
    """Admit a request only while fewer than *limit* are in flight (uwiger/jobs' counter).

    It bounds work in progress, so by Little's law it bounds the time a request spends
    inside: at most ``limit / throughput``. With *limit* equal to the number of servers
    there is no queue at all, and the share refused is Erlang B.

    Raises
    ------
    ValueError
        If *limit* is not an int from 1 to 1,000,000.

    Examples
    --------
    >>> c = ConcurrencyLimit(2)
    >>> c.admit(0.0, in_flight=1), c.admit(0.0, in_flight=2)
    (True, False)
    """

    def __init__(self, limit: int):
        self.limit = arguments.integer("limit", limit, low=1, high=1_000_000)

    def admit(self, now: float, in_flight: int) -> bool:
        """True while *in_flight* is below the limit."""
        return in_flight < self.limit

    def __repr__(self) -> str:
        return f"ConcurrencyLimit({self.limit})"


class AdaptiveLimit:
    """A concurrency limit that finds itself, as TCP Vegas finds a window.

    It keeps a smoothed latency (an exponentially weighted average of the latest ones)
    and the lowest value that average has taken, the *no-load latency*: the work alone.
    After each completion it estimates how many requests are queuing rather than being
    served, ``queue = limit (1 - no_load / smoothed)``. Fewer than *alpha* queued: there
    is room, so the limit grows by one; more than *beta*: a queue is building, so it
    shrinks by one. It settles where a few requests queue, whatever the server's capacity,
    and follows the capacity when it changes, with no one to tune a number. (Smoothing
    matters: the minimum of single latencies is far below the typical work when service
    times vary, and the limit would collapse.)

    Parameters
    ----------
    initial : int, default 10
        Starting limit, from 1 to *maximum*.
    alpha, beta : float, default 2 and 4
        Queue estimates below which the limit grows and above which it shrinks,
        0 <= alpha < beta.
    minimum, maximum : int, default 1 and 1,000
        Bounds of the limit.

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> a = AdaptiveLimit(initial=4)
    >>> for _ in range(10):
    ...     a.completed(0.0, latency=0.010)    # steady latency: no queue, room to grow
    >>> a.limit
    14
    >>> for _ in range(10):
    ...     a.completed(1.0, latency=0.050)    # five times slower: a queue is building
    >>> a.limit
    5
    """

    def __init__(self, initial: int = 10, alpha: float = 2.0, beta: float = 4.0,
                 minimum: int = 1, maximum: int = 1_000):
        self.maximum = arguments.integer("maximum", maximum, low=1, high=1_000_000)
        self.minimum = arguments.integer("minimum", minimum, low=1, high=self.maximum)
        self.limit = arguments.integer("initial", initial, low=self.minimum, high=self.maximum)
        self.alpha = arguments.real("alpha", alpha, low=0)
        self.beta = arguments.real("beta", beta, low=self.alpha, low_open=True)
        self.smoothed = math.nan
        self.no_load = math.inf

    def admit(self, now: float, in_flight: int) -> bool:
        """True while *in_flight* is below the current limit."""
        return in_flight < self.limit

    def completed(self, now: float, latency: float) -> None:
        """Update the no-load latency and move the limit by one step."""
        if not latency > 0:
            return
        if math.isnan(self.smoothed):
            self.smoothed = latency
        else:
            self.smoothed += SMOOTHING * (latency - self.smoothed)
        self.no_load = min(self.no_load, self.smoothed)
        queued = self.limit * (1 - self.no_load / self.smoothed)
        if queued < self.alpha:
            self.limit = min(self.maximum, self.limit + 1)
        elif queued > self.beta:
            self.limit = max(self.minimum, self.limit - 1)

    def __repr__(self) -> str:
        return f"AdaptiveLimit(limit={self.limit})"


class PlainPolicy:
    """A policy written as a function over plain data, at a server's door.

    ``admit(state, now, in_flight) -> (state, admitted)`` keeps whatever it needs to
    remember (tokens, a time, a limit) in *state*, which it receives back on the next
    request; *state* is None for the first request. Written this way, a policy holds no
    object of its own, so the lab's grader can run a learner's policy in a sandbox and
    exchange only plain data with it. The latest state stays readable as ``.state``.

    Parameters
    ----------
    admit : callable
        ``admit(state, now, in_flight)`` returning a pair ``(state, admitted)`` with
        *admitted* a bool.

    Raises
    ------
    ValueError
        If *admit* is not callable, or (on a request) does not return such a pair.

    Examples
    --------
    >>> def at_most_two(state, now, in_flight):
    ...     return state, in_flight < 2
    >>> door = PlainPolicy(at_most_two)
    >>> door.admit(0.0, 1), door.admit(0.0, 2)
    (True, False)
    """

    def __init__(self, admit):
        if not callable(admit):
            raise ValueError(f"admit must be a function (got {admit!r})")
        self.function = admit
        self.state = None

    def admit(self, now: float, in_flight: int) -> bool:
        """Call the function with the state it left last time; keep the state it returns."""
        answer = self.function(self.state, now, in_flight)
        if not (isinstance(answer, tuple | list) and len(answer) == 2
                and isinstance(answer[1], bool)):
            raise ValueError("admit must return a pair (state, admitted) with admitted "
                             f"True or False (got {answer!r:.80})")
        self.state = answer[0]
        return answer[1]

    def __repr__(self) -> str:
        return f"PlainPolicy({getattr(self.function, '__name__', 'admit')})"
