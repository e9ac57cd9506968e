"""The grader's sandbox: bubblewrap around each submission's runner.

Each submission runs as ``python -m reactive_lab.teaching.runner`` inside Debian's
`bubblewrap <https://github.com/containers/bubblewrap>`_ (``bwrap``), which builds it an
empty filesystem of its own with Linux namespaces and mounts into it only:

* the system and the Python installation, read-only;
* the course package, read-only, as ``/course/reactive_lab`` (not the repository: no
  ``solutions/``);
* a fresh, empty ``/tmp`` and home, gone when the run ends (no IPython start-up files or
  rewritten modules carried to the next submission).

Other submissions, the grader's output files and the rest of the machine are not there at
all. The sandbox has no network (its own empty network namespace), its own process ids (every
process a notebook forks dies with it), no inherited file descriptors but its two pipes, and
it dies with the grader (``--die-with-parent``); the grader also kills its whole process
group at the time limit.

>>> argv = command(["python", "-m", "x"])
>>> argv[0].endswith("bwrap"), "--unshare-all" in argv, "--die-with-parent" in argv
(True, True, True)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["INSTALL_HINT", "available", "command", "environment"]

INSTALL_HINT = "apt-get install bubblewrap (Debian/Ubuntu), or grade with --no-sandbox"

_PACKAGE = Path(__file__).resolve().parents[1]
_SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/alternatives",
           "/etc/ld.so.cache", "/etc/ssl", "/etc/localtime"]


def available() -> bool:
    """Whether bubblewrap is installed."""
    return shutil.which("bwrap") is not None


def _python_roots() -> list[str]:
    """The folders the Python running the grader needs: its venv and its installation."""
    roots = {sys.prefix, sys.base_prefix, os.path.realpath(sys.prefix),
             os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    return sorted(root for root in roots if root and not root.startswith(("/usr", "/bin")))


def environment(isolated: bool = True) -> dict:
    """The environment the runner gets: nothing of the grader's but a minimal PATH.

    Outside the sandbox (``isolated=False``) the course package is found where it is.
    """
    if isolated:
        paths = {"HOME": "/home/learner", "PYTHONPATH": "/course",
                 "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib"}
    else:
        paths = {"HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(_PACKAGE.parent)}
    return {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", **paths}


def command(argv: list[str]) -> list[str]:
    """Return the command that runs ``argv`` inside the sandbox."""
    bwrap = shutil.which("bwrap") or "bwrap"
    # bwrap mounts in order, a later mount hiding what lies under it: the empty /tmp comes
    # first, so a venv or checkout that itself lives under /tmp is bound on top of it.
    mounts = ["--tmpfs", "/tmp", "--dir", "/home/learner"]
    for path in _SYSTEM:
        mounts += ["--ro-bind-try", path, path]
    for root in _python_roots():
        mounts += ["--ro-bind", root, root]
    return [bwrap, "--unshare-all", "--die-with-parent", "--new-session",
            *mounts,
            "--ro-bind", str(_PACKAGE), "/course/reactive_lab",
            "--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp",
            *argv]
