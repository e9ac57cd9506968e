"""Probe inputs as data: how the grader's probes reach a learner's function in a sandbox.

The checks call a learner's function with numbers, strings, lists, dicts (a handler's
messages and state), numpy arrays, the course's service-time distributions and placement
builders. To call it in another process, the
grader :func:`encode` s each argument as JSON-ready data and the sandboxed runner
:func:`decode` s it back into the same object, built there from the course package.

>>> from reactive_lab import core
>>> decode(encode(core.LogNormal(mean=4.0, cv=1.5)))
LogNormal(mean=4.0, cv=1.5)
>>> make = decode(encode(placement_builder(vnodes=16)))
>>> make.__name__, type(make(["a", "b"])).__name__
('ring_16_vnodes', 'ConsistentHashRing')
>>> decode(encode({"type": "pay", "amounts": [1, 2]}))
{'type': 'pay', 'amounts': [1, 2]}
"""

from __future__ import annotations

import dataclasses

import numpy as np

from reactive_lab import core
from reactive_lab import distribution as dist

__all__ = ["decode", "encode", "placement_builder"]


def placement_builder(vnodes: int | None = None):
    """Return ``make(nodes)``: a consistent-hash ring with ``vnodes`` points per node, or
    modulo placement when ``vnodes`` is None. It carries its own description (``.wire``),
    so it can be rebuilt in a sandbox."""
    if vnodes is None:
        def make(nodes):
            return dist.ModuloPlacement(nodes)
        make.__name__ = "modulo"
    else:
        def make(nodes):
            return dist.ConsistentHashRing(nodes, vnodes=vnodes)
        make.__name__ = f"ring_{vnodes}_vnodes"
    make.wire = {"$placement": vnodes}
    return make


def encode(arg):
    """Return a probe argument as JSON-ready data."""
    if isinstance(arg, np.ndarray):
        return {"$array": arg.astype(float).tolist()}
    if isinstance(arg, core.Distribution) and dataclasses.is_dataclass(arg):
        return {"$distribution": [type(arg).__name__, dataclasses.asdict(arg)]}
    if callable(arg) and isinstance(getattr(arg, "wire", None), dict):
        return arg.wire
    if isinstance(arg, (list, tuple)):
        return [encode(item) for item in arg]
    if isinstance(arg, dict) and all(isinstance(key, str) for key in arg):
        # A message or a handler's state (chapters 2-4): tagged, so no key can pose as a tag.
        return {"$dict": {key: encode(value) for key, value in arg.items()}}
    if arg is None or isinstance(arg, (bool, int, float, str)):
        return arg
    raise TypeError(f"arg must be a number, string, list, dict with str keys, array, "
                    f"distribution or placement builder (got {type(arg).__name__})")


def decode(data):
    """Return the probe argument ``data`` (from :func:`encode`) stands for."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if isinstance(data, dict):
        (tag, inner), = data.items()
        if tag == "$array":
            return np.array(inner, dtype=float)
        if tag == "$distribution":
            name, fields = inner
            kind = getattr(core, name)
            if not (isinstance(kind, type) and issubclass(kind, core.Distribution)):
                raise ValueError(f"not a distribution: {name!r}")
            return kind(**fields)
        if tag == "$placement":
            return placement_builder(inner)
        if tag == "$dict":
            return {key: decode(value) for key, value in inner.items()}
        raise ValueError(f"unknown probe argument {tag!r}")
    return data
