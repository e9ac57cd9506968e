"""Facts from real BEAM programs, for the tests that check what a page says about OTP.

Each program (an escript or an Elixir script) runs on nodes it starts on the loopback
interface and prints one fact per line, ``name value``; the tests compare those facts
with what the book states. Erlang/OTP and Elixir come from ``make system-packages``; a
machine without them fails these tests rather than skipping them, so a run never passes
without having checked the BEAM.
"""

import shutil
import subprocess

import pytest


def beam_tool(name: str) -> str:
    """The path of ``escript`` or ``elixir``; the test fails, saying how to install it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: `make system-packages` installs Erlang/OTP and "
                    "Elixir (Debian's erlang-base and elixir)")
    return path


def parse_facts(output: str) -> dict[str, str]:
    """The ``name value`` lines a BEAM program printed, as a dict."""
    return dict(line.split(" ", 1) for line in output.splitlines())


def beam_facts(tool: str, script, *args, timeout: float = 60, cwd=None) -> dict[str, str]:
    """Run *script* with *tool* (``escript`` or ``elixir``) and return the facts it printed."""
    result = subprocess.run([beam_tool(tool), str(script), *map(str, args)], cwd=cwd,
                            capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return parse_facts(result.stdout)
