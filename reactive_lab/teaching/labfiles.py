"""Lab files on disk: their text, the fingerprint of a generated lab, a learner's copy kept.

Regenerating the labs must never lose a learner's work. Every lab labgen writes carries, in
``metadata.reactive_lab.generated``, a fingerprint of its own text; a lab whose text no
longer matches its fingerprint has been changed by someone (an answer, a new cell, an
output, a save from Jupyter) and is moved aside as ``NN-topic.mine-1.ipynb`` before the new
lab is written.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook()
>>> nb.metadata["reactive_lab"] = {"lab": "99-example"}
>>> len(fingerprint(nb))
20
"""

from __future__ import annotations

import copy
import hashlib
import itertools
from pathlib import Path

import nbformat

__all__ = ["FINGERPRINT", "fingerprint", "is_untouched", "keep_copy", "text"]


def text(nb) -> str:
    """Return a notebook's file text as labgen writes it (nbformat's, newline-terminated)."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


FINGERPRINT = "generated"
"""Key, in a lab's ``metadata.reactive_lab``, of the fingerprint of the lab as generated."""


def fingerprint(nb) -> str:
    """Return the fingerprint of a lab's text, its own fingerprint field left out."""
    nb = copy.deepcopy(nb)
    nb.metadata.get("reactive_lab", {}).pop(FINGERPRINT, None)
    return hashlib.sha256(text(nb).encode()).hexdigest()[:20]


def is_untouched(lab_path: Path) -> bool:
    """Whether the lab file is exactly as labgen generated it (no cell added, edited or run).

    A lab carries the fingerprint of its generated text; any change at all (an answer, a
    new cell, an output, a save by another tool) no longer matches it.
    """
    try:
        nb = nbformat.read(lab_path, as_version=4)
    except Exception:  # noqa: BLE001 - unreadable: keep it rather than guess
        return False
    recorded = nb.metadata.get("reactive_lab", {}).get(FINGERPRINT)
    return recorded == fingerprint(nb) and text(nb) == lab_path.read_text(encoding="utf-8")


def keep_copy(lab_path: Path) -> Path:
    """Move a worked-on lab aside (``NN-topic.mine-1.ipynb``, ...) and return its new path."""
    for n in itertools.count(1):
        kept = lab_path.with_name(f"{lab_path.stem}.mine-{n}{lab_path.suffix}")
        if not kept.exists():
            lab_path.rename(kept)
            return kept
    raise AssertionError("unreachable")
