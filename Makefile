# Every target bootstraps what it needs: a fresh clone with Python 3.11+ and Node.js/npm
# needs nothing else. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Kernels started by the book build and the tests must be this venv's Python, importing
# this checkout's package (even if the venv's editable install points elsewhere).
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PYTHONPATH := $(CURDIR)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
PORT ?= 8000

.PHONY: help book lab labs serve test bench clean runtime system-packages

help:
	@echo "make book    build the book into _build/html (sets up .venv and the browser runtime first)"
	@echo "make test    run the whole test suite (unit, notebooks, book build, headless browser)"
	@echo "make lab     open the labs in JupyterLab"
	@echo "make labs    regenerate labs/ from solutions/"
	@echo "make serve   serve the built book on http://127.0.0.1:$(PORT)"
	@echo "make bench   measure explorables and the simulation core; writes benchmarks/results.json"

$(BIN)/.installed: requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The widget manager, its fonts and MathJax, copied where the book serves them from.
_runtime/.copied: node_modules/.installed
	rm -rf _runtime && mkdir -p _runtime/widgets _runtime/mathjax
	cp node_modules/@jupyter-widgets/html-manager/dist/embed.js _runtime/widgets/
	cp node_modules/@jupyter-widgets/html-manager/dist/*.woff* node_modules/@jupyter-widgets/html-manager/dist/*.ttf \
	   node_modules/@jupyter-widgets/html-manager/dist/*.eot node_modules/@jupyter-widgets/html-manager/dist/*.svg _runtime/widgets/
	cp -r node_modules/mathjax/es5/. _runtime/mathjax/
	cp node_modules/axe-core/axe.min.js _runtime/
	touch $@

runtime: _runtime/.copied

book: $(BIN)/.installed _runtime/.copied
	REACTIVE_LAB_STATIC=1 $(BIN)/jupyter-book build . --all --warningiserror --keep-going
	@echo "The book is in $(CURDIR)/_build/html/index.html (make serve shows it on http://127.0.0.1:$(PORT))"

labs: $(BIN)/.installed
	$(BIN)/python -m reactive_lab.teaching.labgen

lab: $(BIN)/.installed
	$(BIN)/jupyter lab labs/

serve:
	@test -f _build/html/index.html || { echo "No built book: run make book first"; exit 1; }
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 $(PORT)

# Debian packages the tests use, by the command each provides:
#   chromium  the browser tests (Playwright's own browser download does not work offline)
#   erl       compiles the Erlang code shown in the chapters (erlang-base)
#   elixir    compiles the Elixir code shown in the chapters
#   bwrap     the grader's sandbox for submitted notebooks (bubblewrap)
# Installed when missing if we are root or have password-less sudo; otherwise the target
# stops and prints the one command to run.
SYSTEM_PACKAGES = chromium:chromium erl:erlang-base elixir:elixir bwrap:bubblewrap
FONT_PACKAGES = fonts-dejavu-core
system-packages:
	@missing=""; \
	for pair in $(SYSTEM_PACKAGES); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  missing="$$missing $(FONT_PACKAGES)"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	  elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	  else echo "The tests need Debian packages that are missing. Run:"; \
	       echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$$missing"; \
	       exit 1; fi; \
	  echo "installing Debian packages:$$missing"; \
	  $$sudo apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

# Unit, validation and notebook tests, while a clean book builds beside them; then the
# browser tests against that build. The book build runs one notebook at a time, so it
# takes the CPU the two test workers leave idle, niced so timing-sensitive tests (real
# BEAM nodes, the grader's time limits) keep theirs; its log is shown when it ends.
# -rs lists every skipped test with its reason in the summary.
BOOK_LOG := .book-build.log
test: system-packages $(BIN)/.installed _runtime/.copied
	$(BIN)/ruff check .
	rm -rf _build
	@nice -n 15 $(MAKE) --no-print-directory book > $(BOOK_LOG) 2>&1 & book=$$!; \
	echo "make book: building in the background, log in $(BOOK_LOG)"; \
	$(BIN)/python -m pytest -q -rs --durations=15 -m "not book" -n 2 tests reactive_lab; \
	unit=$$?; wait $$book; built=$$?; \
	if [ $$built -ne 0 ]; then cat $(BOOK_LOG); echo "make book failed"; else tail -n 3 $(BOOK_LOG); fi; \
	[ $$unit -eq 0 ] && [ $$built -eq 0 ]
	$(BIN)/python -m pytest -q -rs --durations=15 -m book -n 2 tests

bench: $(BIN)/.installed _runtime/.copied
	REACTIVE_LAB_STATIC=1 $(BIN)/python -m benchmarks.run

clean:
	rm -rf _build _runtime
