"""Finding and reading recorded sessions, read-only, and never outside the data folder.

A session name comes from the command line, so it is treated as untrusted:
anything that resolves (through "..", an absolute path or a symlink) to a
place outside the sessions folder is refused. Reading never writes: files are
opened for reading only, and damage is reported in `Session.problems`
instead of raised, so a crashed session can still be replayed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.errors import UserFacingError
from voice_interviewer.events import Event, apply_revisions, parse
from voice_interviewer.sessions.recorder import sessions_dir
from voice_interviewer.sessions.model import Session, build_session
from voice_interviewer.sessions.summary import clock

LIST_HINT = "list them with: voice-interviewer sessions"


@dataclass(frozen=True)
class SessionListing:
    name: str
    path: Path
    started_at: str
    mode: str
    status: str
    questions: int
    overall: float | None  # mean overall score, when score events exist
    covered_share: float | None  # mean rubric coverage, the fallback when unscored
    problems: int
    derived_from: str | None


def sessions_root(root: Path | str | None = None) -> Path:
    """The folder holding one sub-folder per session (the same meaning as RunOptions.data_root)."""
    return Path(root) if root is not None else sessions_dir()


def is_session_folder(path: Path) -> bool:
    return path.is_dir() and ((path / "meta.json").is_file() or (path / "events.jsonl").is_file())


def _inside(path: Path, base: Path) -> bool:
    """Strictly below base; both already resolved, so '..' and symlinks are accounted for."""
    return path != base and base in path.parents


def session_dirs(base: Path) -> list[Path]:
    """Session folders directly under base whose real location is under base too, oldest first."""
    real_base = base.resolve()
    found = [p for p in base.iterdir() if _inside(p.resolve(), real_base) and is_session_folder(p)]
    return sorted(found, key=lambda p: p.name)  # names start with a UTC timestamp


def resolve_session(name: str, root: Path | str | None = None) -> Path:
    """A session's folder from its name, a unique prefix of it, or 'latest'."""
    base = sessions_root(root)
    if not base.is_dir():
        raise UserFacingError(f"No sessions yet: {base} does not exist",
                              "record one with: voice-interviewer drill (or voice-interviewer demo)")
    name = (name or "").strip()
    if not name:
        raise UserFacingError("No session name given", LIST_HINT)
    real_base = base.resolve()
    if name == "latest":
        folders = session_dirs(base)
        if not folders:
            raise UserFacingError(f"No sessions in {base}", "record one with: voice-interviewer drill")
        return folders[-1].resolve()
    candidate = Path(name)
    if candidate.is_absolute() or len(candidate.parts) > 1 or name in (".", ".."):
        return _checked(candidate if candidate.is_absolute() else base / candidate, name, real_base)
    if (base / name).exists() or (base / name).is_symlink():
        return _checked(base / name, name, real_base)
    matches = [p for p in session_dirs(base) if p.name.startswith(name)]
    if len(matches) == 1:
        return matches[0].resolve()
    if len(matches) > 1:
        shown = ", ".join(p.name for p in matches[:6]) + (" ..." if len(matches) > 6 else "")
        raise UserFacingError(f"'{name}' matches {len(matches)} sessions: {shown}", "type more of the name")
    raise UserFacingError(f"No session named '{name}' in {base}", LIST_HINT + ", or use 'latest'")


def _checked(path: Path, name: str, real_base: Path) -> Path:
    real = path.resolve()
    if not _inside(real, real_base):
        raise UserFacingError(f"Refusing '{name}': it points outside the sessions folder {real_base}",
                              "give the name of a session in that folder (" + LIST_HINT + ")")
    if not is_session_folder(real):
        raise UserFacingError(f"'{name}' is not a session folder (no meta.json or events.jsonl in {real})",
                              LIST_HINT)
    return real


def open_session(name: str, root: Path | str | None = None, check_audio: bool = True) -> Session:
    return load_session(resolve_session(name, root), check_audio=check_audio)


def load_session(folder: Path | str, check_audio: bool = True) -> Session:
    folder = Path(folder)
    problems: list[str] = []
    meta = _read_meta(folder, problems)
    events, skipped = _read_events(folder, problems)
    missing = _missing_audio(folder, events, problems) if check_audio else set()
    if meta.get("status") == "running":
        problems.append("meta.json still says 'running': the session crashed, or is still being recorded")
    return build_session(folder, meta, events, problems, missing, skipped)


