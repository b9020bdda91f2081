# The two commands of the README: `make demo` runs the local voice workout, `make test` runs every test.
# Each one sets up .venv on a fresh machine first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
# Amazon's APL validator (npm apl-suggester, pinned in tests/apl/package-lock.json); the tests run it with node.
APL := tests/apl
APL_READY := $(APL)/node_modules/.ready

.PHONY: demo test bench fuzz audit model deploy clean

# espeak-ng and lame render the audio mode's clips (locally and in the tests); installed when missing on Debian.
SYSTEM_TOOLS := espeak-ng lame

$(READY): pyproject.toml
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null; then \
			SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
			$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
		else echo "please install:$$missing (the audio mode's clips and their tests need them)"; exit 1; fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[web,companion,activity,dev]'
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

test: $(READY) $(APL_READY)
	$(BIN)/ruff check .
	$(BIN)/backcoach model --check
	$(BIN)/python -m pytest

bench: $(READY)
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

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis $(APL)/node_modules
