"""Progress over time: scores per dimension and per topic across sessions.

A question's result in a session is its score event's overall score, or,
for sessions recorded before scoring existed, its rubric coverage times 5
(marked as such). A re-transcribed, re-scored or re-run session replaces the
session it came from (same practice, newer numbers), dated as the original.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from voice_interviewer.sessions import charts
from voice_interviewer.events import Scores
from voice_interviewer.sessions.model import Session

DIMENSIONS = Scores.DIMENSIONS
from voice_interviewer.sessions.page import esc, page
from voice_interviewer.sessions.repetition import choose_questions  # noqa: F401  (the drill's entry point)
from voice_interviewer.sessions.store import session_dirs, load_session, sessions_root
from voice_interviewer.sessions.summary import bank_question


@dataclass(frozen=True)
class Attempt:
    """One question answered in one session."""

    session: str
    question_id: str
    when: datetime
    score: float  # 0-5
    source: str  # score | coverage
    track: str | None = None
    tags: tuple[str, ...] = ()
    dimensions: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SessionPoint:
    session: str
    when: datetime
    dimensions: dict  # mean per dimension, only where score events exist
    coverage5: float | None  # mean rubric coverage on the 0-5 scale
    topics: dict  # track -> mean attempt score


@dataclass(frozen=True)
class Progress:
    attempts: tuple[Attempt, ...]
    sessions: tuple[SessionPoint, ...]

    @property
    def tracks(self) -> list[str]:
        return sorted({t for s in self.sessions for t in s.topics})

    def tag_table(self) -> list[dict]:
        """Per tag: attempts and the mean of each question's latest score, weakest first."""
        latest: dict[str, Attempt] = {}
        for a in self.attempts:
            latest[a.question_id] = a
        rows: dict[str, dict] = {}
        for a in self.attempts:
            for tag in a.tags:
                rows.setdefault(tag, {"tag": tag, "attempts": 0, "questions": set()})
                rows[tag]["attempts"] += 1
                rows[tag]["questions"].add(a.question_id)
        out = []
        for r in rows.values():
            scores = [latest[q].score for q in r["questions"]]
            out.append({"tag": r["tag"], "attempts": r["attempts"], "latest": round(sum(scores) / len(scores), 2)})
        return sorted(out, key=lambda r: (r["latest"], r["tag"]))


def parse_when(text: str | None, fallback_name: str = "") -> datetime:
    from voice_interviewer.sessions.model import _stamp_from_name

    for candidate in (text, _stamp_from_name(fallback_name)):
        try:
            d = datetime.fromisoformat(str(candidate))
            return d if d.tzinfo else d.replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return datetime.fromtimestamp(0, timezone.utc)


def _current_sessions(root) -> list[tuple[Session, datetime]]:
    """Each practice once: the newest session derived from it stands in for it, with its date."""
    base = sessions_root(root)
    if not base.is_dir():
        return []
    sessions = {p.name: load_session(p, check_audio=False) for p in session_dirs(base)}

    def origin(name: str) -> str:
        seen = set()
        while sessions[name].meta.get("derived_from") in sessions and name not in seen:
            seen.add(name)
            name = sessions[name].meta["derived_from"]
        return name

    latest: dict[str, str] = {}
    for name in sorted(sessions):  # names sort by creation time
        latest[origin(name)] = name
    return sorted(((sessions[new], parse_when(sessions[old].started_at, old)) for old, new in latest.items()),
                  key=lambda x: x[1])


def history(root=None) -> list[Attempt]:
    """Every question answered, oldest first: what choose_questions needs."""
    return [a for s, when in _current_sessions(root) for a in _attempts(s, when)]


def _attempts(s: Session, when: datetime) -> list[Attempt]:
    out = []
    for q in s.questions:
        bq = bank_question(q.question_id)
        if q.overall is not None:
            score, source = q.overall, "score"
        elif q.covered_share is not None:
            score, source = q.covered_share * 5, "coverage"
        else:
            continue  # asked but never answered far enough to measure
        dims = {d: q.score.scores.get(d) for d in DIMENSIONS if q.score and q.score.scores.get(d) is not None}
        out.append(Attempt(s.name, q.question_id, when, round(float(score), 2), source,
                           bq.track if bq else None, tuple(bq.tags) if bq else (), dims))
    return out


def progress(root=None) -> Progress:
    attempts, points = [], []
    for s, when in _current_sessions(root):
        mine = _attempts(s, when)
        if not mine:
            continue
        attempts += mine
        topics: dict[str, list[float]] = {}
        for a in mine:
            topics.setdefault(a.track or "other", []).append(a.score)
        shares = [q.covered_share for q in s.questions if q.covered_share is not None]
        points.append(SessionPoint(s.name, when, s.dimension_means(),
                                   round(5 * sum(shares) / len(shares), 2) if shares else None,
                                   {t: round(sum(v) / len(v), 2) for t, v in topics.items()}))
    return Progress(tuple(attempts), tuple(points))


