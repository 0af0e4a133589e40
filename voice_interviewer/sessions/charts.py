"""Inline SVG charts drawn by hand: no JavaScript, no chart library, no external file.

Each function returns one <svg> string that scales to its container width
(viewBox) and carries <title> tooltips, so the report stays a single file
that works offline and in a mail client's browser.
"""

from __future__ import annotations

from html import escape

COLORS = {"content": "#3b82f6", "reasoning": "#8b5cf6", "delivery": "#f59e0b", "overall": "#10b981",
          "coverage": "#14b8a6", "interviewer": "#6366f1", "candidate": "#14b8a6"}
PALETTE = ["#3b82f6", "#ef4444", "#10b981", "#f59e0b", "#8b5cf6", "#ec4899", "#0ea5e9", "#84cc16"]
FONT = "font-family='system-ui,-apple-system,Segoe UI,Roboto,sans-serif'"


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f"<svg viewBox='0 0 {width} {height}' width='100%' "
            f"role='img' aria-label='{escape(label, quote=True)}' {FONT}>" + "".join(body) + "</svg>")


def _fmt(value: float, y_max: float) -> str:
    return f"{value:.0%}" if y_max == 1 else f"{value:.1f}"


def bar_chart(groups: list[str], series: list[tuple[str, str, list]], y_max: float = 5.0,
              label: str = "bar chart", width: int = 760, height: int = 280) -> str:
    """Grouped vertical bars: one group per question, one bar per series; None draws nothing."""
    left, right, top, bottom = 40, 12, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    body = _y_grid(left, top, plot_w, plot_h, y_max)
    group_w = plot_w / max(1, len(groups))
    bar_w = min(34.0, group_w * 0.8 / max(1, len(series)))
    for g, name in enumerate(groups):
        x0 = left + g * group_w + (group_w - bar_w * len(series)) / 2
        for s, (sname, color, values) in enumerate(series):
            value = values[g] if g < len(values) else None
            if value is None:
                continue
            h = max(1.5, plot_h * min(value, y_max) / y_max)
            x, y = x0 + s * bar_w, top + plot_h - h
            body.append(f"<rect x='{x + 2:.1f}' y='{y:.1f}' width='{bar_w - 4:.1f}' height='{h:.1f}' rx='3' "
                        f"fill='{color}'><title>{escape(name)} {escape(sname)}: {_fmt(value, y_max)}</title></rect>")
            body.append(f"<text x='{x + bar_w / 2:.1f}' y='{y - 4:.1f}' font-size='11' text-anchor='middle' "
                        f"fill='#334155'>{_fmt(value, y_max)}</text>")
        body.append(f"<text x='{left + (g + 0.5) * group_w:.1f}' y='{height - 12}' font-size='13' font-weight='600' "
                    f"text-anchor='middle' fill='#1e293b'>{escape(name)}</text>")
    return _svg(width, height, body, label)


def _y_grid(left: float, top: float, plot_w: float, plot_h: float, y_max: float) -> list[str]:
    steps = [i / 4 for i in range(5)] if y_max == 1 else list(range(int(y_max) + 1))
    out = []
    for v in steps:
        y = top + plot_h - plot_h * v / y_max
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e2e8f0'/>")
        out.append(f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end' fill='#64748b'>"
                   f"{f'{v:.0%}' if y_max == 1 else v}</text>")
    return out


def legend(items: list[tuple[str, str]]) -> str:
    """HTML, not SVG: it wraps on narrow screens."""
    return "<div class='legend'>" + "".join(
        f"<span><i style='background:{c}'></i>{escape(n)}</span>" for n, c in items) + "</div>"


def score_ring(value: float | None, y_max: float, caption: str, color: str = COLORS["overall"]) -> str:
    """A donut showing value/y_max, with the number in the middle."""
    r, c = 42, 2 * 3.14159 * 42
    share = 0.0 if value is None else max(0.0, min(1.0, value / y_max))
    text = "–" if value is None else (f"{value:.0%}" if y_max == 1 else f"{value:.1f}")
    arc = (f"<circle cx='60' cy='60' r='{r}' fill='none' stroke='{color}' stroke-width='12' stroke-linecap='round' "
           f"stroke-dasharray='{c * share:.1f} {c:.1f}' transform='rotate(-90 60 60)'/>")
    body = [f"<circle cx='60' cy='60' r='{r}' fill='none' stroke='rgba(255,255,255,0.25)' stroke-width='12'/>",
            arc if share > 0 else "",  # a zero-length round-capped arc would still draw a dot
            f"<text x='60' y='64' font-size='26' font-weight='700' text-anchor='middle' fill='#fff'>{text}</text>",
            f"<text x='60' y='84' font-size='11' text-anchor='middle' fill='rgba(255,255,255,0.8)'>"
            f"{'' if y_max == 1 else 'of 5'}</text>"]
    return (f"<div class='ring'><svg viewBox='0 0 120 120' width='120' height='120' "
            f"{FONT}>{''.join(body)}</svg><div>{escape(caption)}</div></div>")


def _tick_step(total_s: float) -> int:
    for step in (5, 10, 15, 30, 60, 120, 300, 600):
        if total_s / step <= 14:
            return step
    return 1200


