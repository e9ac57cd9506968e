"""The sandbox's file system: what a submitted notebook sees, wherever the course lives."""

import subprocess

from reactive_lab.teaching import sandbox


def test_a_python_installed_under_tmp_is_still_seen_inside(tmp_path, monkeypatch):
    """The sandbox's empty /tmp must not hide a venv that lives under /tmp (a checkout in
    /tmp, as CI machines often have): the runner's own Python is bound on top of it."""
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "marker").write_text("the venv\n")
    (tmp_path / "secret").write_text("the grader's\n")
    monkeypatch.setattr(sandbox, "_python_roots", lambda: [str(venv)])
    seen = subprocess.run(sandbox.command(["cat", str(venv / "marker")]),
                          capture_output=True, text=True, timeout=30, check=False)
    assert seen.stdout == "the venv\n", seen.stderr
    hidden = subprocess.run(sandbox.command(["cat", str(tmp_path / "secret")]),
                            capture_output=True, text=True, timeout=30, check=False)
    assert hidden.returncode != 0 and not hidden.stdout
