"""Import a package's heavy subpackages on first use (PEP 562), so importing it stays fast.

>>> import types
>>> package = types.ModuleType("demo")
>>> package.__getattr__ = on_first_use("json", ["decoder"])
>>> package.__getattr__("decoder").__name__
'json.decoder'
"""

from __future__ import annotations

import importlib

__all__ = ["on_first_use"]


def on_first_use(package: str, names):
    """Return a module ``__getattr__`` that imports ``package.<name>`` when first asked for.

    Only *names* are imported this way; any other missing attribute raises
    ``AttributeError`` as usual.
    """
    allowed = frozenset(names)

    def __getattr__(name: str):
        if name in allowed:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
