"""reactive_lab: the Python package behind *Architecting Reactive Systems*.

Chapters and labs do ``import reactive_lab as rl`` and call everything through it:

>>> import reactive_lab as rl
>>> round(rl.theory.erlang_c(servers=2, offered_load=1.0), 4)
0.3333

The subpackages mirror the course: ``core`` (seeded randomness, distributions, argument
checks, the queueing station, metrics), ``theory`` (closed forms to compare simulations
against), ``relay`` (the running example: its graph and its numbers), one package per
chapter with its models and its ``explorables`` (``queues``, ``distribution``),
``figures`` (the one figure style), ``explore`` (explorables, live or static) and
``teaching`` (checks, lab generation, grading).

Only ``core`` and ``theory`` are imported with the package; the others are imported the
first time they are used (``rl.distribution`` …), so ``import reactive_lab`` stays fast
however many chapters the course grows.
"""

from reactive_lab import core, theory
from reactive_lab.lazy import on_first_use

CHAPTERS = ("queues", "distribution")
"""The chapter packages, in the book's order; each has an ``explorables`` module."""

__all__ = ["CHAPTERS", "core", "explore", "figures", "relay", "teaching", "theory", *CHAPTERS]
__version__ = "0.1.0"

__getattr__ = on_first_use(__name__, ["explore", "figures", "relay", "teaching", *CHAPTERS])
