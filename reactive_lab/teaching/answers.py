"""A learner's answer as the checks see it: a :class:`Function` that returns plain data.

A check never calls a learner's object directly. In Jupyter, :func:`local_answer` wraps the
learner's function so that each call runs under the time limit and its result is turned
into plain data (:mod:`~reactive_lab.teaching.plain`) inside that same guard; the grader
builds the same :class:`Function` around a call into a sandbox. Either way a check receives
only built-in values and error messages as text, so an answer whose value lies (a float
subclass whose ``__float__`` raises, a str equal to everything) cannot steer the check.

>>> double = local_answer(lambda x: 2 * x)
>>> double.accepts(1), double.accepts(2), double.invoke((21,))
(True, False, ('ok', 42))
>>> local_answer(lambda: 1 / 0).invoke(())
('error', 'ZeroDivisionError: division by zero')
"""

from __future__ import annotations

import inspect

from reactive_lab.teaching import limits, pristine
from reactive_lab.teaching.plain import from_wire, to_wire

__all__ = ["AnswerFailed", "BudgetSpent", "Function", "call_plainly", "error_text", "local_answer",
           "parameters_of"]


_KIND = type(inspect.Parameter.POSITIONAL_ONLY)  # the enum of parameter kinds, from an int


class AnswerFailed(Exception):
    """A learner's function, called through :meth:`Function.__call__`, raised or ran too long."""


class BudgetSpent(Exception):
    """The grader's own time for checking one exercise ran out (never the learner's fault)."""


class Function:
    """A learner's function: its name, its parameters, and a way to call it.

    ``parameters`` is a list of ``(name, kind, has_default)`` (``kind`` an
    :class:`inspect.Parameter` kind's value), or None when it cannot be told.
    ``invoke(args, time_limit)`` returns ``("ok", plain value)``, ``("error", "Type: text")``
    or ``("time", None)``.
    """

    def __init__(self, name: str, parameters, invoke):
        self.__name__ = str(name)
        self.parameters = parameters
        self._invoke = invoke

    def _signature(self) -> inspect.Signature | None:
        if self.parameters is None:
            return None
        try:
            return inspect.Signature([
                inspect.Parameter(name, _KIND(kind),
                                  default=0 if has_default else inspect.Parameter.empty)
                for name, kind, has_default in self.parameters])
        except (TypeError, ValueError):
            return None

    def accepts(self, arity: int) -> bool:
        """Whether it can be called with ``arity`` positional arguments (True if unknown)."""
        signature = self._signature()
        if signature is None:
            return True
        try:
            signature.bind(*range(arity))
        except TypeError:
            return False
        return True

    def signature_text(self) -> str:
        """Its signature as the learner wrote it, e.g. ``(n, m)``."""
        signature = self._signature()
        return str(signature) if signature is not None else "(...)"

    def invoke(self, args: tuple, time_limit: float | None = None) -> tuple[str, object]:
        """Call it on ``args``; see the class docstring for what comes back."""
        return self._invoke(tuple(args), limits.TIME_LIMIT if time_limit is None else time_limit)

    def __call__(self, *args):
        """Call it like a plain function, for course code that runs a learner's handler
        (a simulation calling it once per message): the plain result, or
        :class:`AnswerFailed` with the learner's error, or a time-out, as its message.

        >>> local_answer(lambda state, message: (state, [message]))(1, 2)  # tuples as lists
        [1, [2]]
        """
        outcome, value = self.invoke(args)
        if outcome == "ok":
            return value
        if outcome == "time":
            raise AnswerFailed(f"{self.__name__} did not return within "
                               f"{limits.TIME_LIMIT:g} s")
        raise AnswerFailed(value)


def error_text(error) -> str:
    """Return ``"Type: message"`` for an exception, even one whose ``__str__`` misbehaves."""
    try:
        message = str(error)
        message = str.__str__(message) if isinstance(message, str) else "?"
    except BaseException:  # noqa: BLE001 - a learner's exception with a broken __str__
        message = "?"
    return f"{type(error).__name__}: {message}"[:500]


def parameters_of(function):
    """Return ``function``'s parameters as ``[(name, kind, has_default)]``, or None."""
    outcome, value = limits.attempt(
        lambda: [(str.__str__(str(p.name)), int(p.kind.value), p.default is not p.empty)
                 for p in inspect.signature(function).parameters.values()], time_limit=1.0)
    return value if outcome == "ok" else None


def call_plainly(function, args: tuple, time_limit: float) -> tuple[str, object]:
    """Call ``function(*args)`` under the time limit and return its result as plain data.

    The conversion runs inside the guard too: whatever the result's methods do (raise,
    loop) is the learner's error or time-out, reported as such.
    """
    outcome, value = limits.attempt(lambda: to_wire(function(*args)), time_limit=time_limit)
    pristine.reapply()  # whatever the call patched, the check goes on with the originals
    if outcome == "ok":
        return ("ok", from_wire(value))
    if outcome == "error":
        return ("error", error_text(value))
    return ("time", None)


def local_answer(value):
    """Return what a check sees of a learner's answer given in Jupyter.

    The placeholder ``...`` and None stay as they are; a callable becomes a
    :class:`Function` calling it in this process; anything else becomes plain data (or a
    description of it).
    """
    if value is Ellipsis or value is None or isinstance(value, Function):
        return value
    if callable(value):
        outcome, name = limits.attempt(getattr, value, "__name__", "", time_limit=1.0)
        name = str.__str__(name) if outcome == "ok" and isinstance(name, str) else ""

        def invoke(args, time_limit):
            return call_plainly(value, args, time_limit)

        return Function(name or "your function", parameters_of(value), invoke)
    outcome, wire = limits.attempt(to_wire, value, time_limit=1.0)
    return from_wire(wire) if outcome == "ok" else from_wire({"$unknown": "an unreadable value"})