# --- terminal ----------------------------------------------------------------------------
def format_progress(p: Progress) -> str:
    if not p.sessions:
        return "No answered questions yet. Record a session with: voice-interviewer drill"
    scored = sum(1 for s in p.sessions if s.dimensions)
    lines = [f"{len(p.sessions)} session(s), {scored} with scores; {len(p.attempts)} answers.", "",
             f"{'DATE':16}  {'SESSION':28} " + " ".join(f"{d[:8]:>8}" for d in DIMENSIONS) + f" {'COVER/5':>8}"]
    for s in p.sessions:
        dims = " ".join(f"{s.dimensions[d]:>8.1f}" if d in s.dimensions else f"{'-':>8}" for d in DIMENSIONS)
        cov = f"{s.coverage5:>8.1f}" if s.coverage5 is not None else f"{'-':>8}"
        lines.append(f"{s.when:%Y-%m-%d %H:%M}  {s.session:28} {dims} {cov}")
    lines += ["", f"{'TOPIC':34} {'ANSWERS':>7} {'FIRST':>6} {'LAST':>6} {'BEST':>6}"]
    for track in p.tracks:
        series = [s.topics[track] for s in p.sessions if track in s.topics]
        n = sum(1 for a in p.attempts if (a.track or "other") == track)
        lines.append(f"{track:34} {n:>7} {series[0]:>6.1f} {series[-1]:>6.1f} {max(series):>6.1f}")
    weak = p.tag_table()[:5]
    if weak:
        lines += ["", "weakest tags: " + ", ".join(f"{r['tag']} {r['latest']:.1f}" for r in weak)]
    if any(a.source == "coverage" for a in p.attempts):
        lines.append("(answers without a score count as rubric coverage x 5)")
    return "\n".join(lines)


# --- HTML ----------------------------------------------------------------------------------
def write_progress_html(p: Progress, path: Path | str, bank=None, now: datetime | None = None) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_progress_html(p, bank, now), encoding="utf-8")
    return out


def render_progress_html(p: Progress, bank=None, now: datetime | None = None) -> str:
    labels = [f"{s.when:%m-%d %H:%M}" for s in p.sessions]
    dim_series = [(d, charts.COLORS[d], [s.dimensions.get(d) for s in p.sessions]) for d in DIMENSIONS]
    dim_series.append(("rubric coverage ×5", "#94a3b8", [s.coverage5 for s in p.sessions]))
    topic_series = [(t, charts.PALETTE[i % len(charts.PALETTE)], [s.topics.get(t) for s in p.sessions])
                    for i, t in enumerate(p.tracks)]
    latest = p.sessions[-1] if p.sessions else None
    headline = (latest.dimensions.get("overall") if latest and latest.dimensions else (latest.coverage5 if latest else None))
    hero = (f"<header class='hero'><div class='inner'><div class='what'><div class='kicker'>Practice progress</div>"
            f"<h1>{len(p.sessions)} session(s), {len(p.attempts)} answers</h1><div class='chips'>"
            + "".join(f"<span class='chip'>{esc(t)} <b>{len([a for a in p.attempts if (a.track or 'other') == t])}</b></span>"
                      for t in p.tracks)
            + f"</div></div><div class='rings'>{charts.score_ring(headline, 5.0, 'latest session')}</div></div></header>")
    body = [hero, "<main>"]
    if not p.sessions:
        body.append("<section class='card'><h2>No answered questions yet</h2><p>Record a session with "
                    "<code>voice-interviewer drill</code>.</p></section>")
    else:
        body.append("<section class='card'><h2>Scores over time</h2><p class='sub'>Mean per session, 0 to 5. "
                    "Grey: rubric coverage ×5, for sessions without scores.</p>"
                    + charts.legend([(n, c) for n, c, _ in dim_series])
                    + charts.line_chart(labels, dim_series, 5.0, "scores per dimension over time", width=1000) + "</section>")
        body.append("<section class='card'><h2>By topic</h2><p class='sub'>Mean result of the questions asked from each "
                    "track, per session.</p>" + charts.legend([(n, c) for n, c, _ in topic_series])
                    + charts.line_chart(labels, topic_series, 5.0, "scores per topic over time", width=1000) + "</section>")
        body.append(_tags_card(p))
        if bank is not None:
            body.append(_due_card(p, bank, now))
    body.append("<footer>Made by voice-interviewer. Everything is inside this file.</footer></main>")
    return page("Interview practice progress", "".join(body))


def _tags_card(p: Progress) -> str:
    rows = "".join(f"<tr><td>{esc(r['tag'])}</td><td>{r['attempts']}</td><td>{charts.meter(r['latest'] / 5, _tone(r['latest']))}"
                   f" {r['latest']:.1f}</td></tr>" for r in p.tag_table()[:15])
    return ("<section class='card'><h2>Weakest tags first</h2><p class='sub'>Mean of the latest result of each question "
            f"with that tag.</p><table><tr><th>tag</th><th>answers</th><th>latest</th></tr>{rows}</table></section>")


def _tone(score: float) -> str:
    return "#ef4444" if score < 2 else "#f59e0b" if score < 3.5 else "#10b981"


def _due_card(p: Progress, bank, now) -> str:
    picks = choose_questions(bank, None, 10, p.attempts, random.Random(0), now)
    rows = "".join(f"<tr><td>{esc(k.question.id)}</td><td>{esc(k.question.track)}</td><td>{esc(k.priority)}</td>"
                   f"<td>{esc(k.reason)}</td></tr>" for k in picks)
    return ("<section class='card'><h2>Next drill</h2><p class='sub'>What <code>voice-interviewer drill</code> would "
            f"pick next: weak and overdue first, then new.</p><table><tr><th>question</th><th>track</th><th>priority</th>"
            f"<th>why</th></tr>{rows}</table></section>")
