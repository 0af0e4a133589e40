"""A whole phone screen, headless (voice_interviewer/demo/phone_screen.py): the netflix-mle profile,
a synthetic candidate and a scripted coder; writes the session, the HTML report and outcome.json.

    .venv/bin/python scripts/phone_screen_headless.py                 # 45 minutes, recent-distinct-titles
    .venv/bin/python scripts/phone_screen_headless.py --minutes 30 --problem top-k-titles
    .venv/bin/python scripts/phone_screen_headless.py --code v1.py v2.py  # held-out code, typed in turn
    .venv/bin/python scripts/phone_screen_headless.py --short             # coding round + closing (the test)

The same as `voice-interviewer demo --phone-screen`. Everything the candidate says or types is SYNTHETIC.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voice_interviewer.demo.phone_screen import HeadlessOptions, run_phone_screen  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=45)
    p.add_argument("--profile", default="netflix-mle")
    p.add_argument("--problem", default="recent-distinct-titles")
    p.add_argument("--code", nargs="+", type=Path, default=(), help="held-out code versions to type in turn")
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--llm", default="none", help="none (bank follow-ups), qwen-0.5b or qwen-1.5b")
    p.add_argument("--stt", default="tiny.en")
    p.add_argument("--out", type=Path, default=Path("out/phone-screen"))
    p.add_argument("--short", action="store_true", help="only the coding problem and the closing question")
    a = p.parse_args(argv)
    outcome = run_phone_screen(HeadlessOptions(a.out, a.minutes, a.profile, a.problem, tuple(a.code), a.seed, a.llm,
                                               a.stt, a.short))
    print(json.dumps(outcome, indent=2))
    return 0 if outcome["status"].startswith("completed") else 1


if __name__ == "__main__":
    sys.exit(main())
