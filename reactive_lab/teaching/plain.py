"""Learner values as plain data: what crosses from the learner's code to the checks.

A check never holds an object the learner made. Whatever a learner's function returns is
turned into built-in data (bool, int, float, str, None, lists, dicts, the placeholder
``...``) by :func:`to_wire`, inside the call's time limit and guard, and read back by
:func:`from_wire`, which accepts nothing but that data. A float subclass whose ``__float__``
raises, a str subclass whose ``__eq__`` always says yes, an object whose ``__repr__`` loops:
each becomes an honest value or a short description before a check compares anything.

The same functions carry the grader's probes to a sandboxed notebook and its answers back as
JSON (:mod:`~reactive_lab.teaching.runner`), so in Jupyter and in the grader a check sees
the same plain data.

>>> class Liar(str):
...     def __eq__(self, other):
...         return True
>>> value = from_wire(to_wire(Liar("no")))
>>> type(value).__name__, value == "yes"
('str', False)
>>> import numpy as np
>>> from_wire(to_wire(np.float32(8.8))) == float(np.float32(8.8)), from_wire(to_wire(np.array(2)))
(True, 2)
"""

from __future__ import annotations

import math
import numbers
from builtins import bool as _bool
from builtins import dict as _dict
from builtins import float as _float
from builtins import int as _int
from builtins import isinstance as _isinstance
from builtins import len as _len
from builtins import list as _list
from builtins import str as _str
from builtins import tuple as _tuple
from builtins import type as _type

import numpy as np

__all__ = ["MAX_ITEMS", "Unknown", "as_float", "describe", "from_wire", "is_number", "to_wire"]

MAX_ITEMS = 200_000
"""Most numbers or items one answer may carry; more is described, not copied."""

_DEPTH = 6


class Unknown:
    """A value the checks cannot use (a complex number, a learner's class): its description."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return self.text


def describe(value) -> str:
    """Return a short description of any value, for feedback: its type and a clipped repr.

    Safe on a learner's object whose ``__repr__`` raises or lies about its type.

    >>> describe([1, 2, 3]), describe("x" * 100)[:12], describe(Unknown("a complex (1j)"))
    ('a list ([1, 2, 3])', "a str ('xxxx", 'a complex (1j)')
    """
    if _type(value) is Unknown:
        return value.text
    try:
        text = repr(value)
        text = _str.__str__(text) if _isinstance(text, _str) else "?"
    except BaseException:  # noqa: BLE001 - a learner's broken __repr__
        text = "?"
    if _len(text) > 60:
        text = text[:57] + "..."
    return f"a {_type(value).__name__} ({text})"


def to_wire(value, depth: int = 0):
    """Return ``value`` as JSON-ready built-in data (run it where the learner's code runs).

    Numbers become int or float (numpy scalars and 0-d arrays included; a float too large
    for a float stays an int, for the check to call too large), strings an exact str,
    sequences and arrays lists (tagged so arrays stay arrays), dicts ``{"$dict": pairs}``;
    the placeholder ``...`` becomes ``{"$": "..."}``; anything else its description.
    Learner-defined methods may run here (``__float__``, ``__repr__``), so call it inside the
    time limit and catch what it raises.
    """
    if value is Ellipsis:
        return {"$": "..."}
    if _type(value) is Unknown:
        return {"$unknown": value.text}
    if value is None or _type(value) in (_bool, _int, _float, _str):
        return value
    if _isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if _isinstance(value, (_bool, np.bool_)):
        return _bool(value)
    if _isinstance(value, (_int, np.integer)):
        return _int.__int__(value) if _isinstance(value, _int) else _int(value)
    if _isinstance(value, _float):
        return _float.__float__(value)
    if _isinstance(value, np.floating):
        return _float(np.float64(value))
    if _isinstance(value, _str):
        return _str.__str__(value)
    if depth >= _DEPTH:
        return {"$unknown": describe(value)}
    if _isinstance(value, np.ndarray):
        if value.size > MAX_ITEMS or value.dtype.kind not in "biuf":
            return {"$unknown": describe(value)}
        return {"$array": np.asarray(value, dtype=float).tolist()}
    if _isinstance(value, (_list, _tuple)):
        if _len(value) > MAX_ITEMS:
            return {"$unknown": describe(value)}
        return [to_wire(item, depth + 1) for item in _list.__iter__(_list(value))]
    if _isinstance(value, _dict):
        if _len(value) > MAX_ITEMS:
            return {"$unknown": describe(value)}
        return {"$dict": [[to_wire(k, depth + 1), to_wire(v, depth + 1)]
                          for k, v in _dict.items(value)]}
    return {"$unknown": describe(value)}


def from_wire(data, depth: int = 0):
    """Return the plain value ``data`` (from :func:`to_wire`, maybe via JSON) stands for.

    Accepts built-in data only and checks its shape: anything else, or anything nested too
    deep, reads as an :class:`Unknown`. Dict keys that cannot be keys become Unknown.
    """
    kind = _type(data)
    if data is None or kind in (_bool, _int, _str):
        return data
    if kind is _float:
        return data
    if depth > _DEPTH + 1:
        return Unknown("a value nested too deep")
    if kind is _list:
        return [from_wire(item, depth + 1) for item in data]
    if kind is _dict and _len(data) == 1:
        (tag, inner), = data.items()
        if tag == "$" and inner == "...":
            return Ellipsis
        if tag == "$unknown" and _type(inner) is _str:
            return Unknown(inner[:200])
        if tag == "$array" and _type(inner) is _list and all(
                _type(x) in (_int, _float) for x in inner):
            return np.array(inner, dtype=float)
        if tag == "$dict" and _type(inner) is _list:
            result = {}
            for pair in inner:
                if _type(pair) is not _list or _len(pair) != 2:
                    return Unknown("a malformed dict")
                key = from_wire(pair[0], depth + 1)
                if not _isinstance(key, (_str, _int, _float, _bool)) or key is None:
                    return Unknown("a dict with keys that are not names or numbers")
                result[key] = from_wire(pair[1], depth + 1)
            return result
    return Unknown("a value the checks cannot read")


def is_number(value) -> bool:
    """Whether a plain value is a real number (not a bool).

    >>> is_number(3), is_number(2.5), is_number(True), is_number("3")
    (True, True, False, False)
    """
    return _isinstance(value, numbers.Real) and not _isinstance(value, _bool) and _type(
        value) in (_int, _float)


def as_float(value) -> tuple[str, float | None]:
    """Return ``("ok", float)``, ``("nan", None)`` or ``("too large", None)`` for a number.

    >>> as_float(2), as_float(10**400), as_float(math.nan)[0]
    (('ok', 2.0), ('too large', None), 'nan')
    """
    try:
        number = _float(value)
    except OverflowError:
        return ("too large", None)
    if math.isnan(number):
        return ("nan", None)
    return ("ok", number)
