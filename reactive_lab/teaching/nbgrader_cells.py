"""nbgrader cell metadata on the solution notebooks, so nbgrader accepts them as they are.

nbgrader's ``generate_assignment`` (its ``ClearSolutions`` step) refuses a notebook with a
solution region in a cell that is not marked as a solution cell. :func:`mark` gives each
solution notebook's cells the metadata nbgrader reads (schema 3): a cell with a
``### BEGIN SOLUTION`` region is an answer cell; a check cell is a locked, graded cell worth
its checks' points; both get a ``grade_id`` from the cell's id. Labgen writes it into
``solutions/`` and strips it from the labs it makes, whose own format does not change.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("def f():\\n    ### BEGIN SOLUTION\\n    return 1\\n"
...                               "    ### END SOLUTION", id="ex1"),
...     nbformat.v4.new_code_cell("check.exercise_1(f)", id="check1")])
>>> mark(nb, points={"exercise_1": 2})
>>> nb.cells[0].metadata.nbgrader["solution"], nb.cells[1].metadata.nbgrader["points"]
(True, 2.0)
"""

from __future__ import annotations

import re

__all__ = ["SCHEMA_VERSION", "mark", "unmark"]

SCHEMA_VERSION = 3
"""The nbgrader cell-metadata schema written (nbgrader 0.6 to 0.9)."""

_CALL = re.compile(r"check\.(\w+)\(")


def mark(nb, points: dict, has_region=None, is_check=None) -> None:
    """Add nbgrader metadata to the answer and check cells of a solution notebook, in place.

    ``points`` maps a check's name (``exercise_3``) to its points. ``has_region(source)``
    and ``is_check(source)`` tell answer and check cells apart (labgen passes its own; by
    default a cell with a ``### BEGIN SOLUTION`` line, and a cell calling ``check.``).
    """
    has_region = has_region or (lambda source: "### BEGIN SOLUTION" in source.upper())
    is_check = is_check or (lambda source: source.lstrip().startswith("check."))
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type != "code" or "solution" in cell.metadata.get("tags", []):
            continue
        grade_id = re.sub(r"[^A-Za-z0-9_-]", "-", str(cell.get("id") or ""))
        if has_region(cell.source):
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": False,
                                         "schema_version": SCHEMA_VERSION, "solution": True,
                                         "task": False}
        elif is_check(cell.source):
            worth = sum(points.get(name, 1) for name in _CALL.findall(cell.source))
            cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                         "points": float(worth),
                                         "schema_version": SCHEMA_VERSION, "solution": False,
                                         "task": False}


def unmark(nb) -> None:
    """Remove nbgrader metadata from every cell, in place (for the learner's lab)."""
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
