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
<Outcome.NOT_DONE: 'not done'>
>>> exercise_1(lambda x: 2 * x).score
Exercise 1 (double it): 1/1 - pass
  + double(2) returns 4.
1.0
>>> exercise_1(None).status
Exercise 1 (double it): 0/1 - fail
  - `double` is None: did you run the cell that defines it?
<Outcome.FAIL: 'fail'>
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import math
import numbers
from dataclasses import asdict, dataclass
from enum import StrEnum

import numpy as np

from reactive_lab.teaching import limits, plain, pristine
from reactive_lab.teaching.answers import BudgetSpent, Function, local_answer
from reactive_lab.teaching.plain import as_float, is_number

__all__ = [
    "NOT_DONE",
    "CheckResult",
    "Feedback",
    "Outcome",
    "EXACT_RELATIVE",
    "agrees",
    "attempt",
    "call",
    "describe",
    "exercise",
    "exercises_of",
    "grade_checks",
    "shown",
]

EXACT_RELATIVE = 1e-6
"""Agreement asked of a learner's exact number: only rounding may differ, float32 included
(good to about 6e-8)."""


def agrees(value: float, expected: float, rel: float = EXACT_RELATIVE) -> bool:
    """Whether a learner's *value* is *expected* up to rounding: within *rel* of it, or
    within 1e-12 of it near zero.

    >>> agrees(0.1 + 0.2, 0.3), agrees(float(np.float32(0.3)), 0.3), agrees(0.3001, 0.3)
    (True, True, False)
    """
    return math.isclose(value, expected, rel_tol=rel, abs_tol=1e-12)


NOT_DONE = Ellipsis
"""The placeholder a generated lab puts where the learner's answer goes (``...``)."""

FORMATIVE_SEED = 20_26
"""Seed of the probes in Jupyter, so feedback repeats; the grader draws a secret one."""


class Outcome(StrEnum):
    """How a check ended. A str, so results compare with and export as plain text."""

    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_DONE = "not done"

    @classmethod
    def of(cls, score: float, max_score: float) -> Outcome:
        """Return the outcome of an answered exercise from its score.

        >>> Outcome.of(2, 2), Outcome.of(1, 2), Outcome.of(0, 2)
        (<Outcome.PASS: 'pass'>, <Outcome.PARTIAL: 'partial'>, <Outcome.FAIL: 'fail'>)
        """
        return cls.PASS if score == max_score else cls.PARTIAL if score > 0 else cls.FAIL


@dataclass(frozen=True)
class CheckResult:
    """What a check concluded about one exercise; the grader exports these fields."""

    exercise: str
    title: str
    score: float
    max_score: float
    status: Outcome
    feedback: str

    def to_dict(self) -> dict:
        """Return the result as a plain dict (JSON-ready, the status as plain text)."""
        return {**asdict(self), "status": str(self.status.value)}

    def _ipython_display_(self):
        """Show nothing in a notebook: the check has already printed its feedback."""


class _NotDone(Exception):
    """Raised inside a check body when the answer is still the placeholder."""


class _Stop(Exception):
    """Raised inside a check body to end the check with the points earned so far."""

    def __init__(self, score=0):
        super().__init__(score)
        self.score = score


class Feedback:
    """Collects the lines of feedback a check gives, and offers guards that end the check."""

    def __init__(self, seed: int = FORMATIVE_SEED):
        self.lines: list[str] = []
        self.rng = np.random.default_rng(seed)
        """Where a check draws its probe inputs from."""

    def right(self, text: str) -> None:
        """Say what the learner got right."""
        self.lines.append(f"  + {text}")

    def off(self, text: str) -> None:
        """Say what is off."""
        self.lines.append(f"  - {text}")

    def hint(self, text: str) -> None:
        """Give a hint towards the answer."""
        self.lines.append(f"  hint: {text}")

    def hint_from(self, value, mistakes, fallback: str, same) -> None:
        """Name a known mistake: the hint of the first ``(wrong_value, hint)`` in
        ``mistakes`` for which ``same(value, wrong_value)``, else the ``fallback`` hint.

        >>> fb = Feedback()
        >>> fb.hint_from(20, [(10, "halve it"), (20, "you doubled it")], "re-read it",
        ...              same=lambda a, b: a == b)
        >>> fb.lines
        ['  hint: you doubled it']
        """
        for wrong, hint in mistakes:
            if same(value, wrong):
                self.hint(hint)
                return
        self.hint(fallback)

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
        if not isinstance(answer, Function):
            self.stop(f"`{name}` should be a function, but it is {describe(answer)}.")
        if not answer.accepts(arity):
            self.stop(
                f"`{name}` cannot be called with {arity} argument(s); "
                f"its signature is {name}{answer.signature_text()}."
            )
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
        if not is_number(value):
            self.stop(f"{what} should be a number, but it is {describe(value)}.")
        outcome, number = as_float(value)
        if outcome == "too large":
            self.stop(f"{what} is too large to be a float: your value has "
                      f"{len(str(abs(value)))} digits. Is something multiplied or raised to "
                      "a power that should not be?")
        if outcome == "nan":
            self.stop(f"{what} is NaN (not a number): is something divided by zero?")
        return number


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
    return describe(value) if not isinstance(value, str) else repr(value)


