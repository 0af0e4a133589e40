"""The coding round's part of the HTML report: its scores with their evidence, the test runs, the code as it grew.

One card per coding problem of the session. Scores come from scoring/coding.py, computed from the
session's events when the report is made. Successive code versions are shown as diffs against
the version before (the last one also in full), so a reader sees the naive first version, the
rewrite and the fix in the order they happened.
"""

from __future__ import annotations

import difflib

from voice_interviewer.events import Event
from voice_interviewer.scoring.coding import CodingScore, Criterion, coding_problem_ids, score_coding
from voice_interviewer.sessions.page import esc
from voice_interviewer.sessions.summary import clock

CSS = """
.coding .grid { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:10px; margin:12px 0 14px; }
.coding .habit { display:grid; grid-template-columns:34px 190px minmax(0,1fr); gap:10px; align-items:start;
                 padding:9px 0; border-bottom:1px dashed var(--line); }
.coding .dot { width:26px; height:26px; border-radius:50%; color:#fff; font-weight:700; text-align:center; line-height:26px; }
.coding .dot.good { background:var(--good); } .coding .dot.mid { background:var(--warn); }
.coding .dot.bad { background:var(--bad); } .coding .dot.none { background:#cbd5e1; }
.coding .habit .t { font-weight:600; } .coding .habit .v { color:var(--muted); font-size:13px; }
.coding blockquote { margin:4px 0 0; padding:4px 10px; border-left:3px solid var(--cand); background:#f7fdfc;
                     font-size:14px; border-radius:0 6px 6px 0; }
.coding blockquote.prompt { border-color:var(--int); background:#f5f5ff; color:#475569; font-style:italic; }
.coding blockquote .when { color:var(--muted); font-size:12px; margin-right:6px; }
.coding .runs td.ok { color:#047857; font-weight:600; } .coding .runs td.fail { color:#b91c1c; font-weight:600; }
.coding pre { background:#0f172a; color:#e2e8f0; border-radius:10px; padding:12px 14px; overflow:auto; font-size:13px;
              line-height:1.45; margin:6px 0 12px; }
.coding pre .add { color:#86efac; display:block; background:rgba(34,197,94,.12); }
.coding pre .del { color:#fca5a5; display:block; background:rgba(239,68,68,.12); }
.coding pre .hunk { color:#93c5fd; display:block; }
.coding .version { border:1px solid var(--line); border-radius:10px; padding:8px 12px; margin:0 0 10px; }
.coding .version summary { font-weight:600; }
.coding .version .why { color:var(--muted); font-weight:400; font-size:13px; margin-left:6px; }
"""


def coding_cards(events: list[Event], question_id: str | None = None) -> str:
    """The coding card of one question (empty when it was not a coding problem), or of every coding
    problem of the session when no question is named."""
    ids = [pid for pid in coding_problem_ids(list(events)) if question_id in (None, pid)]
    if not ids:
        return ""
    return f"<style>{CSS}</style>" + "".join(_card(score_coding(list(events), pid)) for pid in ids)


def _card(score: CodingScore) -> str:
    overall = f"{score.overall:.1f} / 5" if score.overall is not None else "not scored"
    runs = f"{len(score.runs)} test run(s), {score.hints} hint(s), {len(score.snapshots)} version(s) of the code"
    return (f"<section class='card coding'><h2>Coding round · {esc(score.problem_id)}</h2>"
            f"<p class='sub'>Overall {esc(overall)} · {esc(runs)}. Habits: 5 when shown unprompted, 3 only after "
            "the interviewer asked, 0 never.</p>"
            f"<div class='grid'>{''.join(_tile(c) for c in score.criteria[:3])}</div>"
            f"<h3>What you did, and the evidence</h3>{''.join(_habit(c) for c in score.criteria)}"
            f"{_runs(score)}{_growth(score)}</section>")


