"""The end-of-session summary: a table per question, averages, best and worst topics, three tips."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

DIMENSIONS = ("content", "reasoning", "delivery", "overall")


@dataclass(frozen=True)
class SessionSummary:
    rows: tuple[dict, ...]  # question_id, topic, the four scores
    averages: dict
    strongest: tuple[str, ...]
    weakest: tuple[str, ...]
    tips: tuple[str, ...]

    def text(self) -> str:
        if not self.rows:
            return "No answers were scored."
        head = f"{'question':40} {'content':>8} {'reason':>7} {'deliv':>6} {'overall':>8}"
        lines = [head, "-" * len(head)]
        for r in self.rows:
            lines.append(f"{r['question_id']:40} " + " ".join(f"{_fmt(r[d]):>{w}}" for d, w in zip(DIMENSIONS, (8, 7, 6, 8))))
        lines.append(f"{'average':40} " + " ".join(f"{_fmt(self.averages.get(d)):>{w}}" for d, w in zip(DIMENSIONS, (8, 7, 6, 8))))
        lines.append("")
        if self.strongest:
            lines.append("strongest: " + ", ".join(self.strongest))
        if self.weakest:
            lines.append("weakest:   " + ", ".join(self.weakest))
        lines += ["", "three tips that matter most:"] + [f"  {i + 1}. {t}" for i, t in enumerate(self.tips)]
        return "\n".join(lines)


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.1f}"


def summarize(score_events: list[dict], topics: dict[str, str]) -> SessionSummary:
    """score_events: `score` events (as in events.jsonl); topics: question id -> topic label."""
    rows = []
    for e in score_events:
        s = e["scores"]
        rows.append({"question_id": e["question_id"], "topic": topics.get(e["question_id"], "other"), **{d: s.get(d) for d in DIMENSIONS}})
    averages = {d: round(sum(v) / len(v), 1) for d in DIMENSIONS if (v := [r[d] for r in rows if r[d] is not None])}
    by_topic = defaultdict(list)
    for r in rows:
        by_topic[r["topic"]].append(r["overall"])
    ranked = sorted(by_topic, key=lambda t: sum(by_topic[t]) / len(by_topic[t]))
    weakest = tuple(ranked[: min(2, len(ranked) // 2 or 1)]) if len(ranked) > 1 else ()
    strongest = tuple(reversed(ranked[-min(2, len(ranked) // 2 or 1):])) if len(ranked) > 1 else tuple(ranked)
    # tips from the weakest answers first; one per answer, no repeats
    tips, seen = [], set()
    for e in sorted(score_events, key=lambda e: e["scores"]["overall"]):
        for tip in e.get("tips", []):
            if tip not in seen:
                seen.add(tip)
                tips.append(tip)
                break
    return SessionSummary(tuple(rows), averages, strongest, weakest, tuple(tips[:3]))