def describe(value) -> str:
    """Return a short description of an answer, for feedback: its type and a clipped repr.

    >>> describe([1, 2, 3]), describe(local_answer(len))
    ('a list ([1, 2, 3])', 'a function (len)')
    """
    if isinstance(value, Function):
        return f"a function ({value.__name__})"
    return plain.describe(value)


def call(fb: Feedback, function, *args, time_limit: float | None = None):
    """Return ``function(*args)``; if it raises or runs too long, end the check saying so.

    Copies of numpy arrays are passed, so the learner's function cannot spoil the probe.
    ``time_limit`` defaults to :data:`~reactive_lab.teaching.limits.TIME_LIMIT`.
    """
    time_limit = limits.TIME_LIMIT if time_limit is None else time_limit
    shown = ", ".join(_short(a) for a in args)
    outcome, value = attempt(function, *args, time_limit=time_limit)
    if outcome == "ok":
        return value
    if outcome == "time":
        fb.stop(
            f"{function.__name__}({shown}) did not return within {time_limit:g} s. "
            "Is there a loop that never ends?"
        )
    fb.stop(f"{function.__name__}({shown}) raised {value}")


def attempt(function: Function, *args, time_limit: float | None = None) -> tuple[str, object]:
    """Call a learner's ``function`` on ``args``; never raises.

    Returns ``("ok", plain value)``, ``("error", "Type: message")`` or ``("time", None)``.
    Copies of numpy arrays are passed, so the learner's function cannot spoil the probe.
    """
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    return function.invoke(args, time_limit)


def _short(arg) -> str:
    if isinstance(arg, np.ndarray):
        return f"<array of {arg.size}>"
    return repr(arg) if len(repr(arg)) < 20 else type(arg).__name__


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
            result = _run_body(body, answers, str(number), title, max_score, FORMATIVE_SEED)
            if not quiet:
                print(result.feedback)
            return result

        def grade(answers, seed: int) -> CheckResult:
            """Run the check quietly on answers already made plain, with probes from seed."""
            return _run_body(body, answers, str(number), title, max_score, seed)

        check.grade = grade
        check.exercise_number = str(number)
        check.title = title
        check.uses = tuple(uses)
        check.max_score = max_score
        return check

    return decorate


def _run_body(body, answers, number, title, max_score, seed) -> CheckResult:
    fb = Feedback(seed)
    status = None
    answers = [local_answer(answer) for answer in answers]
    try:
        try:
            inspect.signature(body).bind(fb, *answers)
        except TypeError:
            fb.stop(f"this check takes {_arguments(body)}, but it was given "
                    f"{len(answers)} answer(s).")
        # The learner's prints stay quiet; the check uses Python's own builtins.
        with contextlib.redirect_stdout(io.StringIO()), pristine.restored():
            score = body(fb, *answers)
    except _NotDone:
        score, status = 0, Outcome.NOT_DONE
    except _Stop as stop:
        score = stop.score
    except BudgetSpent as spent:
        fb.off(f"not graded: {spent}. This is the grader's own limit, not an error in your "
               "answer: tell your instructor.")
        score = 0
    except BaseException as error:  # noqa: BLE001 - a bug in the check: still no traceback
        fb.off(
            f"the check itself failed ({type(error).__name__}: {error}). "
            "This is a bug in the course, not in your answer: please report it."
        )
        score = 0
    score = min(max(float(score), 0.0), float(max_score))
    if status is None:
        status = Outcome.of(score, float(max_score))
    if status is Outcome.NOT_DONE:
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


def grade_checks(module, answers: dict, seed: int, before_each=None) -> list[dict]:
    """Run every check of ``module`` on plain ``answers`` ({name: answer}), for grading.

    The answers are already what a check sees (:class:`~reactive_lab.teaching.answers.
    Function` or plain data); the probes come from ``seed``. A name the notebook never
    defined counts as not done. ``before_each()``, if given, is called before each check
    (the grader starts each exercise's time budget there).
    """
    results = []
    for check in exercises_of(module):
        if before_each is not None:
            before_each()
        missing = [n for n in check.uses if n not in answers]
        if missing:
            names = ", ".join(f"`{n}`" for n in missing)
            result = CheckResult(
                check.exercise_number, check.title, 0.0, float(check.max_score),
                Outcome.NOT_DONE,
                f"Exercise {check.exercise_number} ({check.title}): not done - "
                f"{names} is not defined in the notebook.",
            )
        else:
            result = check.grade([answers[n] for n in check.uses], seed)
        results.append({"check": check.__name__, **result.to_dict()})
    return results
