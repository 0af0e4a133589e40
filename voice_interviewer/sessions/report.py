"""A session report as one self-contained HTML page, as Markdown, or as JSON.

All three lay out the same summary (summary.py). The HTML page carries its
own CSS, SVG charts and audio (data: URIs), so it works when mailed; the
Markdown links the session's audio files; the JSON is for other programs.
Reports are written outside the session folder: a session is never altered.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

from voice_interviewer.errors import UserFacingError
from voice_interviewer.sessions import charts
from voice_interviewer.sessions.coding_report import coding_cards
from voice_interviewer.sessions.media import audio_data_uri
from voice_interviewer.events import Scores
from voice_interviewer.sessions.model import Session

DIMENSIONS = Scores.DIMENSIONS
from voice_interviewer.sessions.page import esc, page
from voice_interviewer.sessions.store import audio_path
from voice_interviewer.sessions.summary import clock, summarize, turn_summary

FORMATS = ("html", "md", "json")
MARKED = ("covered", "partial", "wrong")  # statuses whose evidence is highlighted in the transcript
SYMBOL = {"covered": "✓", "partial": "~", "missed": "✗", "wrong": "✗!", "unclear": "?"}
# The verdicts' own look (page.py styles the rest): a wrong statement must not read like a gap.
VERDICT_CSS = """<style>
.kps li.wrong { background:#fef2f2; border-left:3px solid #b91c1c; }
.kps li.wrong::before { content:"!"; background:#b91c1c; }
.kps li.unclear::before { content:"?"; background:#64748b; }
.kps .tag { font-size:11px; font-weight:700; text-transform:uppercase; letter-spacing:.05em; margin-left:6px; }
.kps li.wrong .tag { color:#b91c1c; }
.kps .ev { display:block; font-style:italic; font-size:13px; color:#334155; margin-top:2px; }
.kps .reason { display:block; font-size:13px; color:#475569; margin-top:2px; }
.kps li.wrong .reason { color:#991b1b; font-weight:600; }
mark.wrong { background:#fecaca; text-decoration:underline wavy #b91c1c; }
.flags { margin:0 0 10px; padding:8px 10px 8px 26px; background:#fff7ed; border:1px solid #fed7aa; border-radius:8px; font-size:13px; }
</style>"""
JSON_VERSION = 1


def default_report_path(session: Session, fmt: str) -> Path:
    """In the current folder, named after the session (never inside the session folder)."""
    return Path.cwd() / f"{session.name}-report.{fmt}"


def write_report(session: Session, fmt: str = "html", path: Path | str | None = None, embed_audio: bool = True) -> Path:
    if fmt not in FORMATS:
        raise UserFacingError(f"Unknown report format '{fmt}'", "choose html, md or json")
    out = Path(path) if path else default_report_path(session, fmt)
    if out.is_dir():
        out = out / default_report_path(session, fmt).name
    if session.folder.resolve() in out.resolve().parents:
        raise UserFacingError("Refusing to write the report inside the session folder (sessions are never altered)",
                              "give another place with -o PATH")
    data = summarize(session)
    if fmt == "json":
        text = json.dumps(to_json(data), indent=2, default=str)
    elif fmt == "md":
        text = render_markdown(data, session, out.parent)
    else:
        text = render_html(data, session, embed_audio)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise UserFacingError(f"Cannot write the report to {out} ({exc.strerror or exc})",
                              "give a writable place with -o PATH") from exc
    return out


def to_json(data: dict) -> dict:
    return {"format": "voice-interviewer session report", "version": JSON_VERSION, **data}


# --- shared helpers ------------------------------------------------------------------
def when(started_at: str) -> str:
    try:
        d = datetime.fromisoformat(started_at)
    except (TypeError, ValueError):
        return started_at or "unknown date"
    return d.strftime("%a %d %b %Y · %H:%M") + (" UTC" if d.utcoffset() is not None and not d.utcoffset() else "")


def _tokens(text: str) -> list[str]:
    return text.split()


def _norm(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", token.lower())


def mark_tokens(texts: list[str], key_points: list[dict]) -> list[list[tuple[str, tuple]]]:
    """Each turn's words, each with the covered/partial/wrong key points (number, status) whose
    evidence includes it. Evidence is a stretch of the joined answers, so it is found by
    matching words (exactly, then ignoring case and punctuation) across the turns."""
    words = [(i, w) for i, t in enumerate(texts) for w in _tokens(t)]
    marks: list[set] = [set() for _ in words]
    for n, kp in enumerate(key_points, 1):
        if kp.get("status") not in MARKED or not kp.get("evidence"):
            continue
        at = _find([w for _, w in words], _tokens(str(kp["evidence"])))
        if at is not None:
            for j in range(at[0], at[1]):
                marks[j].add((n, kp["status"]))
    out: list[list[tuple[str, tuple]]] = [[] for _ in texts]
    for (i, w), m in zip(words, marks):
        out[i].append((w, tuple(sorted(m))))
    return out


def _find(hay: list[str], needle: list[str]) -> tuple[int, int] | None:
    if not needle:
        return None
    for key in (lambda x: x, _norm):
        h, nd = [key(x) for x in hay], [key(x) for x in needle]
        for i in range(len(h) - len(nd) + 1):
            if h[i:i + len(nd)] == nd:
                return i, i + len(nd)
    return None


def _groups(words: list[tuple[str, tuple]]):
    """Runs of consecutive words with the same marks."""
    run, current = [], None
    for w, m in words:
        if run and m != current:
            yield current, run
            run = []
        run.append(w)
        current = m
    if run:
        yield current, run


def _dur(seconds: float | None) -> str:
    if not isinstance(seconds, (int, float)):
        return "?"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


# --- HTML ----------------------------------------------------------------------------
def render_html(d: dict, session: Session, embed_audio: bool = True) -> str:
    parts = [VERDICT_CSS, "<header class='hero'><div class='inner'>", _hero(d), "</div></header><main>",
             _missing_box(d), _scores_card(d), _timeline_card(d)]
    for q in d["questions"]:
        parts.append(_question_card(q, session, embed_audio))
        parts.append(coding_cards(session.events, q["question_id"]))  # a coding problem's scores and code
    parts.append(_other_turns(d, session, embed_audio))
    parts.append(f"<footer>Made by voice-interviewer from session {esc(d['session'])}"
                 + (f", derived from {esc(d['derived_from'])}" if d.get("derived_from") else "")
                 + ". Charts and audio are inside this file: it works offline and as a mail attachment.</footer></main>")
    return page(f"Interview report · {d['session']}", "".join(parts))


def _hero(d: dict) -> str:
    models = d.get("models") or {}
    chips = [("status", d["status"]), ("duration", _dur(d["duration_s"])), ("questions", len(d["questions"])),
             ("profile", d.get("profile")), ("speech-to-text", models.get("stt")), ("voice", models.get("tts")),
             ("follow-ups", _llm_label(models.get("llm"))), ("candidate", (d.get("candidate") or "").split(":")[0] or None),
             ("derived from", d.get("derived_from"))]
    chip_html = "".join(f"<span class='chip'>{esc(k)} <b>{esc(v)}</b></span>" for k, v in chips if v not in (None, ""))
    if d["scores_available"]:
        ring = charts.score_ring(d["overall"], 5.0, "overall score", "#34d399")
    else:
        ring = charts.score_ring(d.get("covered_share"), 1.0, "rubric covered", "#5eead4")
    return (f"<div class='what'><div class='kicker'>Mock interview report · {esc(d['mode'])}</div>"
            f"<h1>{esc(when(d['started_at']))}</h1><div class='chips'>{chip_html}</div></div>"
            f"<div class='rings'>{ring}</div>")


def _llm_label(llm) -> str | None:
    """'http://127.0.0.1:38549/v1 qwen-1.5b' -> 'qwen-1.5b (LLM server)': the port means nothing to a reader."""
    if not llm or "://" not in str(llm):
        return llm
    return str(llm).split()[-1] + " (LLM server)"


def _missing_box(d: dict) -> str:
    if not d["problems"]:
        return ""
    items = "".join(f"<li>{esc(p)}</li>" for p in d["problems"])
    return (f"<section class='card missing'><h2>What is missing</h2><p class='sub'>This session is incomplete or damaged. "
            f"Everything that could be read is shown below.</p><ul>{items}</ul></section>")


def _scores_card(d: dict) -> str:
    groups = [f"Q{q['number']}" for q in d["questions"]]
    if d["scores_available"]:
        series = [(dim, charts.COLORS[dim], [(q["scores"] or {}).get(dim) for q in d["questions"]]) for dim in DIMENSIONS]
        tiles = "".join(f"<div class='tile'><div class='k'>{dim}</div><div class='v' style='color:{charts.COLORS[dim]}'>"
                        f"{d['dimensions'][dim]:.1f}<small style='font-size:13px;color:#94a3b8'> / 5</small></div></div>"
                        for dim in DIMENSIONS if dim in d["dimensions"])
        return (f"<section class='card'><h2>Scores</h2><p class='sub'>0 to 5 per question and dimension "
                f"(scorer: {esc(_scorers(d))}).</p><div class='tiles'>{tiles}</div>"
                + charts.legend([(dim, charts.COLORS[dim]) for dim in DIMENSIONS])
                + charts.bar_chart(groups, series, 5.0, "scores per question", width=1000, height=250) + "</section>")
    values = [q["covered_share"] for q in d["questions"]]
    return ("<section class='card'><h2>Rubric coverage</h2><p class='sub'><b>Scores are not available</b> for this "
            "session (it has no score events), so the share of each question's key points you covered is shown "
            "instead (partly covered counts half).</p>"
            + charts.legend([("key points covered", charts.COLORS["coverage"])])
            + charts.bar_chart(groups, [("coverage", charts.COLORS["coverage"], values)], 1.0, "coverage per question",
                               width=1000, height=220)
            + "</section>")


def _scorers(d: dict) -> str:
    return ", ".join(sorted({q["scorer"] for q in d["questions"] if q.get("scorer")})) or "unknown"


def _timeline_card(d: dict) -> str:
    tl = d["timeline"]
    longest = max((p["seconds"] for p in tl["pauses"]), default=0)
    stats = (f"The interviewer talked {_dur(tl['talk_s']['interviewer'])}, you talked {_dur(tl['talk_s']['candidate'])}; "
             f"{len(tl['pauses'])} pause(s) of 2 s or more" + (f", the longest {longest:.1f} s." if longest else "."))
    return ("<section class='card'><h2>Who spoke when</h2><p class='sub'>" + esc(stats) + "</p>"
            + charts.legend([("interviewer speaking", charts.COLORS["interviewer"]),
                             ("candidate speaking", charts.COLORS["candidate"]), ("pause of 2 s or more", "#fde68a")])
            + charts.timeline(tl) + "<p class='note'>Dashed outline: the interviewer was listening for your answer. "
            "Dashed lines mark where each question starts.</p></section>")


def _pills(q: dict) -> str:
    if q["scores"]:
        return "<div class='scorebar'>" + "".join(
            f"<span class='pill' style='background:{charts.COLORS[k]}'>{k} {v:.1f}</span>" for k, v in q["scores"].items()) + "</div>"
    if q["covered_share"] is not None:
        return (f"<div class='scorebar'>{charts.meter(q['covered_share'])}<span class='note'>{q['covered_share']:.0%} of the "
                f"key points covered · scores not available</span></div>")
    return "<div class='scorebar note'>no coverage or score recorded</div>"


def _question_card(q: dict, session: Session, embed_audio: bool) -> str:
    meta = [q.get("track")] + list(q.get("tags") or []) + ([f"{q['time_box_s']:.0f} s time box"] if q.get("time_box_s") else [])
    cand = [t for t in q["turns"] if t["speaker"] == "candidate"]
    marked = dict(zip([t["index"] for t in cand], mark_tokens([t["text"] for t in cand], q["key_points"])))
    turns = "".join(_turn_html(t, marked.get(t["index"]), session, embed_audio) for t in q["turns"])
    return (f"<section class='card q' id='q{q['number']}'><h2><span class='num'>Q{q['number']}</span>"
            f"<span>{esc(q['question_id'])}</span></h2>"
            f"<div class='qtext'>{esc(q['question']) or '<i>(the question line was lost)</i>'}</div>"
            f"<div class='tags'>{''.join(f'<span>{esc(m)}</span>' for m in meta if m)}</div>{_pills(q)}"
            f"<div class='cols'><div class='transcript'>{turns or '<p class=note>No turns recorded.</p>'}</div>"
            f"<div class='side'>{_side(q)}</div></div></section>")


def _turn_html(t: dict, marked, session: Session, embed_audio: bool) -> str:
    if marked:
        body = " ".join(_mark_html(m, words) for m, words in _groups(marked))
    else:
        body = esc(t["text"]) or "<i>(no answer)</i>"
    label = t["kind"].replace("_", " ")
    extra = f" · ended by {t['end_reason'].replace('_', ' ')}" if t.get("end_reason") else ""
    if t.get("withdrawn_s") is not None:
        body, extra = f"<s>{body}</s>", f" · {_withdrawn(t)}"
    return (f"<div class='turn {t['speaker']}'><div class='who'>{t['speaker']}<span class='when'>{clock(t['spoken_at'])} · "
            f"{esc(label)}{esc(extra)}</span></div><p>{body}</p>{_audio(t, session, embed_audio)}</div>")


def _withdrawn(t: dict) -> str:
    return f"withdrawn: the candidate went on after {t['withdrawn_s']:.1f} s"


def _mark_html(marks: tuple, words: list[str]) -> str:
    text = esc(" ".join(words))
    if not marks:
        return text
    statuses = {s for _, s in marks}
    kind = "wrong" if "wrong" in statuses else "partial" if statuses == {"partial"} else "covered"
    nums = ",".join(str(n) for n, _ in marks)
    title = f"key point {nums}" + (": stated wrongly" if kind == "wrong" else "")
    return (f"<mark class='{kind}' title='{title}'>{text}</mark>"
            f"<sup class='kp'>{nums}</sup>")


def _audio(t: dict, session: Session, embed_audio: bool) -> str:
    if not t.get("audio"):
        return ""
    path = audio_path(session, t["audio"])
    if path is None:
        return f"<div class='note'>audio {esc(t['audio'])} is missing</div>"
    if not embed_audio:
        return f"<div class='note'>audio: {esc(t['audio'])}</div>"
    try:
        src = audio_data_uri(path)
    except (OSError, UserFacingError) as exc:
        return f"<div class='note'>audio {esc(t['audio'])} cannot be read ({esc(exc)})</div>"
    return f"<audio controls preload='metadata' src='{src}'></audio>"


def _verdict_html(n: int, k: dict) -> str:
    """One key point: status, the rubric's words, then the judge's evidence and reason (when scored)."""
    status = str(k["status"])
    tag = f"<span class='tag'>{esc(status)}</span>" if status in ("wrong", "unclear") else ""
    sure = f" · {k['confidence']:.0%} sure" if isinstance(k.get("confidence"), (int, float)) else ""
    reason = str(k.get("reason") or "")
    quoted = bool(k.get("evidence")) and str(k["evidence"]) in reason  # a wrong verdict's reason quotes the words
    ev = (f"<span class='ev'>“{esc(k['evidence'])}”</span>"
          if k.get("evidence") and status in MARKED and not quoted else "")
    if status == "covered" and reason.startswith("Covered:"):
        reason = ""  # it would only repeat the key point's words above
    reason = f"<span class='reason'>{esc(reason or 'Credited')}{esc(sure)}</span>" if reason or sure else ""
    return f"<li class='{esc(status)}'>{esc(k['text'])}<span class='n'>[{n}]</span>{tag}{ev}{reason}</li>"


def _side(q: dict) -> str:
    kps = "".join(_verdict_html(n, k) for n, k in enumerate(q["key_points"], 1))
    out = [f"<h3>Key points</h3><ul class='kps'>{kps}</ul>" if kps else "<h3>Key points</h3><p class='note'>no coverage recorded</p>"]
    if q.get("flags"):
        out.insert(0, "<ul class='flags'>" + "".join(f"<li>{esc(f)}</li>" for f in q["flags"]) + "</ul>")
    if q["key_points"]:  # the ✗ items above are the missed ones; say how many at a glance
        out.append(f"<p class='note'>{_tally(q)}{esc(_sureness(q))}</p>")
    if q["follow_ups"] or q.get("moved_on_because"):
        out.append("<h3>Follow-ups and why</h3>")
        for f in q["follow_ups"]:
            out.append(f"<div class='fu'>“{esc(f['text'])}”<div class='why'>Why: {esc(f['reason'])}"
                       f"{' · phrased by ' + esc(f['source']) if f.get('source') else ''}"
                       f"{' · the LLM line was not used: ' + esc(f['rejected']) if f.get('rejected') else ''}</div></div>")
        if q.get("moved_on_because"):
            out.append(f"<div class='fu'><div class='why'>Moved on: {esc(q['moved_on_because'])}</div></div>")
    if q["tips"]:
        src = "" if q["tips_source"] == "scoring" else " <span class='note'>(from the rubric)</span>"
        out.append(f"<h3>Tips{src}</h3><ul class='tips'>" + "".join(f"<li>{esc(t)}</li>" for t in q["tips"]) + "</ul>")
    dl = q.get("delivery") or {}
    if dl:
        bits = [f"{dl['wpm']:.0f} words/min" if isinstance(dl.get("wpm"), (int, float)) else None,
                f"first word after {dl['time_to_first_word_s']:.1f} s"
                if isinstance(dl.get("time_to_first_word_s"), (int, float)) else None,
                f"{dl['long_pauses']} long pause(s)" if dl.get("long_pauses") is not None else None,
                f"{dl['fillers']} filler(s)" if dl.get("fillers") is not None else None]
        out.append("<h3>Delivery</h3><p class='note'>" + esc(" · ".join(b for b in bits if b)) + "</p>")
    return "".join(out)


def _sureness(q: dict) -> str:
    """How sure the judge is of these verdicts, on average: low means read them as a hint."""
    sure = [k["confidence"] for k in q["key_points"] if isinstance(k.get("confidence"), (int, float))]
    return f" The judge is about {sum(sure) / len(sure):.0%} sure of these verdicts." if sure else ""


def _tally(q: dict) -> str:
    counts = {s: sum(k["status"] == s for k in q["key_points"]) for s in SYMBOL}
    return (f"{counts['covered']} of {len(q['key_points'])} key points covered, {counts['missed']} missed"
            + (f", {counts['partial']} partly" if counts["partial"] else "")
            + (f", {counts['wrong']} stated wrongly" if counts["wrong"] else "")
            + (f", {counts['unclear']} not judged" if counts["unclear"] else "") + ".")


def _other_turns(d: dict, session: Session, embed_audio: bool) -> str:
    inside = {t["index"] for q in d["questions"] for t in q["turns"]}
    rest = [t for t in session.turns if t.index not in inside]
    if not rest:
        return ""
    body = "".join(_turn_html(turn_summary(t), None, session, embed_audio) for t in rest)
    notes = "".join(f"<li>{esc(n)}</li>" for n in d["notes"])
    return (f"<section class='card'><details><summary>Opening, transitions and closing ({len(rest)} line(s))</summary>"
            f"<div style='margin-top:10px'>{body}</div></details>"
            + (f"<h3 style='margin-top:12px'>Notes</h3><ul class='tips'>{notes}</ul>" if notes else "") + "</section>")


# --- Markdown --------------------------------------------------------------------------
def render_markdown(d: dict, session: Session, report_dir: Path) -> str:
    models = d.get("models") or {}
    lines = [f"# Mock interview report: {d['mode']}, {when(d['started_at'])}", "",
             "| | |", "|---|---|"]
    for k, v in [("Session", d["session"]), ("Status", d["status"]), ("Duration", _dur(d["duration_s"])),
                 ("Profile", d.get("profile")), ("Speech-to-text", models.get("stt")), ("Voice", models.get("tts")),
                 ("Follow-ups", models.get("llm")), ("Candidate", d.get("candidate")), ("Derived from", d.get("derived_from"))]:
        if v not in (None, ""):
            lines.append(f"| {k} | {_md(v)} |")
    lines.append("")
    if d["problems"]:
        lines += ["## What is missing", ""] + [f"- {_md(p)}" for p in d["problems"]] + [""]
    lines += _md_scores(d) + _md_timeline(d)
    for q in d["questions"]:
        lines += _md_question(q, session, report_dir)
    inside = {t["index"] for q in d["questions"] for t in q["turns"]}
    rest = [turn_summary(t) for t in session.turns if t.index not in inside]
    if rest:
        lines += ["## Opening, transitions and closing", ""]
        lines += [f"- `[{clock(t['spoken_at'])}]` **{t['speaker']}** ({t['kind'].replace('_', ' ')}): {t['text']}"
                  + _md_audio(t, session, report_dir) for t in rest] + [""]
    if d["notes"]:
        lines += ["## Notes", ""] + [f"- {_md(n)}" for n in d["notes"]] + [""]
    return "\n".join(lines) + "\n"


def _md(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_scores(d: dict) -> list[str]:
    if d["scores_available"]:
        out = ["## Scores", "", f"Overall: **{d['overall']:.1f} / 5**" if d["overall"] is not None else "", "",
               "| Question | " + " | ".join(DIMENSIONS) + " |", "|---|" + "---:|" * len(DIMENSIONS)]
        for q in d["questions"]:
            s = q["scores"] or {}
            out.append(f"| Q{q['number']} {q['question_id']} | " + " | ".join(
                f"{s[k]:.1f}" if k in s else "-" for k in DIMENSIONS) + " |")
        return out + [""]
    out = ["## Rubric coverage", "", "**Scores are not available** for this session (no score events): "
           "the share of key points covered is shown instead.", "", "| Question | covered |", "|---|---:|"]
    for q in d["questions"]:
        share = q["covered_share"]
        out.append(f"| Q{q['number']} {q['question_id']} | {'-' if share is None else f'{share:.0%}'} |")
    return out + [""]


def _md_timeline(d: dict) -> list[str]:
    tl = d["timeline"]
    out = ["## Who spoke when", "", f"Interviewer talked {_dur(tl['talk_s']['interviewer'])}, candidate "
           f"{_dur(tl['talk_s']['candidate'])}."]
    if tl["pauses"]:
        out.append("Pauses of 2 s or more: " + ", ".join(f"{p['seconds']:.1f} s at {clock(p['start'])}" for p in tl["pauses"]) + ".")
    return out + [""]


def _md_question(q: dict, session: Session, report_dir: Path) -> list[str]:
    meta = " · ".join(str(m) for m in [q.get("track"), *q.get("tags", [])] if m)
    out = [f"## Q{q['number']}. {q['question'] or q['question_id']}", "", f"*{q['question_id']}*" + (f" · {meta}" if meta else ""), ""]
    if q["scores"]:
        out.append("Scores: " + ", ".join(f"{k} **{v:.1f}**" for k, v in q["scores"].items()))
    elif q["covered_share"] is not None:
        out.append(f"Coverage: **{q['covered_share']:.0%}** of the key points (scores not available)")
    out += ["", "### Transcript", ""]
    cand = [t for t in q["turns"] if t["speaker"] == "candidate"]
    marked = dict(zip([t["index"] for t in cand], mark_tokens([t["text"] for t in cand], q["key_points"])))
    for t in q["turns"]:
        if t["index"] in marked:
            text = " ".join(f"**{' '.join(w)}**[{','.join(str(n) for n, _ in m)}]" if m else " ".join(w)
                            for m, w in _groups(marked[t["index"]]))
        elif t.get("withdrawn_s") is not None:
            text = f"~~{t['text']}~~ *({_withdrawn(t)})*"
        else:
            text = t["text"]
        out.append(f"- `[{clock(t['spoken_at'])}]` **{t['speaker']}** ({t['kind'].replace('_', ' ')}): {text or '*(no answer)*'}"
                   + _md_audio(t, session, report_dir))
    out += ["", "### Key points", ""]
    for n, k in enumerate(q["key_points"], 1):
        out.append(f"{n}. {SYMBOL.get(k['status'], '?')} {k['text']} (**{k['status']}**)" if k["status"] == "wrong"
                   else f"{n}. {SYMBOL.get(k['status'], '?')} {k['text']} ({k['status']})")
        if k.get("evidence") and k["status"] in MARKED:
            out.append(f"   - said: \"{k['evidence']}\"")
        if k.get("reason"):
            out.append(f"   - {k['reason']}")
    if q.get("flags"):
        out += [""] + [f"> flag: {f}" for f in q["flags"]]
    if q["key_points"]:
        out += ["", _tally(q)]
    if q["follow_ups"] or q.get("moved_on_because"):
        out += ["", "### Follow-ups and why", ""]
        out += [f"- \"{f['text']}\"  \n  why: {f['reason']}" + (f" (phrased by {f['source']})" if f.get("source") else "")
                + (f"; the LLM line was not used: {f['rejected']}" if f.get("rejected") else "")
                for f in q["follow_ups"]]
        if q.get("moved_on_because"):
            out.append(f"- moved on: {q['moved_on_because']}")
    if q["tips"]:
        out += ["", "### Tips" + ("" if q["tips_source"] == "scoring" else " (from the rubric)"), ""] + [f"- {t}" for t in q["tips"]]
    return out + [""]


def _md_audio(t: dict, session: Session, report_dir: Path) -> str:
    if not t.get("audio"):
        return ""
    path = audio_path(session, t["audio"])
    if path is None:
        return f" *(audio {t['audio']} is missing)*"
    try:
        link = os.path.relpath(path, report_dir)
    except ValueError:  # another drive on Windows
        link = str(path)
    return f" [audio]({link.replace(os.sep, '/').replace(' ', '%20')})"
