# The two commands: `make run` serves the demo hub, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app hub
PYTEST_ARGS ?=

.PHONY: run test test-quick bench install translations extract clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -d translations

# A local secret key, written once, so the demo runs outside debug mode with real settings.
instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print('# Written by make run for this machine only.'); print('SECRET_KEY = %r' % secrets.token_hex(32)); print('SESSION_COOKIE_SECURE = False')" > $@

# The job runner (search indexing, media, mail) runs beside the server and stops with it.
run: install translations instance/config.py
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) jobs run & runner=$$!; trap 'kill $$runner 2>/dev/null; wait $$runner' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Debian's Chromium (browser tests) and ffmpeg (media processing); never a downloaded browser build.
system-deps:
	@command -v chromium >/dev/null && command -v ffmpeg >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ffmpeg >/dev/null; \
	  else echo "Please install chromium and ffmpeg (Debian: apt-get install chromium ffmpeg)"; exit 1; fi; }

test: install translations system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick loop while coding: skips browser and other slow tests.
test-quick: install translations
	$(BIN)/python -m pytest -m "not slow" -q $(PYTEST_ARGS)

# Quick sizes by default; larger ones through the environment, e.g. BENCH_DOCS=50000 BENCH_POSTS=10000 make bench.
BENCH_DOCS ?= 5000
BENCH_POSTS ?= 0
bench: install translations
	for script in bench/*.py; do BENCH_DOCS=$(BENCH_DOCS) BENCH_POSTS=$(BENCH_POSTS) $(BIN)/python "$$script" || exit 1; done

extract: install
	$(FLASK) --debug translate extract

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
