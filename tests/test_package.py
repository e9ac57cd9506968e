"""The package itself: importing it is cheap and changes nothing outside it."""

import subprocess
import sys

import reactive_lab as rl


def _imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "MPLBACKEND": ""})
    return set(out.stdout.split())


def test_import_reactive_lab_imports_no_chapter_package():
    """Chapters (and their explorables, matplotlib, networkx) load on first use only."""
    modules = _imported_after("import reactive_lab")
    assert "reactive_lab" in modules and "reactive_lab.core" in modules
    for chapter in rl.CHAPTERS:
        assert f"reactive_lab.{chapter}" not in modules
    assert "reactive_lab.explore" not in modules
    assert "matplotlib" not in modules and "networkx" not in modules


def test_a_chapter_loads_on_first_use_without_its_explorables():
    modules = _imported_after("import reactive_lab as rl\nrl.distribution.full_mesh(3)")
    assert "reactive_lab.distribution" in modules
    assert "reactive_lab.distribution.explorables" not in modules
    modules = _imported_after("import reactive_lab as rl\nrl.distribution.explorables")
    assert "reactive_lab.distribution.explorables" in modules


def test_figures_do_not_choose_a_backend():
    """A learner's inline plots keep working: using the course figures switches no backend."""
    code = ("import matplotlib\nbefore = matplotlib.get_backend()\n"
            "import reactive_lab as rl\nrl.figures.new_figure().subplots().plot([1, 2])\n"
            "assert matplotlib.get_backend() == before, (before, matplotlib.get_backend())\n"
            "assert matplotlib.rcParams['axes.spines.top']")
    _imported_after(code)


def test_unknown_attribute_is_an_attribute_error():
    try:
        rl.no_such_chapter  # noqa: B018
    except AttributeError as error:
        assert "no_such_chapter" in str(error)
    else:
        raise AssertionError("rl.no_such_chapter should raise AttributeError")
