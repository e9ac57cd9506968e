"""The explorables the book shows, one module per chapter, each registered with its page.

>>> import reactive_lab as rl
>>> explorable = rl.explorables.queueing.latency_vs_load()
>>> [c.name for c in explorable.controls]
['servers', 'load']

Each factory returns a :class:`reactive_lab.explore.Explorable`; the chapter page calls
``.show()`` on it. :data:`reactive_lab.explore.REGISTRY` lists them all for the benchmarks.
"""

from reactive_lab.explorables import distribution, queueing

__all__ = ["distribution", "queueing"]
