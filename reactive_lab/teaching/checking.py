"""The check framework: formative feedback that never raises into the notebook.

A check is a function decorated with :func:`exercise`. Its body receives a :class:`Feedback`
to write to, plus whatever the learner passed, and returns the points earned. The decorator
turns that into a check a learner can call with anything at all: it prints the feedback
(what is right, what is off, a hint) and returns a :class:`CheckResult`, and it never lets an
exception escape, whether it comes from the learner's answer or from the check itself.

>>> @exercise(1, "double it", uses=("double",), max_score=1)
... def exercise_1(fb, double):
...     double = fb.function(double, "double", arity=1)
...     value = fb.number(call(fb, double, 2), "double(2)")
...     if value == 4:
...         fb.right("double(2) returns 4.")
...         return 1
...     fb.off(f"double(2) returns {value}, expected 4.")
...     return 0
>>> exercise_1(lambda x: ...).status
Exercise 1 (double it): not done yet - replace the `...` placeholder with your answer.
'not done'
>>> exercise_1(lambda x: 2 * x).score
Exercise 1 (double it): 1/1 - pass
  + double(2) returns 4.
1.0
>>> exercise_1(None).status
Exercise 1 (double it): 0/1 - fail
  - `double` is None: did you run the cell that defines it?
'fail'
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import math
import numbers
import signal
import threading
from dataclasses import asdict, dataclass

import numpy as np

__all__ = [
    "NOT_DONE",
    "TIME_LIMIT",
    "CheckResult",
    "Feedback",
    "attempt",
    "call",
    "exercise",
    "exercises_of",
    "run_checks",
    "shown",
]

NOT_DONE = Ellipsis
"""The placeholder a generated lab puts where the learner's answer goes (``...``)."""

TIME_LIMIT = 5.0
"""Seconds a learner's function may run during one call from a check."""

STATUSES = ("pass", "partial", "fail", "not done")


@dataclass(frozen=True)
class CheckResult:
    """What a check concluded about one exercise; the grader exports these fields."""

    exercise: str
    title: str
    score: float
    max_score: float
    status: str
    feedback: str

    def to_dict(self) -> dict:
        """Return the result as a plain dict (JSON-ready)."""
        return asdict(self)

    def _ipython_display_(self):
        """Show nothing in a notebook: the check has already printed its feedback."""


class _NotDone(Exception):
    """Raised inside a check body when the answer is still the placeholder."""


class _Stop(Exception):
    """Raised inside a check body to end the check with the points earned so far."""

    def __init__(self, score=0):
        super().__init__(score)
        self.score = score


class _TimeUp(BaseException):
    """Raised in the learner's code when it runs past the time limit.

    A BaseException, so that a learner's ``except Exception`` cannot swallow it.
    """


class Feedback:
    """Collects the lines of feedback a check gives, and offers guards that end the check."""

    def __init__(self):
        self.lines: list[str] = []

    def right(self, text: str) -> None:
        """Say what the learner got right."""
        self.lines.append(f"  + {text}")

    def off(self, text: str) -> None:
        """Say what is off."""
        self.lines.append(f"  - {text}")

    def hint(self, text: str) -> None:
        """Give a hint towards the answer."""
        self.lines.append(f"  hint: {text}")

    def stop(self, text: str | None = None, score: float = 0):
        """Say what is off (if given) and end the check with ``score`` points."""
        if text:
            self.off(text)
        raise _Stop(score)

    def not_done(self):
        """End the check: the learner has not answered yet."""
        raise _NotDone()

    def function(self, answer, name: str, arity: int):
        """Return ``answer`` if it is a function taking ``arity`` positional arguments.

        Otherwise end the check: not done for the placeholder, fail with a reason for
        anything else.
        """
        if answer is NOT_DONE:
            self.not_done()
        if answer is None:
            self.stop(f"`{name}` is None: did you run the cell that defines it?")
        if not callable(answer):
            self.stop(f"`{name}` should be a function, but it is {_describe(answer)}.")
        try:
            inspect.signature(answer).bind(*range(arity))
        except TypeError:
            self.stop(
                f"`{name}` cannot be called with {arity} argument(s); "
                f"its signature is {name}{_signature(answer)}."
            )
        except ValueError:
            pass  # builtins without a signature: just try calling them
        return answer

    def number(self, value, what: str) -> float:
        """Return ``value`` as a float if it is a real number; else end the check."""
        if value is NOT_DONE:
            self.not_done()
        if value is None:
            self.stop(
                f"{what} is None: did you forget to `return` the result?"
            )
        if isinstance(value, np.ndarray) and value.shape == ():
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            self.stop(f"{what} should be a number, but it is {_describe(value)}.")
        value = float(value)
        if math.isnan(value):
            self.stop(f"{what} is NaN (not a number): is something divided by zero?")
        return value


def shown(value, spec: str = ".4g") -> str:
    """Return ``value`` formatted for a lab's printout, or a note if it is still ``...``.

    Lets a lab print a learner's result in a cell that must also run on the untouched lab.

    >>> shown(0.123456), shown(...), shown("n/a")
    ('0.1235', '(not done yet)', "'n/a'")
    """
    if value is NOT_DONE:
        return "(not done yet)"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return format(value, spec)
    return _describe(value) if not isinstance(value, str) else repr(value)


