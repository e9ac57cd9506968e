"""The labs' checks: one module per lab, named after the lab.

The checks of lab ``NN-topic`` (its notebooks are ``solutions/NN-topic.ipynb`` and
``labs/NN-topic.ipynb``) live in ``labNN_topic.py`` here, with one ``exercise_N`` per
exercise. Nothing else registers a lab: the grader and the lab generator find every lab
with :func:`discover`, and a module's lab id comes from its name.

>>> lab_id("lab01_distribution"), module_name("00-warm-up")
('01-distribution', 'reactive_lab.teaching.labs.lab00_warm_up')
>>> list(discover())[:2]
['00-warm-up', '01-distribution']
"""

from __future__ import annotations

import importlib
import pkgutil
import re

__all__ = ["checks_of", "discover", "lab_id", "module_name"]

_MODULE = re.compile(r"^lab(\d{2})_([a-z0-9]+(?:_[a-z0-9]+)*)$")
_LAB = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")


def lab_id(name: str) -> str:
    """Return the lab id (``01-distribution``) of a checks module's name (``lab01_distribution``).

    Raises
    ------
    ValueError
        If ``name`` is not of the form ``labNN_topic``.
    """
    short = name.rsplit(".", 1)[-1]
    match = _MODULE.match(short)
    if not match:
        raise ValueError(f"name must be a lab checks module labNN_topic (got {name!r})")
    return f"{match[1]}-{match[2].replace('_', '-')}"


def module_name(lab: str) -> str:
    """Return the full name of the module holding the checks of lab ``lab`` (``NN-topic``).

    Raises
    ------
    ValueError
        If ``lab`` is not of the form ``NN-topic``.
    """
    match = _LAB.match(str(lab))
    if not match:
        raise ValueError(f"lab must be a lab id such as '00-warm-up' (got {lab!r})")
    return f"{__name__}.lab{match[1]}_{match[2].replace('-', '_')}"


def discover() -> dict[str, str]:
    """Return ``{lab id: checks module name}`` for every lab in this package, in lab order."""
    found = {}
    for module in pkgutil.iter_modules(__path__):
        if _MODULE.match(module.name):
            found[lab_id(module.name)] = f"{__name__}.{module.name}"
    return dict(sorted(found.items()))


def checks_of(lab: str):
    """Import and return the checks module of lab ``lab``.

    Raises
    ------
    ValueError
        If no module holds that lab's checks.
    """
    labs = discover()
    if lab not in labs:
        raise ValueError(f"lab must be one of {', '.join(labs)} (got {lab!r})")
    return importlib.import_module(labs[lab])
