"""Argument checks shared by every public function: one rule, one message format.

Each check returns the value converted to a plain Python type, or raises ``ValueError``
naming the parameter, the rule and the value it got, always as
``"<name> must be <rule> (got <value>)"``:

>>> from reactive_lab.core import arguments
>>> arguments.integer("servers", 4, low=1, high=10_000)
4
>>> arguments.integer("servers", 0, low=1, high=10_000)
Traceback (most recent call last):
...
ValueError: servers must be an int from 1 to 10,000 (got 0)
>>> arguments.real("load", 0.5, low=0, high=1, high_open=True)
0.5

Booleans are refused where a number is asked (``True`` is an ``int`` to Python, but
``servers=True`` is a mistake), and so are NaN and infinities. numpy scalars are accepted
and returned as ``int`` or ``float``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

__all__ = [
    "choice",
    "distinct_names",
    "graph",
    "instance",
    "integer",
    "percentile",
    "positive",
    "probability",
    "real",
    "sampler",
    "samplers",
    "stable",
]


def _fail(name: str, rule: str, value) -> ValueError:
    return ValueError(f"{name} must be {rule} (got {value!r})")


def _is_number(value, kind) -> bool:
    if type(value) is float or type(value) is int:  # the common case, without the ABC check
        return kind is numbers.Real or type(value) is int
    return not isinstance(value, bool) and isinstance(value, kind)


def integer(name: str, value, *, low: int | None = None, high: int | None = None) -> int:
    """Return *value* as an ``int`` after checking ``low <= value <= high``.

    >>> integer("k", 3, low=1)
    3
    >>> integer("k", 2.0, low=1)
    Traceback (most recent call last):
    ...
    ValueError: k must be an int of at least 1 (got 2.0)
    """
    if low is not None and high is not None:
        rule = f"an int from {low:,} to {high:,}"
    elif low is not None:
        rule = f"an int of at least {low:,}"
    elif high is not None:
        rule = f"an int of at most {high:,}"
    else:
        rule = "an int"
    if not _is_number(value, numbers.Integral):
        raise _fail(name, rule, value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise _fail(name, rule, value)
    return int(value)


def real(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return *value* as a finite ``float`` inside the interval from *low* to *high*.

    ``low_open`` / ``high_open`` exclude the end itself.

    >>> real("rate", 2)
    2.0
    >>> real("p", 1.5, low=0, high=1)
    Traceback (most recent call last):
    ...
    ValueError: p must be a number from 0 to 1 (got 1.5)
    >>> real("confidence", 1, low=0, high=1, low_open=True, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: confidence must be a number strictly between 0 and 1 (got 1)
    """
    # The rule is worded only for an error: this check runs on every simulated timer.
    if not _is_number(value, numbers.Real) or not math.isfinite(value):
        raise _fail(name, _interval_rule(low, high, low_open, high_open), value)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if below or above:
        raise _fail(name, _interval_rule(low, high, low_open, high_open), value)
    return float(value)


def _interval_rule(low, high, low_open, high_open) -> str:
    if low is not None and high is not None:
        if low_open and high_open:
            return f"a number strictly between {low:g} and {high:g}"
        if low_open:
            return f"a number above {low:g} and at most {high:g}"
        if high_open:
            return f"a number from {low:g} up to but not including {high:g}"
        return f"a number from {low:g} to {high:g}"
    if low is not None:
        return f"a number above {low:g}" if low_open else f"a number of at least {low:g}"
    if high is not None:
        return f"a number below {high:g}" if high_open else f"a number of at most {high:g}"
    return "a finite number"


def positive(name: str, value) -> float:
    """Return *value* as a ``float`` after checking it is finite and above 0.

    >>> positive("service_rate", 0)
    Traceback (most recent call last):
    ...
    ValueError: service_rate must be a number above 0 (got 0)
    """
    return real(name, value, low=0, low_open=True)


def probability(name: str, value) -> float:
    """Return *value* as a ``float`` after checking it lies in [0, 1].

    >>> probability("loss", 0.1)
    0.1
    """
    return real(name, value, low=0, high=1)


def percentile(name: str, value) -> float:
    """Return a percentile level strictly between 0 and 100, as a ``float``.

    >>> percentile("q", 99)
    99.0
    """
    return real(name, value, low=0, high=100, low_open=True, high_open=True)