def _describe(value) -> str:
    """Return a short description of any value: its type and a clipped repr."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a learner's object whose __repr__ is broken
        text = "?"
    if len(text) > 60:
        text = text[:57] + "..."
    return f"a {type(value).__name__} ({text})"


def _signature(function) -> str:
    try:
        return str(inspect.signature(function))
    except (TypeError, ValueError):
        return "(...)"


def call(fb: Feedback, function, *args, time_limit: float | None = None):
    """Return ``function(*args)``; if it raises or runs too long, end the check saying so.

    Copies of numpy arrays are passed, so the learner's function cannot spoil the probe.
    ``time_limit`` defaults to :data:`TIME_LIMIT`.
    """
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    shown = ", ".join(_short(a) for a in args)
    name = getattr(function, "__name__", "your function")
    outcome = _call_with_time_limit(function, args, time_limit)
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "time":
        fb.stop(
            f"{name}({shown}) did not return within {time_limit:g} s. "
            "Is there a loop that never ends?"
        )
    error = outcome[1]
    fb.stop(f"{name}({shown}) raised {type(error).__name__}: {error}")


def attempt(function, *args, time_limit: float | None = None) -> tuple[str, object]:
    """Call ``function(*args)`` under the time limit; never raises.

    Returns ``("ok", value)``, ``("error", exception)`` or ``("time", None)``.
    """
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    return _call_with_time_limit(function, args, time_limit)


def _short(arg) -> str:
    if isinstance(arg, np.ndarray):
        return f"<array of {arg.size}>"
    return repr(arg) if len(repr(arg)) < 20 else type(arg).__name__


def _call_with_time_limit(function, args, seconds):
    """Return ("ok", value), ("error", exception) or ("time", None)."""
    use_alarm = hasattr(signal, "setitimer") and (
        threading.current_thread() is threading.main_thread()
    )
    if use_alarm:
        return _call_with_alarm(function, args, seconds)
    return _call_in_thread(function, args, seconds)


def _call_with_alarm(function, args, seconds):
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        try:
            # Keep re-firing every 0.1 s, in case the learner's code catches the first one.
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
            try:
                return ("ok", function(*args))
            finally:
                armed[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _TimeUp:
            return ("time", None)
        except BaseException as error:  # noqa: BLE001 - the learner's bug, as feedback
            return ("error", error)
    except _TimeUp:  # fired between the call returning and the timer being disarmed
        return ("time", None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call_in_thread(function, args, seconds):
    """Fallback off the main thread: the call cannot be stopped, but we stop waiting."""
    box = []

    def target():
        try:
            box.append(("ok", function(*args)))
        except BaseException as error:  # noqa: BLE001
            box.append(("error", error))

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    return box[0] if box else ("time", None)


def exercise(number, title: str, *, uses: tuple[str, ...], max_score: float = 1):
    """Turn a check body into a check a learner can call with anything.

    Parameters
    ----------
    number
        The exercise's number as the lab shows it (``1``, ``"2b"``).
    title
        A few words naming the exercise.
    uses
        The names the check reads from the learner's notebook, in the order the check takes
        them; the grader looks them up in the notebook to re-run the check.
    max_score
        Points for a fully correct answer.
    """

    def decorate(body):
        @functools.wraps(body)
        def check(*answers, quiet: bool = False) -> CheckResult:
            result = _run_body(body, answers, str(number), title, max_score)
            if not quiet:
                print(result.feedback)
            return result

        check.exercise_number = str(number)
        check.title = title
        check.uses = tuple(uses)
        check.max_score = max_score
        return check

    return decorate


def _run_body(body, answers, number, title, max_score) -> CheckResult:
    fb = Feedback()
    status = None
    try:
        try:
            inspect.signature(body).bind(fb, *answers)
        except TypeError:
            fb.stop(f"this check takes {_arguments(body)}, but it was given "
                    f"{len(answers)} answer(s).")
        with contextlib.redirect_stdout(io.StringIO()):  # the learner's prints stay quiet
            score = body(fb, *answers)
    except _NotDone:
        score, status = 0, "not done"
    except _Stop as stop:
        score = stop.score
    except BaseException as error:  # noqa: BLE001 - a bug in the check: still no traceback
        fb.off(
            f"the check itself failed ({type(error).__name__}: {error}). "
            "This is a bug in the course, not in your answer: please report it."
        )
        score = 0
    score = min(max(float(score), 0.0), float(max_score))
    if status is None:
        status = "pass" if score == max_score else "partial" if score > 0 else "fail"
    if status == "not done":
        head = (f"Exercise {number} ({title}): not done yet - "
                "replace the `...` placeholder with your answer.")
    else:
        head = f"Exercise {number} ({title}): {score:g}/{max_score:g} - {status}"
    return CheckResult(number, title, score, float(max_score), status,
                       "\n".join([head, *fb.lines]))


def _arguments(body) -> str:
    names = list(inspect.signature(body).parameters)[1:]
    return ", ".join(f"`{n}`" for n in names) or "no arguments"


def exercises_of(module) -> list:
    """Return the checks defined in a checks module, in the order the lab uses them."""
    checks = [v for v in vars(module).values() if callable(v) and hasattr(v, "uses")]
    return sorted(checks, key=lambda check: check.__wrapped__.__code__.co_firstlineno)


def run_checks(module, namespace: dict) -> list[dict]:
    """Run every check of ``module`` on the learner's names in ``namespace`` (for grading).

    A name the notebook never defined counts as not done.
    """
    results = []
    for check in exercises_of(module):
        missing = [n for n in check.uses if n not in namespace]
        if missing:
            names = ", ".join(f"`{n}`" for n in missing)
            result = CheckResult(
                check.exercise_number, check.title, 0.0, float(check.max_score), "not done",
                f"Exercise {check.exercise_number} ({check.title}): not done - "
                f"{names} is not defined in the notebook.",
            )
        else:
            result = check(*(namespace[n] for n in check.uses), quiet=True)
        results.append({"check": check.__name__, **result.to_dict()})
    return results
