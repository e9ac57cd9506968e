"""Generate the learner labs from the solution notebooks.

``python -m reactive_lab.teaching.labgen`` turns every ``solutions/*.ipynb`` into
``labs/*.ipynb``; pass notebook paths to generate only those, and ``--check`` to only report
(exit status 1) which labs are out of date. ``make labs`` calls it.

What a solution notebook may contain, and what the lab gets:

* A solution region, inside a code cell, between a line ``### BEGIN SOLUTION`` and a line
  ``### END SOLUTION`` (the nbgrader markers, in any letter case). In the lab the region
  becomes a stub that runs:

  - inside a function body, ``return ...`` so the function returns the placeholder;
  - at the top level of a cell, ``name = ...`` for every name the region assigns.

  Either way a ``# YOUR ANSWER HERE`` comment precedes it, and the cell is tagged
  ``exercise``. The checks recognise ``...`` (:data:`~reactive_lab.teaching.NOT_DONE`) and say
  "not done yet".
* A cell tagged ``solution``: dropped from the lab (worked answers, discussion).
* A check cell (code whose every line calls ``check.<something>(...)``): tagged ``check`` and
  made read-only, so a learner knows not to edit it.

Every lab loses its outputs and execution counts, and both the lab and its solution carry
``metadata.reactive_lab.lab`` (the file's stem), which the grader uses to pick the checks.
Markers that are unbalanced, nested, in a non-code cell, that would leave a stub that
cannot run, or lines that look like a marker without being exactly one
(``### BEGIN_SOLUTION``) are refused with a :class:`LabError` naming the notebook, the cell
and the line.

The solution gets nbgrader's cell metadata (:mod:`~reactive_lab.teaching.nbgrader_cells`),
so nbgrader accepts it as it is; the lab gets a fingerprint of its own text
(:mod:`~reactive_lab.teaching.labfiles`), and a lab that no longer matches its fingerprint
(a learner's answer, an added or run cell) is moved aside, never overwritten.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
import textwrap
from pathlib import Path

import nbformat

from reactive_lab.teaching import labfiles, labs, nbgrader_cells

__all__ = ["LabError", "generate_lab", "is_check_cell", "lab_text", "main",
           "marker", "solution_lines", "without_magics"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_MARKER_LIKE = re.compile(r"(begin|end)[\s_\-]*solution", re.IGNORECASE)
"""What a marker looks like, near misses included (``### BEGIN_SOLUTION``, ``## end solution``)."""
_CHECK_LINE = re.compile(r"^\s*check\.\w+\(.*\)\s*;?\s*(#.*)?$")
PLACEHOLDER_COMMENT = "# YOUR ANSWER HERE: replace the `...` below with your code."


class LabError(ValueError):
    """A solution notebook that cannot be turned into a lab; the message names the cell."""


def _fail(where: str, index: int, problem: str):
    raise LabError(f"{where}, cell {index}: {problem}")


def without_magics(source: str) -> str:
    """Return ``source`` with IPython magics and shell lines neutralised, for parsing.

    >>> without_magics("%pip install x")
    'pass'
    """
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            line = line[: len(line) - len(stripped)] + "pass"
        lines.append(line)
    return "\n".join(lines)


def marker(line: str) -> str | None:
    """Return BEGIN or END if ``line`` is that marker (in any case), else None.

    >>> marker("    ### begin solution"), marker("### BEGIN_SOLUTION"), marker("x = 1")
    ('### BEGIN SOLUTION', None, None)
    """
    upper = line.strip().upper()
    return upper if upper in (BEGIN, END) else None


def _regions(lines: list[str], where: str, index: int) -> list[tuple[int, int]]:
    """Return (begin, end) line indexes of each solution region in a code cell.

    A line that looks like a marker but is not exactly one (``### BEGIN_SOLUTION``,
    ``## Begin Solution``) is refused: a near miss would copy the whole solution into the lab.
    """
    regions, begin = [], None
    for number, line in enumerate(lines):
        if not _MARKER_LIKE.search(line):
            continue
        found = marker(line)
        if found is None:
            _fail(where, index, f"line {number + 1}: malformed marker {line.strip()!r}; "
                                f"write exactly {BEGIN!r} or {END!r} on a line of its own")
        if found == BEGIN:
            if begin is not None:
                _fail(where, index, f"line {number + 1}: nested {BEGIN!r} "
                                    f"(the region opened on line {begin + 1} is not closed)")
            begin = number
        else:
            if begin is None:
                _fail(where, index, f"line {number + 1}: {END!r} without a {BEGIN!r}")
            regions.append((begin, number))
            begin = None
    if begin is not None:
        _fail(where, index, f"line {begin + 1}: {BEGIN!r} is never closed by {END!r}")
    return regions


def _in_function(tree: ast.AST, line_number: int) -> bool:
    """Whether 1-based ``line_number`` lies in the body of a function in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            node.lineno < line_number <= node.end_lineno
        ):
            return True
    return False


def _assigned_names(region_source: str) -> list[str]:
    names = []
    for node in ast.parse(region_source).body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id not in names:
                    names.append(name.id)
    return names


def _stub_cell_source(source: str, where: str, index: int) -> str | None:
    """Return the lab version of a code cell's source, or None if it has no region."""
    lines = source.splitlines()
    regions = _regions(lines, where, index)
    if not regions:
        return None
    try:
        tree = ast.parse(without_magics(source))
    except SyntaxError as error:
        _fail(where, index, f"the solution code does not parse: {error.msg} "
                            f"(line {error.lineno})")
    out, previous_end = [], -1
    for begin, end in regions:
        out.extend(lines[previous_end + 1: begin])
        indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
        body = lines[begin + 1: end]
        if _in_function(tree, begin + 1):
            stub = [f"{indent}return ..."]
        else:
            names = _assigned_names(without_magics(textwrap.dedent("\n".join(body))))
            if not names:
                _fail(where, index, f"line {begin + 1}: the region is neither inside a function "
                                    "body nor assigns a variable, so it has no runnable stub; "
                                    "put the markers inside the function body, or make the "
                                    "region assign the answer")
            stub = [f"{indent}{name} = ..." for name in names]
        out.extend([f"{indent}{PLACEHOLDER_COMMENT}", *stub])
        previous_end = end
    out.extend(lines[previous_end + 1:])
    lab_source = "\n".join(out)
    try:
        ast.parse(without_magics(lab_source))
    except SyntaxError as error:
        _fail(where, index, f"the generated stub does not parse ({error.msg}, line "
                            f"{error.lineno}); keep each region a whole block of statements")
    return lab_source


def _add_tag(cell, tag: str) -> None:
    tags = list(cell.metadata.get("tags", []))
    if tag not in tags:
        tags.append(tag)
    cell.metadata["tags"] = tags


def is_check_cell(source: str) -> bool:
    """Whether a code cell only calls checks (every line ``check.<name>(...)``).

    >>> is_check_cell("check.exercise_1(f)"), is_check_cell("x = 1")
    (True, False)
    """
    lines = [line for line in source.splitlines()
             if line.strip() and not line.strip().startswith("#")]
    return bool(lines) and all(_CHECK_LINE.match(line) for line in lines)


def lab_id(path: Path) -> str:
    """Return the lab's identifier: the notebook's file stem, e.g. ``00-warm-up``."""
    return Path(path).stem


def generate_lab(solution, where: str, lab: str):
    """Return the lab notebook made from a solution notebook (which is left untouched)."""
    nb = copy.deepcopy(solution)
    cells = []
    for index, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code":
            if _MARKER_LIKE.search(cell.source) and "solution" not in tags:
                _fail(where, index, f"a solution marker in a {cell.cell_type} cell; "
                                    "markers belong in code cells only (tag a solution-only "
                                    "markdown cell `solution` instead)")
            if "solution" in tags:
                continue
            cell.metadata.pop("execution", None)
            cells.append(cell)
            continue
        stubbed = _stub_cell_source(cell.source, where, index)
        if "solution" in tags:
            continue
        cell.outputs = []
        cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if stubbed is not None:
            cell.source = stubbed
            _add_tag(cell, "exercise")
        elif is_check_cell(cell.source):
            _add_tag(cell, "check")
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
        cells.append(cell)
    nb.cells = cells
    nbgrader_cells.unmark(nb)
    nb.metadata.pop("widgets", None)
    nb.metadata["reactive_lab"] = {**nb.metadata.get("reactive_lab", {}), "lab": lab}
    return nb


def lab_text(solution_path: Path) -> tuple[str, str]:
    """Return (solution text with lab metadata, lab text) for a solution notebook file."""
    solution_path = Path(solution_path)
    where = str(solution_path)
    try:
        solution = nbformat.read(solution_path, as_version=4)
    except Exception as error:
        raise LabError(f"{where}: not a readable notebook ({error})") from error
    lab = lab_id(solution_path)
    solution.metadata["reactive_lab"] = {**solution.metadata.get("reactive_lab", {}), "lab": lab}
    generated = generate_lab(solution, where, lab)
    nbgrader_cells.mark(solution, _points(lab), has_region=_has_region, is_check=is_check_cell)
    generated.metadata["reactive_lab"][labfiles.FINGERPRINT] = labfiles.fingerprint(generated)
    return labfiles.text(solution), labfiles.text(generated)


def _has_region(source: str) -> bool:
    return any(marker(line) == BEGIN for line in source.splitlines())


def _points(lab: str) -> dict:
    """{check name: max score} for a lab with checks (none for a notebook outside a lab)."""
    if lab not in labs.discover():
        return {}
    from reactive_lab.teaching.checking import exercises_of

    return {c.__name__: float(c.max_score) for c in exercises_of(labs.checks_of(lab))}


def solution_lines(nb) -> set[str]:
    """Return the stripped lines that appear only inside solution regions of *nb*.

    These are what must never reach a learner: the tests look for them in ``labs/`` and in
    the built book. Lines that also occur outside a region (a blank ``return``, a shared
    comment) are left out, since seeing them reveals nothing.
    """
    inside, outside = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        in_region = False
        for line in cell.source.splitlines():
            found, stripped = marker(line), line.strip()
            if found:
                in_region = found == BEGIN
            elif stripped:
                (inside if in_region else outside).add(stripped)
    return inside - outside


def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _discovered_solutions(solutions_dir: Path) -> tuple[list[Path], list[str]]:
    """Return the solution notebook of every lab that has checks, and what does not match.

    A lab is a checks module in :mod:`reactive_lab.teaching.labs`; its solution is
    ``solutions_dir/<lab id>.ipynb``. A solution without checks, or checks without a
    solution, is a problem to report.
    """
    discovered = labs.discover()
    paths = [solutions_dir / f"{lab}.ipynb" for lab in discovered]
    problems = [f"{path}: no solution notebook for the checks in {discovered[path.stem]}"
                for path in paths if not path.exists()]
    problems += [f"{path}: no checks for this lab (write {labs.module_name(path.stem)})"
                 for path in sorted(solutions_dir.glob("*.ipynb"))
                 if path.stem not in discovered]
    return [path for path in paths if path.exists()], problems


def main(argv: list[str] | None = None) -> int:
    """Command line: generate (or ``--check``) labs; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m reactive_lab.teaching.labgen",
        description="Generate labs/ from solutions/ (solution regions become runnable stubs).",
    )
    parser.add_argument("solutions", nargs="*", type=Path,
                        help="solution notebooks (default: every solutions/*.ipynb)")
    parser.add_argument("--solutions-dir", type=Path, default=Path("solutions"))
    parser.add_argument("--labs-dir", type=Path, default=Path("labs"))
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any lab or solution is out of date")
    args = parser.parse_args(argv)
    paths, failed = args.solutions, False
    if not paths:
        paths, problems = _discovered_solutions(args.solutions_dir)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        failed = bool(problems)
    if not paths:
        print(f"no solution notebooks found in {args.solutions_dir}/", file=sys.stderr)
        return 1
    stale = []
    for path in paths:
        try:
            solution_text, text = lab_text(path)
        except LabError as error:
            print(f"error: {error}", file=sys.stderr)
            failed = True
            continue
        lab_path = args.labs_dir / path.name
        targets = [(path, solution_text), (lab_path, text)]
        if args.check:
            stale += [str(p) for p, t in targets
                      if not p.exists() or p.read_text(encoding="utf-8") != t]
            continue
        args.labs_dir.mkdir(parents=True, exist_ok=True)
        # A workshop attendee may have answered the lab in place: never overwrite that.
        if lab_path.exists() and lab_path.read_text(encoding="utf-8") != text \
                and not labfiles.is_untouched(lab_path):
            print(f"kept your work on {lab_path} as {labfiles.keep_copy(lab_path)}")
        for target, target_text in targets:
            if _write_if_changed(target, target_text):
                print(f"wrote {target}")
    if args.check and stale:
        print("out of date (run `make labs`): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