def timeline(tl: dict, width: int = 1100, label: str = "who spoke when") -> str:
    """Two lanes, interviewer above candidate; speech as solid blocks, the candidate's
    listening window as a faint band, pauses of 2 s or more shaded and labelled."""
    end = max(1.0, float(tl.get("end") or 1.0))
    left, right, top = 92, 16, 22
    lane_h, gap = 26, 22
    plot_w = width - left - right
    height = top + lane_h * 2 + gap + 40
    x = lambda t: left + plot_w * max(0.0, min(end, t)) / end  # noqa: E731
    lanes = {"interviewer": top, "candidate": top + lane_h + gap}
    body = []
    for name, y in lanes.items():
        body.append(f"<rect x='{left}' y='{y}' width='{plot_w}' height='{lane_h}' rx='4' fill='#f1f5f9'/>")
        body.append(f"<text x='{left - 8}' y='{y + lane_h / 2 + 4}' font-size='13' font-weight='600' text-anchor='end' "
                    f"fill='{COLORS[name]}'>{name}</text>")
    for p in tl.get("pauses", []):
        x0, x1 = x(p["start"]), x(p["end"])
        body.append(f"<rect x='{x0:.1f}' y='{top + lane_h}' width='{max(1, x1 - x0):.1f}' height='{gap}' fill='#fde68a' "
                    f"opacity='0.7'><title>pause of {p['seconds']} s</title></rect>")
        if x1 - x0 > 26:
            body.append(f"<text x='{(x0 + x1) / 2:.1f}' y='{top + lane_h + gap / 2 + 4}' font-size='10' "
                        f"text-anchor='middle' fill='#92400e'>{p['seconds']:.0f}s</text>")
    for w in tl.get("listening", []):
        x0, x1 = x(w["start"]), x(w["end"])
        body.append(f"<rect x='{x0:.1f}' y='{lanes['candidate'] + 3}' width='{max(1, x1 - x0):.1f}' height='{lane_h - 6}' "
                    f"rx='3' fill='none' stroke='{COLORS['candidate']}' stroke-dasharray='3 3' opacity='0.6'/>")
    for s in tl.get("spans", []):
        x0, x1 = x(s["start"]), x(s["end"])
        body.append(f"<rect x='{x0:.1f}' y='{lanes[s['speaker']]}' width='{max(1.5, x1 - x0):.1f}' height='{lane_h}' "
                    f"rx='3' fill='{COLORS[s['speaker']]}'><title>{s['speaker']} {_mmss(s['start'])}–{_mmss(s['end'])}"
                    f"</title></rect>")
    for q in tl.get("questions", []):
        qx = x(q["t"])
        body.append(f"<line x1='{qx:.1f}' x2='{qx:.1f}' y1='{top - 14}' y2='{top + lane_h * 2 + gap}' stroke='#0f172a' "
                    f"stroke-dasharray='4 3' opacity='0.55'/>")
        body.append(f"<text x='{qx + 4:.1f}' y='{top - 5}' font-size='11' font-weight='700' fill='#0f172a'>Q{q['number']}</text>")
    axis_y = top + lane_h * 2 + gap + 8
    step = _tick_step(end)
    for t in range(0, int(end) + 1, step):
        body.append(f"<line x1='{x(t):.1f}' x2='{x(t):.1f}' y1='{axis_y}' y2='{axis_y + 5}' stroke='#94a3b8'/>")
        body.append(f"<text x='{x(t):.1f}' y='{axis_y + 18}' font-size='11' text-anchor='middle' fill='#64748b'>"
                    f"{_mmss(t)}</text>")
    return _svg(width, height, body, label)


def _mmss(t: float) -> str:
    return f"{int(t // 60)}:{int(t % 60):02d}"


def line_chart(x_labels: list[str], series: list[tuple[str, str, list]], y_max: float = 5.0,
               label: str = "line chart", width: int = 760, height: int = 260) -> str:
    """One line per series over the same x positions; None leaves a gap in the line."""
    left, right, top, bottom = 40, 16, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    body = _y_grid(left, top, plot_w, plot_h, y_max)
    n = len(x_labels)
    xs = [left + (plot_w * (i + 0.5) / n if n else 0) for i in range(n)]
    every = max(1, n // 10)
    for i, lab in enumerate(x_labels):
        if i % every == 0 or i == n - 1:
            body.append(f"<text x='{xs[i]:.1f}' y='{height - bottom + 18}' font-size='11' text-anchor='middle' "
                        f"fill='#64748b'>{escape(lab)}</text>")
    for name, color, values in series:
        pts = [(xs[i], top + plot_h - plot_h * min(v, y_max) / y_max, v) for i, v in enumerate(values[:n]) if v is not None]
        if len(pts) > 1:
            path = " ".join(f"{'M' if j == 0 else 'L'}{px:.1f},{py:.1f}" for j, (px, py, _) in enumerate(pts))
            body.append(f"<path d='{path}' fill='none' stroke='{color}' stroke-width='2.5' stroke-linejoin='round'/>")
        for px, py, v in pts:
            body.append(f"<circle cx='{px:.1f}' cy='{py:.1f}' r='4' fill='#fff' stroke='{color}' stroke-width='2.5'>"
                        f"<title>{escape(name)}: {_fmt(v, y_max)}</title></circle>")
    return _svg(width, height, body, label)


def meter(share: float | None, color: str = COLORS["coverage"]) -> str:
    """A small horizontal bar, e.g. rubric coverage of one question."""
    share = max(0.0, min(1.0, share or 0.0))
    return (f"<svg viewBox='0 0 120 10' width='120' height='10'>"
            f"<rect width='120' height='10' rx='5' fill='#e2e8f0'/>"
            f"<rect width='{120 * share:.1f}' height='10' rx='5' fill='{color}'/></svg>")
