"""reactive_lab: the Python package behind *Architecting Reactive Systems*.

Chapters and labs do ``import reactive_lab as rl`` and call everything through it:

>>> import reactive_lab as rl
>>> round(rl.theory.erlang_c(servers=2, offered_load=1.0), 4)
0.3333

The subpackages mirror the course: ``core`` (seeded randomness, the queueing station,
metrics), ``theory`` (closed forms to compare simulations against), ``distribution``
(topologies, consistent hashing, request paths), ``figures`` (the one figure style),
``explore`` (explorables, live or static) and ``teaching`` (checks, lab generation,
grading).
"""

from reactive_lab import core, distribution, explorables, explore, figures, relay, theory

__all__ = ["core", "distribution", "explorables", "explore", "figures", "relay", "theory"]
__version__ = "0.1.0"
