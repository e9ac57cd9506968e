"""The code in the book's language tabs is real code, and the tabs switch together.

- Each Erlang snippet is compiled as the body of a module and linted: syntax errors,
  unbound or unsafe variables and malformed patterns fail the test. A snippet that is a
  configuration file (its first line names one: ``%% rebar.config``, ``%% sys.config``)
  must parse as Erlang terms with ``file:consult/1``.
- Each Elixir snippet is compiled as the body of a module (``Code.compile_string``); an
  error or any warning (a macro used without ``require``, an undefined variable) fails
  the test, except the warnings for modules that are not there (``HashRing``).
- Each Scala (Akka) snippet is parsed with tree-sitter's Scala grammar: Akka's jars cannot
  be fetched here to compile them, but a syntax error fails the test.

In all three, calls to functions the snippet does not define (``node_for/1``,
``directoryFor``) are allowed: a snippet shows one idea, not a whole program. What the
snippets *do* on real nodes is checked in ``tests/distribution/test_beam_*.py``.

Every tab set in the book is one sync group (``:sync-group: lang``) whose tabs are
Erlang, Elixir and Akka (Scala) with the keys ``erlang``, ``elixir`` and ``akka``, so
choosing Elixir once shows Elixir everywhere.

Needs ``erl`` and ``elixir`` (Debian's erlang-base and elixir; ``.ci/run`` installs them).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.beam import beam_tool

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p for p in ROOT.rglob("*.md")
               if not {"_build", "node_modules", ".venv"} & set(p.relative_to(ROOT).parts))
FENCE = re.compile(r"^```(?:\{code-block\} )?(erlang|elixir|scala)\n(.*?)^```$", re.M | re.S)
TAB_SET = re.compile(r"^(:{4,})\{tab-set\}\n(.*?)^\1$", re.M | re.S)
TAB_ITEM = re.compile(r"^:{3}\{tab-item\} (.+)\n((?::[\w-]+:.*\n)*)", re.M)
TABS = [("Erlang", "erlang"), ("Elixir", "elixir"), ("Akka (Scala)", "akka")]

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

# Compile the snippet as a module body; a call to a local function the snippet does not
# define gets a stub (as the Erlang check allows undefined functions), then we retry.
ELIXIR_COMPILE = r"""
[file] = System.argv()
body = File.read!(file)