def _read_meta(folder: Path, problems: list[str]) -> dict:
    path = folder / "meta.json"
    if not path.is_file():
        problems.append("meta.json is missing: mode, models and plan are unknown (the events are shown anyway)")
        return {}
    try:
        meta = json.loads(path.read_bytes().decode("utf-8", errors="replace"))
    except (OSError, ValueError) as exc:
        problems.append(f"meta.json is damaged ({type(exc).__name__}: {str(exc)[:80]}); the events are shown anyway")
        return {}
    if not isinstance(meta, dict):
        problems.append("meta.json is damaged (not a JSON object); the events are shown anyway")
        return {}
    return meta


def read_events(path: Path) -> tuple[list[Event], list[int], int]:
    """Typed events from an events.jsonl, each candidate turn as finally transcribed (its
    transcript_revised applied); also the numbers of lines that were not valid JSON, and how
    many lines there were."""
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    events, bad = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError:
            raw = None
        if isinstance(raw, dict) and isinstance(raw.get("type"), str):
            events.append(parse(raw))
        else:
            bad.append(number)
    return apply_revisions(events), bad, len(lines)


def _read_events(folder: Path, problems: list[str]) -> tuple[list[Event], int]:
    path = folder / "events.jsonl"
    if not path.is_file():
        problems.append("events.jsonl is missing: nothing that was said can be shown")
        return [], 0
    events, bad, n_lines = read_events(path)
    if bad == [n_lines]:
        problems.append(f"the last line of events.jsonl (line {bad[0]}) is cut short, as after a crash; it was skipped")
    elif bad:
        shown = ", ".join(map(str, bad[:8])) + (" ..." if len(bad) > 8 else "")
        problems.append(f"{len(bad)} line(s) of events.jsonl are not valid JSON (line {shown}); they were skipped")
    return events, len(bad)


def _missing_audio(folder: Path, events: list[Event], problems: list[str]) -> set[str]:
    missing: set[str] = set()
    real_folder = folder.resolve()
    for e in events:
        rel = getattr(e, "audio", None)
        if not isinstance(rel, str) or not rel:
            continue
        path = (folder / rel).resolve()
        if not _inside(path, real_folder):
            missing.add(rel)  # never read a file an event points to outside the session
            problems.append(f"{rel} points outside the session folder; it is ignored")
        elif not path.is_file():
            missing.add(rel)
            problems.append(f"{rel} is missing ({e.TYPE} at {clock(getattr(e, 'start', e.t))})")
    return missing


def audio_path(session: Session, rel: str | None) -> Path | None:
    """The file behind an event's `audio`, or None when it is absent or was refused."""
    if not rel or rel in session.missing_audio:
        return None
    path = session.folder / rel
    return path if path.is_file() else None


def list_sessions(root: Path | str | None = None) -> list[SessionListing]:
    """Every session under root, newest first. Audio is not checked (listing stays fast)."""
    base = sessions_root(root)
    if not base.is_dir():
        return []
    out = []
    for folder in reversed(session_dirs(base)):
        s = load_session(folder, check_audio=False)
        shares = [q.covered_share for q in s.questions if q.covered_share is not None]
        out.append(SessionListing(
            name=s.name, path=folder, started_at=s.started_at, mode=s.mode, status=s.status,
            questions=len(s.questions), overall=s.overall_score,
            covered_share=round(sum(shares) / len(shares), 3) if shares else None,
            problems=len(s.problems), derived_from=s.meta.get("derived_from")))
    return out


def format_sessions(summaries: list[SessionListing]) -> str:
    """A terminal table for `voice-interviewer sessions`."""
    if not summaries:
        return "No sessions yet. Record one with: voice-interviewer drill (or voice-interviewer demo)"
    rows = [f"{'SESSION':34} {'DATE':16} {'MODE':12} {'Q':>2} {'SCORE':>6}  STATUS"]
    for s in summaries:
        score = f"{s.overall:.1f}/5" if s.overall is not None else (
            f"{s.covered_share:.0%}cov" if s.covered_share is not None else "-")
        status = s.status + (f"  [{s.problems} problem(s)]" if s.problems else "")
        status += f"  (from {s.derived_from})" if s.derived_from else ""
        rows.append(f"{s.name:34} {s.started_at[:16].replace('T', ' '):16} {s.mode:12} {s.questions:>2} {score:>6}  {status}")
    return "\n".join(rows)
