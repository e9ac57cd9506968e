"""The book build is strict: a notebook cell error fails it, and so does a warning."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

```{{code-cell}} ipython3
{code}
```
"""


def _build(tmp_path, code):
    """Build a one-page book with the course's configuration; return the process."""
    book = tmp_path / "book"
    book.mkdir()
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, book / name)
    shutil.copytree(ROOT / "_ext", book / "_ext")
    shutil.copytree(ROOT / "assets", book / "assets")
    (book / "_runtime").mkdir()
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (book / "index.md").write_text(PAGE.format(code=code))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [str(jupyter_book), "build", str(book), "--all", "--warningiserror", "--keep-going"],
        capture_output=True, text=True, env=env, timeout=600,
    )


@pytest.mark.slow
def test_book_build_fails_on_a_notebook_error(tmp_path):
    """A cell that raises makes the build exit non-zero, naming the error."""
    result = _build(tmp_path, 'raise RuntimeError("boom from a cell")')
    assert result.returncode != 0
    assert "boom from a cell" in result.stdout + result.stderr


@pytest.mark.slow
def test_book_build_succeeds_on_a_clean_page(tmp_path):
    """The same configuration builds a page whose cells run cleanly (the control case)."""
    result = _build(tmp_path, "print(6 * 7)")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "42" in (tmp_path / "book" / "_build" / "html" / "index.html").read_text()
