"""Real BEAM nodes on loopback, for the tests that check what chapter 1 says OTP does.

Each test that asks for the ``beam`` fixture gets its own ``epmd`` on a free loopback port
(``ERL_EPMD_PORT``), so its node names cannot clash with another run's, and its own cookie.
Nodes are started with ``erl -sname`` / ``elixir --sname``, listen on 127.0.0.1 only, run in
their own process group, and are killed (``SIGKILL`` to the group, which also ends a node
frozen with ``SIGSTOP``) when the test ends, pass or fail. Every wait is bounded.

The snippets under test are read from the chapter pages, so a test checks the code the
reader sees: :func:`page_snippet` returns the one snippet of a language on a page that
contains a given text.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import select
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.beam import beam_tool

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "chapters" / "01-distribution"
FENCE = re.compile(r"^```\{code-block\} (erlang|elixir|scala)\n(.*?)^```$", re.M | re.S)
LOOPBACK = "{127,0,0,1}"
HOST = socket.gethostname().split(".")[0]


def page_snippet(page: str, language: str, containing: str) -> str:
    """Return the one *language* snippet on *page* (a file in the chapter) holding *containing*."""
    text = (CHAPTER / page).read_text("utf8")
    found = [code for lang, code in FENCE.findall(text) if lang == language and containing in code]
    assert len(found) == 1, f"{page}: expected one {language} snippet with {containing!r}"
    return found[0]


def node_name(short: str) -> str:
    """The full name of the node started as ``-sname short`` on this host."""
    return f"{short}@{HOST}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BeamCluster:
    """Nodes of one test: an epmd, long-running nodes, and drivers that print and halt."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.ebin = workdir / "ebin"
        self.ebin.mkdir()
        self.cookie = "relay_" + secrets.token_hex(8)
        self.env = {**os.environ, "ERL_EPMD_PORT": str(_free_port())}
        self._processes: list[subprocess.Popen] = []
        self._spawn(["epmd", "-port", self.env["ERL_EPMD_PORT"], "-address", "127.0.0.1"])
        self._wait_for(lambda: "epmd: up" in self._names(), "epmd to start")

    def _spawn(self, argv, **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(argv, env=self.env, cwd=self.workdir, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
        self._processes.append(process)
        return process

    def _names(self) -> str:
        result = subprocess.run(["epmd", "-port", self.env["ERL_EPMD_PORT"], "-names"],
                                capture_output=True, text=True, env=self.env, timeout=10)
        return result.stdout

    @staticmethod
    def _wait_for(condition, what, timeout_s=30.0):
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"gave up waiting for {what} after {timeout_s} s")
            time.sleep(0.1)

    # Test modules cannot import conftest (pytest's importlib mode), so the helpers ride along.
    snippet = staticmethod(page_snippet)
    node = staticmethod(node_name)

    @staticmethod
    def printed(output: str, key: str) -> str:
        """The value a driver printed on its line ``key=value`` (drivers print one per key)."""
        values = re.findall(rf"^{re.escape(key)}=(.*)$", output, re.M)
        assert len(values) == 1, f"expected one line {key}=... in:\n{output}"
        return values[0].strip()

    def erl_args(self, short: str, *flags: str) -> list[str]:
        """The command line of an Erlang node named *short* in this cluster."""
        return ["erl", "-sname", short, "-setcookie", self.cookie, "-noshell",
                "-kernel", "inet_dist_use_interface", LOOPBACK, "-pa", str(self.ebin), *flags]

    def start_node(self, short: str, *flags: str) -> subprocess.Popen:
        """Start a long-running Erlang node and wait until epmd knows it."""
        process = self._spawn(self.erl_args(short, "-noinput", *flags))
        self._wait_for(lambda: f"name {short} at port" in self._names(), f"node {short}")
        return process

    def compile(self, module: str, source: str) -> None:
        """Compile an Erlang module into the cluster's code path (every node loads from it)."""
        path = self.workdir / f"{module}.erl"
        path.write_text(source)
        result = subprocess.run(["erlc", "-o", str(self.ebin), str(path)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr

    def run(self, argv: list[str], timeout_s: float = 60.0, stdin: str | None = None) -> str:
        """Run a driver to completion and return what it printed; kill it after *timeout_s*."""
        process = subprocess.Popen(argv, env=self.env, cwd=self.workdir, start_new_session=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        self._processes.append(process)
        try:
            out, _ = process.communicate(stdin, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self._kill(process)
            out, _ = process.communicate()
            raise AssertionError(f"driver did not finish in {timeout_s} s:\n{out}") from None
        assert process.returncode == 0, f"driver failed ({process.returncode}):\n{out}"
        return out

    def start_driver(self, short: str, code: str, *flags: str) -> subprocess.Popen:
        """Start an Erlang node evaluating *code*, with unbuffered pipes to talk to it."""
        process = subprocess.Popen(self.erl_args(short, *flags, "-eval", code), env=self.env,
                                   cwd=self.workdir, start_new_session=True, bufsize=0,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        process.unread = b""   # bytes read from the pipe but not yet returned as lines
        self._processes.append(process)
        return process

    @staticmethod
    def tell(process: subprocess.Popen, line: str) -> None:
        """Write one line to a driver's standard input."""
        process.stdin.write(line.encode() + b"\n")
        process.stdin.flush()

    @staticmethod
    def read_until(process: subprocess.Popen, key: str, timeout_s: float = 30.0) -> str:
        """Read *process*'s output until its line ``key=value``; return the value."""
        deadline = time.monotonic() + timeout_s
        seen = []
        while time.monotonic() < deadline:
            if b"\n" in process.unread:
                raw, process.unread = process.unread.split(b"\n", 1)
                line = raw.decode(errors="replace")
                seen.append(line)
                if line.startswith(f"{key}="):
                    return line.strip().split("=", 1)[1]
                continue
            ready, _, _ = select.select([process.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(process.stdout.fileno(), 4096)
                if not chunk:
                    break
                process.unread += chunk
        raise AssertionError(f"no line {key}=... within {timeout_s} s:\n" + "\n".join(seen))

    def erl(self, short: str, code: str, *flags: str, timeout_s: float = 60.0) -> str:
        """Evaluate *code* (which must end by halting) on a new Erlang node; return its output."""
        return self.run(self.erl_args(short, *flags, "-eval", code), timeout_s)

    def elixir(self, short: str, script: str, erl_flags: str = "", timeout_s: float = 60.0) -> str:
        """Run an Elixir *script* on a new node named *short*; return its output."""
        path = self.workdir / f"{short}.exs"
        path.write_text(script)
        argv = ["elixir", "--sname", short, "--cookie", self.cookie, "--erl",
                f"-kernel inet_dist_use_interface {LOOPBACK} -pa {self.ebin} {erl_flags}",
                str(path)]
        return self.run(argv, timeout_s)

    @staticmethod
    def _kill(process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def close(self) -> None:
        for process in reversed(self._processes):
            self._kill(process)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


@pytest.fixture
def beam(tmp_path):
    """A :class:`BeamCluster` whose nodes all die when the test ends."""
    for tool in ("erl", "erlc", "epmd"):
        beam_tool(tool)
    cluster = BeamCluster(tmp_path)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def beam_elixir(beam):
    """The same cluster, for tests that also run Elixir nodes."""
    beam_tool("elixir")
    return beam
