"""The shared look of the session report and the progress page: one inline stylesheet.

No web fonts, no CDN, no script: the page must open the same from a mail
attachment on a machine with no network.
"""

from __future__ import annotations

from html import escape

CSS = """
:root { --ink:#0f172a; --muted:#64748b; --line:#e2e8f0; --bg:#f6f7fb; --card:#fff;
        --int:#6366f1; --cand:#14b8a6; --good:#10b981; --warn:#f59e0b; --bad:#ef4444; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; }
main { max-width:1120px; margin:0 auto; padding:0 20px 40px; }
.hero { background:linear-gradient(120deg,#312e81,#4f46e5 55%,#0d9488); color:#fff; padding:28px 0 26px; margin-bottom:22px; }
.hero .inner { max-width:1120px; margin:0 auto; padding:0 20px; display:flex; gap:28px; align-items:center; flex-wrap:wrap; }
.hero .what { flex:1 1 420px; }
.hero .kicker { text-transform:uppercase; letter-spacing:.12em; font-size:12px; opacity:.8; }
.hero h1 { margin:4px 0 10px; font-size:28px; line-height:1.2; }
.chips { display:flex; flex-wrap:wrap; gap:6px; }
.chip { background:rgba(255,255,255,.16); border-radius:999px; padding:3px 11px; font-size:13px; white-space:nowrap; }
.chip b { font-weight:600; }
.rings { display:flex; gap:18px; }
.ring { text-align:center; font-size:12px; opacity:.95; }
.card { background:var(--card); border:1px solid var(--line); border-radius:14px; padding:18px 22px; margin:0 0 18px;
        box-shadow:0 1px 2px rgba(15,23,42,.04); }
.card h2 { margin:0 0 4px; font-size:19px; }
.sub { color:var(--muted); font-size:13px; margin:0 0 12px; }
.legend { display:flex; flex-wrap:wrap; gap:14px; font-size:13px; color:#334155; margin:6px 0 2px; }
.legend i { display:inline-block; width:12px; height:12px; border-radius:3px; margin-right:6px; vertical-align:-1px; }
.tiles { display:grid; grid-template-columns:repeat(auto-fit,minmax(140px,1fr)); gap:10px; margin:10px 0 6px; }
.tile { border:1px solid var(--line); border-radius:10px; padding:8px 12px; }
.tile .v { font-size:22px; font-weight:700; }
.tile .k { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.06em; }
.missing { border-color:#fecaca; background:#fff7f7; }
.missing h2 { color:#b91c1c; }
.q h2 { display:flex; gap:10px; align-items:baseline; }
.q .num { background:var(--ink); color:#fff; border-radius:8px; padding:1px 9px; font-size:15px; }
.qtext { font-size:17px; margin:4px 0 8px; }
.tags span { display:inline-block; background:#eef2ff; color:#3730a3; border-radius:6px; padding:0 7px; margin:0 4px 4px 0; font-size:12px; }
.scorebar { display:flex; flex-wrap:wrap; gap:8px; margin:8px 0 4px; }
.pill { border-radius:999px; padding:2px 10px; font-size:13px; color:#fff; }
.cols { display:grid; grid-template-columns:minmax(0,1.6fr) minmax(0,1fr); gap:22px; margin-top:10px; }
@media (max-width:820px) { .cols { grid-template-columns:1fr; } }
.turn { border-left:4px solid var(--line); padding:6px 12px; margin:0 0 10px; border-radius:0 8px 8px 0; background:#fafbff; }
.turn.interviewer { border-color:var(--int); }
.turn.candidate { border-color:var(--cand); background:#f7fdfc; }
.turn .who { font-size:12px; font-weight:700; text-transform:uppercase; letter-spacing:.06em; }
.turn.interviewer .who { color:var(--int); }
.turn.candidate .who { color:#0f766e; }
.turn .when { color:var(--muted); font-weight:400; margin-left:6px; }
.turn p { margin:3px 0 6px; }
audio { width:100%; height:34px; }
mark { background:#bbf7d0; border-radius:3px; padding:0 2px; }
mark.partial { background:#fef08a; }
sup.kp { color:#047857; font-weight:700; font-size:10px; margin-left:1px; }
.side h3 { font-size:13px; text-transform:uppercase; letter-spacing:.07em; color:var(--muted); margin:4px 0 6px; }
.kps { list-style:none; padding:0; margin:0 0 14px; }
.kps li { padding:5px 0 5px 28px; position:relative; border-bottom:1px dashed var(--line); font-size:14px; }
.kps li::before { position:absolute; left:2px; top:4px; width:20px; height:20px; border-radius:50%; text-align:center;
                  line-height:20px; font-size:12px; font-weight:700; color:#fff; }
.kps li.covered::before { content:"✓"; background:var(--good); }
.kps li.partial::before { content:"~"; background:var(--warn); }
.kps li.missed::before { content:"✗"; background:var(--bad); }
.kps .n { color:var(--muted); font-size:11px; margin-left:4px; }
.fu { background:#f8fafc; border:1px solid var(--line); border-radius:10px; padding:8px 10px; margin:0 0 8px; font-size:14px; }
.fu .why { color:var(--muted); font-size:13px; }
.tips { margin:0 0 6px; padding-left:18px; font-size:14px; }
.tips li { margin-bottom:4px; }
.note { color:var(--muted); font-size:13px; }
table { border-collapse:collapse; width:100%; font-size:14px; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); }
th { color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; letter-spacing:.05em; }
details summary { cursor:pointer; color:#334155; font-weight:600; }
footer { color:var(--muted); font-size:12px; text-align:center; margin-top:26px; }
"""


def page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


def esc(value) -> str:
    return escape("" if value is None else str(value))
