"""Checks in Jupyter run with Python's own builtins, whatever the notebook patched.

In Jupyter a check shares the learner's process. A notebook can rebind ``builtins.max``,
``math.isclose``, ``json.dumps``, ``importlib.import_module``, a numpy function, or insert
an import hook in ``sys.meta_path``; the check's own comparisons would then use the patched
versions. :func:`restored` puts back what those modules held when the course's checks were
first imported, for as long as a check runs (and again after each call into the learner's
code, which may patch them anew), then hands the notebook its own versions back.

This is a guard for formative feedback, not a sandbox: code in the same process can always
reach further (the check modules themselves, numpy's internals). Grades come from the grader,
which compares in a process of its own.

>>> import math
>>> original = math.isclose
>>> math.isclose = lambda *args, **kwargs: True
>>> with restored():
...     math.isclose(1.0, 2.0)
False
>>> math.isclose(1.0, 2.0)
True
>>> math.isclose = original
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import json
import math
import sys

import numpy as np

__all__ = ["reapply", "restored"]

_MODULES = (builtins, math, json, importlib, np)
_SNAPSHOT = [(module, dict(vars(module))) for module in _MODULES]
_META_PATH = list(sys.meta_path)


def _state():
    return [(module, dict(vars(module))) for module in _MODULES], list(sys.meta_path)


def _put(state) -> None:
    modules, meta_path = state
    for module, saved in modules:
        namespace = vars(module)
        for name in [n for n in namespace if n not in saved]:
            del namespace[name]
        namespace.update(saved)
    sys.meta_path[:] = meta_path


def reapply() -> None:
    """Put the snapshot back again (after the learner's code ran and may have patched)."""
    _put((_SNAPSHOT, _META_PATH))


@contextlib.contextmanager
def restored():
    """Run the body with the snapshot in place; give the notebook its own state back after."""
    learners = _state()
    reapply()
    try:
        yield
    finally:
        _put(learners)
