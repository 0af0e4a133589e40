# Two commands matter: `make demo` (the main job) and `make test`.
# Each one sets itself up first; set-up is quick once done.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test bench bench-all bench-vad bench-stt bench-tts bench-llm bench-scoring clean

setup:
	@bash scripts/setup.sh

demo: setup
	$(PY) -m voice_interviewer demo

test: setup
	@bash scripts/install_chromium.sh   # the report test renders the HTML in headless Chromium
	@bash scripts/install_live_audio.sh   # userspace PulseAudio for the live-audio tests (skipped without it)
	$(PY) -m pytest -q

# End-to-end turn latency (about 15 minutes: sessions run in real time). Figures -> docs/benchmarks.md
bench: setup
	$(PY) scripts/bench_latency.py

bench-all: bench bench-vad bench-stt bench-tts bench-llm bench-scoring

bench-scoring: setup
	$(PY) scripts/bench_scoring.py

bench-vad: setup
	$(PY) scripts/bench_vad.py

bench-stt: setup
	$(PY) scripts/bench_stt.py

bench-tts: setup
	$(PY) scripts/bench_tts.py

bench-llm: setup
	$(PY) scripts/bench_llm.py

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