def choice(name: str, value, options: Iterable):
    """Return *value* if it is one of *options*.

    >>> choice("pattern", "ring", ("ring", "hub"))
    'ring'
    >>> choice("pattern", "star", ("ring", "hub"))
    Traceback (most recent call last):
    ...
    ValueError: pattern must be one of 'ring', 'hub' (got 'star')
    """
    options = tuple(options)
    if not any(value == option and type(value) is type(option) for option in options):
        raise _fail(name, "one of " + ", ".join(repr(o) for o in options), value)
    return value


def distinct_names(name: str, value) -> tuple:
    """Return *value* as a non-empty tuple of distinct names (a string alone is refused).

    >>> distinct_names("nodes", ["a", "b"])
    ('a', 'b')
    >>> distinct_names("nodes", ["a", "a"])
    Traceback (most recent call last):
    ...
    ValueError: nodes must be a non-empty sequence of distinct names (got ['a', 'a'])
    """
    rule = "a non-empty sequence of distinct names"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise _fail(name, rule, value)
    names = tuple(value)
    if not names or len(set(names)) != len(names):
        raise _fail(name, rule, value)
    return names


def instance(name: str, value, kind: type, rule: str):
    """Return *value* if it is an instance of *kind*; *rule* says what is allowed.

    >>> instance("placement", 3, str, "a placement from reactive_lab.distribution")
    Traceback (most recent call last):
    ...
    ValueError: placement must be a placement from reactive_lab.distribution (got 3)
    """
    if not isinstance(value, kind):
        raise _fail(name, rule, value)
    return value


def graph(name: str, value):
    """Return *value* if it is an undirected ``networkx.Graph``.

    >>> import networkx as nx
    >>> graph("G", nx.DiGraph())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: G must be an undirected networkx.Graph (got <...DiGraph object at ...>)
    """
    import networkx as nx  # only the distribution chapter needs networkx

    if not isinstance(value, nx.Graph) or value.is_directed():
        raise _fail(name, "an undirected networkx.Graph", value)
    return value


def sampler(name: str, value):
    """Return *value* if it can be drawn from: it has ``.mean`` and ``.sample(rng, size)``.

    >>> sampler("service", 1.0)
    Traceback (most recent call last):
    ...
    ValueError: service must be a distribution with .mean and .sample(rng, size), such as Exponential(rate=1.0) (got 1.0)
    """  # noqa: E501 (a doctest's expected line cannot wrap)
    if not (hasattr(value, "sample") and hasattr(value, "mean")):
        raise _fail(
            name,
            "a distribution with .mean and .sample(rng, size), such as Exponential(rate=1.0)",
            value,
        )
    return value


def samplers(name: str, value, n: int, needs: tuple = (), parts: str = "parts"):
    """Return ``(one, each)`` for one distribution shared by *n* *parts*, or a list of *n*.

    *one* is the distribution when every part shares it (``None`` for a list); *each*
    always lists *n* distributions. Each must have ``.mean``, ``.sample`` and the methods
    named in *needs*.

    >>> samplers("latency", [1.0, 2.0], 2)[1]
    Traceback (most recent call last):
    ...
    ValueError: latency must be a distribution or a list of n distributions, one for each of the 2 parts, with .sample and .mean (got [1.0, 2.0])
    """  # noqa: E501 (a doctest's expected line cannot wrap)
    methods = ("sample", "mean", *needs)
    listed = [f".{method}" for method in methods]
    rule = (f"a distribution or a list of n distributions, one for each of the {n} "
            f"{parts}, with {', '.join(listed[:-1])} and {listed[-1]}")

    def usable(d):
        return all(hasattr(d, method) for method in methods)

    if usable(value):
        return value, [value] * n
    if isinstance(value, (list, tuple)) and len(value) == n and all(map(usable, value)):
        return None, list(value)
    raise _fail(name, rule, value)


def stable(utilisation: float) -> float:
    """Refuse a queue whose arrivals outpace its servers (utilisation of 1 or more).

    >>> stable(0.5)
    0.5
    >>> stable(1.25)
    Traceback (most recent call last):
    ...
    ValueError: utilisation must be below 1 (got 1.25): arrivals outpace the servers and the queue grows without bound
    """  # noqa: E501
    if utilisation >= 1:
        raise ValueError(
            f"utilisation must be below 1 (got {utilisation:.3g}): arrivals outpace the "
            "servers and the queue grows without bound"
        )
    return utilisation
