# Two commands matter: `make demo` (the main job) and `make test`.
# Each one sets itself up first; set-up is quick once done.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test bench bench-latency bench-all bench-vad bench-stt bench-tts bench-llm bench-follow-ups bench-scoring clean

setup:
	@bash scripts/setup.sh

demo: setup
	$(PY) -m voice_interviewer demo

test: setup
	@bash scripts/install_chromium.sh   # the report test renders the HTML in headless Chromium
	@bash scripts/install_live_audio.sh   # userspace PulseAudio for the live-audio tests (skipped without it)
	$(PY) -m pytest -q

# The headline: the reply gap (end of the candidate's speech to the interviewer's first sound), measured
# live through a userspace PulseAudio with real recordings as the candidate, and the start-up time to the
# first word (about 10 minutes: sessions run in real time). Figures -> docs/benchmarks.md
bench: setup
	@bash scripts/install_live_audio.sh
	$(PY) scripts/bench_live_rig.py --parts gap

# The pipeline's own share of the gap on the virtual device, with the LLM (about 15 minutes)
bench-latency: setup
	$(PY) scripts/bench_latency.py

bench-all: bench bench-latency bench-vad bench-stt bench-tts bench-llm bench-follow-ups bench-scoring

# What the LLM's follow-ups say and which the checks keep (about 3 minutes)
bench-follow-ups: setup
	$(PY) scripts/bench_follow_ups.py

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