compile = fn compile, stubs, tries ->
  source = "defmodule Snippet do\n" <> body <> "\n" <> Enum.join(stubs, "\n") <> "\nend\n"
  try do
    Code.compile_string(source, file)
    :ok
  rescue
    e in CompileError ->
      case Regex.run(~r/undefined function (\w+[?!]?)\/(\d+)/, e.description) do
        [_, name, arity] when tries > 0 ->
          args = Enum.map_join(1..String.to_integer(arity)//1, ", ", &"_a#{&1}")
          compile.(compile, ["def #{name}(#{args}), do: :stub" | stubs], tries - 1)
        _ -> reraise e, __STACKTRACE__
      end
  end
end

:ok = compile.(compile, [], 10)
"""


# The only compiler warnings a snippet may cause: calls into modules it does not bring
# along, and callbacks marked @impl whose `use GenServer` line the snippet leaves out.
ELIXIR_ALLOWED_WARNINGS = re.compile(r"is undefined \(module \S+ is not available|"
                                     r"is undefined or private|"
                                     r"got \"@impl true\" for function .* no behaviour")


def _elixir_compile(code: str, tmp_path: Path) -> tuple[bool, str]:
    """Compile *code* as a module body; return (ok, compiler output)."""
    elixir = beam_tool("elixir")
    source = tmp_path / "snippet.ex"
    source.write_text(code)
    script = tmp_path / "compile.exs"
    script.write_text(ELIXIR_COMPILE)
    result = subprocess.run([elixir, str(script), str(source)],
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    warnings = re.findall(r"^warning: (.*)$", output, re.M)
    bad = [w for w in warnings if not ELIXIR_ALLOWED_WARNINGS.search(w)]
    return result.returncode == 0 and not bad, output


CONFIG_SNIPPET = re.compile(r"\A%% \S+\.config\b")


def _snippets(language: str) -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for lang, code in FENCE.findall(page.read_text("utf8")):
            if lang == language:
                found.append((f"{page.relative_to(ROOT)}#{len(found)}", code))
    return found


def _tab_sets() -> list[tuple[str, str]]:
    return [(f"{page.relative_to(ROOT)}#{i}", body)
            for page in PAGES
            for i, (_, body) in enumerate(TAB_SET.findall(page.read_text("utf8")))]


def test_chapters_have_snippets_in_every_language():
    """The chapters show OTP code beside Elixir and Akka, so there is something to check."""
    for language in ("erlang", "elixir", "scala"):
        assert len(_snippets(language)) >= 5, language


@pytest.mark.parametrize("where, code",
                         [(w, c) for w, c in _snippets("erlang") if CONFIG_SNIPPET.match(c)],
                         ids=lambda v: str(v)[:60])
def test_erlang_config_snippet_parses(where, code, tmp_path):
    """A configuration snippet is a sequence of Erlang terms, each ending in a full stop."""
    erl = beam_tool("erl")
    config = tmp_path / "snippet.config"
    config.write_text(code)
    result = subprocess.run(
        [erl, "-noshell", "-eval",
         f'{{ok, [_ | _]}} = file:consult("{config}"), halt().'],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"{where}:\n{code}\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("where, code",
                         [(w, c) for w, c in _snippets("erlang")
                          if not CONFIG_SNIPPET.match(c)],
                         ids=lambda v: str(v)[:60])
def test_erlang_snippet_compiles(where, code, tmp_path):
    """The snippet, as the body of a module, has no syntax or lint error."""
    erl = beam_tool("erl")
    module = tmp_path / "snippet.erl"
    module.write_text("-module(snippet).\n-compile([export_all, nowarn_export_all]).\n"
                      + code)
    result = subprocess.run(
        [erl, "-noshell", "-eval", ERLANG_LINT, "-extra", str(module)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"{where}:\n{code}\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("where, code", _snippets("elixir"), ids=lambda v: str(v)[:60])
def test_elixir_snippet_compiles(where, code, tmp_path):
    """The snippet, as the body of a module, compiles without a warning of its own."""
    ok, output = _elixir_compile(code, tmp_path)
    assert ok, f"{where}:\n{code}\n{output}"


@pytest.mark.parametrize("code", [
    'def warn(x), do: Logger.warning("lost #{x}")\n',   # macro without require
    "def f(x), do: y + x\n",                            # undefined variable
    "def f(x), do: x +\n",                              # syntax error
], ids=["no require", "undefined variable", "syntax"])
def test_elixir_check_rejects_broken_code(code, tmp_path):
    """The compile check fails on broken snippets, so passing means something."""
    ok, _ = _elixir_compile(code, tmp_path)
    assert not ok


def test_elixir_check_allows_calls_into_absent_modules(tmp_path):
    """A call to a library the check does not have (libring) is not an error."""
    ok, output = _elixir_compile("def f(r, k), do: HashRing.key_to_node(r, k)\n", tmp_path)
    assert ok, output


def _scala_errors(code: str) -> list[str]:
    tree_sitter = pytest.importorskip("tree_sitter", reason="tree-sitter is not installed")
    scala = pytest.importorskip("tree_sitter_scala", reason="tree-sitter-scala is not installed")
    parser = tree_sitter.Parser(tree_sitter.Language(scala.language()))
    tree = parser.parse(code.encode("utf8"))
    errors, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            errors.append(f"line {node.start_point[0] + 1}: {node.type} {node.text!r}")
        stack.extend(node.children)
    return errors


@pytest.mark.parametrize("where, code", _snippets("scala"), ids=lambda v: str(v)[:60])
def test_scala_snippet_parses(where, code):
    """The snippet parses with tree-sitter's Scala grammar: no error or missing node."""
    assert _scala_errors(code) == [], f"{where}:\n{code}"


def test_scala_check_rejects_broken_code():
    """The Scala check finds an unclosed call, so passing means something."""
    assert _scala_errors("val seeds = List(1, 2\n")


def test_book_has_tab_sets():
    assert len(_tab_sets()) >= 5


@pytest.mark.parametrize("where, body", _tab_sets(), ids=lambda v: str(v)[:60])
def test_tab_set_is_synced_across_the_book(where, body):
    """Each tab set is in the ``lang`` sync group, with Erlang, Elixir and Akka tabs keyed."""
    assert re.match(r"\s*:sync-group: lang\n", body), f"{where}: no ':sync-group: lang'"
    tabs = [(title.strip(), re.search(r":sync: (\S+)", options))
            for title, options in TAB_ITEM.findall(body)]
    # The Akka tab may say what it shows ("Akka (config)", "Akka / Pekko (Scala)").
    assert [(t.split(" ")[0], m.group(1) if m else None) for t, m in tabs] == [
        (title.split(" ")[0], key) for title, key in TABS], where
