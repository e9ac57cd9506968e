"""The Erlang and Elixir code in the chapters' tabs is valid code, not pseudo-code.

Each Erlang snippet is compiled as the body of a module and linted: syntax errors, unbound
or unsafe variables and malformed patterns fail the test. Calls to functions the snippet
does not define (``deliver/2``, ``node_for/1``) are allowed: a snippet shows one idea, not
a whole program. Each Elixir snippet must parse (``Code.string_to_quoted!``). The Akka
(Scala) tabs are not checked: compiling them needs sbt and Akka's Maven artefacts.

Needs ``erl`` and ``elixir`` (Debian's erlang-base and elixir; ``.ci/run`` installs them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "chapters").rglob("*.md"))
FENCE = re.compile(r"^```(?:\{code-block\} )?(erlang|elixir)\n(.*?)^```$", re.M | re.S)

ERLANG_LINT = r"""
[File] = init:get_plain_arguments(),
{ok, Forms} = epp:parse_file(File, []),
Parsed = [F || F <- Forms, element(1, F) =/= error],
Errors = [E || {error, E} <- Forms],
Lint = case erl_lint:module(Parsed, File, [nowarn_unused_function, nowarn_export_all]) of
    {ok, _} -> [];
    {error, Es, _} -> [E || {_, FileErrors} <- Es, E <- FileErrors,
                            element(1, element(3, E)) =/= undefined_function]
end,
case Errors ++ Lint of
    [] -> halt(0);
    Problems -> io:format("~p~n", [Problems]), halt(1)
end.
"""


def _snippets(language: str) -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for lang, code in FENCE.findall(page.read_text("utf8")):
            if lang == language:
                found.append((f"{page.relative_to(ROOT)}#{len(found)}", code))
    return found


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install erlang-base elixir)")
    return path


def test_chapters_have_erlang_and_elixir_snippets():
    """The chapters show OTP code beside Elixir, so there is something to check."""
    assert len(_snippets("erlang")) >= 5
    assert len(_snippets("elixir")) >= 5


@pytest.mark.parametrize("where, code", _snippets("erlang"), ids=lambda v: str(v)[:60])
def test_erlang_snippet_compiles(where, code, tmp_path):
    """The snippet, as the body of a module, has no syntax or lint error."""
    erl = _require("erl")
    module = tmp_path / "snippet.erl"
    module.write_text("-module(snippet).\n-compile([export_all, nowarn_export_all]).\n"
                      + code)
    result = subprocess.run(
        [erl, "-noshell", "-eval", ERLANG_LINT, "-extra", str(module)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"{where}:\n{code}\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("where, code", _snippets("elixir"), ids=lambda v: str(v)[:60])
def test_elixir_snippet_parses(where, code, tmp_path):
    """The snippet is syntactically valid Elixir."""
    elixir = _require("elixir")
    source = tmp_path / "snippet.exs"
    source.write_text(code)
    result = subprocess.run(
        [elixir, "-e", f'Code.string_to_quoted!(File.read!("{source}"))'],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"{where}:\n{code}\n{result.stdout}{result.stderr}"
