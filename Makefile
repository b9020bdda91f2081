# The two commands of the README: `make demo` runs the local voice workout, `make test` runs every test.
# Each one sets up .venv on a fresh machine first.

PYTHON ?= python3
VENV := .venv
# Every package of the development environment, pinned with hashes (uv pip compile; `make lock` regenerates it).
LOCK := requirements/dev.lock
BIN := $(VENV)/bin
READY := $(VENV)/.ready
# Amazon's APL validator (npm apl-suggester, pinned in tests/apl/package-lock.json); the tests run it with node.
APL := tests/apl
APL_READY := $(APL)/node_modules/.ready

.PHONY: demo test bench fuzz audit model deploy lock wheels clean

# espeak-ng and lame render the audio mode's clips (locally and in the tests); installed when missing on Debian.
SYSTEM_TOOLS := espeak-ng lame

# The venv is built afresh from the lock whenever the lock or pyproject.toml changes, so it holds exactly what the
# lock says on every machine and every day (a stale lock is caught by tests/unit/test_lock.py).
$(READY): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Back Coach needs Python 3.11 or newer as $(PYTHON): install it, or run make PYTHON=/path/to/python3.11"; \
		exit 1; }
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null; then \
			SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
			$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
		else echo "please install:$$missing (the audio mode's clips and their tests need them)"; exit 1; fi; \
	fi
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(READY)

$(APL_READY): $(APL)/package.json $(APL)/package-lock.json
	@command -v npm >/dev/null || { command -v apt-get >/dev/null && \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ) && $$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; } || \
		{ echo "node and npm are needed to validate the APL documents"; exit 1; }
	npm ci --prefix $(APL) --no-audit --no-fund --loglevel=error
	touch $(APL_READY)

# At a terminal: a conversation (add --audio to the command for the audio mode). Without one: the scripted
# circuit in speech mode, then the same circuit as one audio stream.
demo: $(READY)
	@if [ -t 0 ]; then $(BIN)/backcoach chat; \
	else $(BIN)/backcoach chat --demo && echo && echo "--- the audio mode: one stream from one sentence ---" && \
		$(BIN)/backcoach chat --demo --audio; fi

# The Lambda pins' wheels (build/wheels/): the zips the tests build install from there, with no index.
# and the runtime's CPython (python3.13; pyenv provides it) compiles their bytecode: found, or said how to get it.
wheels: $(READY)
	@$(BIN)/python -m skill.cli.build --runtime-python >/dev/null
	@$(BIN)/python -m skill.cli.build --wheels >/dev/null

test: $(READY) $(APL_READY) wheels
	$(BIN)/ruff check .
	$(BIN)/backcoach model --check
	$(BIN)/python -m pytest

bench: $(READY) wheels
	$(BIN)/python -m benchmarks.run

fuzz: $(READY)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/robustness

# Known vulnerabilities in the Lambda package's pinned dependencies and in the development environment.
audit: $(READY)
	$(BIN)/pip-audit --strict --no-deps -r lambda/requirements.txt
	$(BIN)/pip-audit --strict --local

model: $(READY)
	$(BIN)/backcoach model

# Build, then deploy the SAM stack and the skill package (needs the SAM CLI and the ASK CLI, configured; and
# BACKCOACH_PRIVACY_URL, BACKCOACH_TERMS_URL). `make deploy ARGS=--dry-run` prints the commands and runs none.
deploy: $(READY)
	$(BIN)/backcoach deploy $(ARGS)

# Regenerates every lock after a dependency change in pyproject.toml or lambda/*.in: the development environment's
# (all of pyproject's extras, the AWS SDK held at Lambda's runtime versions) and the Lambda zips' hash pins.
lock: $(READY)
	$(BIN)/python -m uv pip compile --quiet --universal --generate-hashes --python-version 3.11 --all-extras \
		--custom-compile-command "make lock" pyproject.toml requirements/dev.in -o $(LOCK)
	$(BIN)/python -m skill.cli.build --pins

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis $(APL)/node_modules