def _tile(c: Criterion) -> str:
    value = f"{c.score:.1f}" if c.score is not None else "–"
    return (f"<div class='tile'><div class='k'>{esc(c.title)}</div><div class='v' style='color:{_color(c.score)}'>"
            f"{value}<small style='font-size:13px;color:#94a3b8'> / 5</small></div>"
            f"<div class='note'>{esc(c.verdict)}</div></div>")


def _color(score: float | None) -> str:
    if score is None:
        return "#94a3b8"
    return "#059669" if score >= 4 else "#d97706" if score >= 2.5 else "#dc2626"


def _habit(c: Criterion) -> str:
    cls, mark = ("none", "–") if c.score is None else ("good", "✓") if c.score >= 4 else \
        ("mid", "~") if c.score >= 2.5 else ("bad", "✗")
    quotes = "".join(f"<blockquote class='{e.kind}'><span class='when'>{clock(e.t)}</span>"
                     f"{'asked: ' if e.kind == 'prompt' else ''}{esc(e.text)}</blockquote>"
                     for e in c.evidence if e.kind in ("transcript", "run", "prompt"))
    return (f"<div class='habit'><div class='dot {cls}'>{mark}</div><div><div class='t'>{esc(c.title)}</div>"
            f"<div class='v'>{esc(c.verdict)}</div></div><div>{quotes or _no_quote(c)}</div></div>")


def _no_quote(c: Criterion) -> str:
    if any(e.kind == "code" for e in c.evidence):
        return "<span class='note'>measured on the final code (shown in full below)</span>"
    return "<span class='note'>nothing in the transcript shows it</span>"


def _runs(score: CodingScore) -> str:
    if not score.runs:
        return "<h3>Test runs</h3><p class='note'>The tests were never run.</p>"
    rows = "".join(
        f"<tr><td>{clock(r.t)}</td><td class='{'ok' if r.passed == r.total else 'fail'}'>{r.passed} / {r.total}</td>"
        f"<td>{esc(r.complexity or '–')}</td><td>{esc(r.summary)}</td></tr>" for r in score.runs)
    return ("<h3 style='margin-top:16px'>Test runs</h3><table class='runs'><tr><th>when</th><th>passed</th>"
            f"<th>scaling</th><th>what the interviewer said</th></tr>{rows}</table>")


def _growth(score: CodingScore) -> str:
    versions = score.snapshots
    if not versions:
        return ""
    parts = []
    for i, v in enumerate(versions):
        label = "the starter" if i == 0 else f"version {i}"
        body = _plain(v.code) if i == 0 else _diff(versions[i - 1].code, v.code)
        opened = " open" if i == len(versions) - 1 and i > 0 else ""
        parts.append(f"<details class='version'{opened}><summary>{clock(v.t)} · {label}"
                     f"<span class='why'>{esc(_why(v.reason))}</span></summary><pre>{body}</pre></details>")
    final = versions[-1]
    return ("<h3 style='margin-top:16px'>The code as it grew</h3><p class='sub'>Each version against the one before "
            "(green added, red removed); the final code in full at the end.</p>" + "".join(parts)
            + f"<details class='version' open><summary>{clock(final.t)} · final code</summary><pre>{_plain(final.code)}</pre></details>")


def _why(reason: str) -> str:
    return {"typed": "seen while you typed", "run": "when you asked for a run", "final": "at the end of the round"}.get(reason, reason)


def _plain(code: str) -> str:
    return esc(code.rstrip("\n")) or "<i>(empty)</i>"


def _diff(before: str, after: str) -> str:
    out = []
    for line in list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2))[2:]:
        cls = "add" if line.startswith("+") else "del" if line.startswith("-") else "hunk" if line.startswith("@@") else ""
        out.append(f"<span class='{cls}'>{esc(line)}</span>" if cls else esc(line))
    return "\n".join(out).replace("</span>\n", "</span>") or "<i>(no change)</i>"
