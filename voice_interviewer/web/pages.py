"""What the page reads from the data folder: the session list, one session's
turns for replay, its HTML report, the progress page, and the session audio.

Every session name and file path here comes from a URL, so each goes through
the same checks as the command line (sessions.store refuses names that
resolve outside the sessions folder) plus security.file_inside for files.
Reports and the progress page are rendered in memory with the existing
report code: nothing is written, a session is never altered.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from voice_interviewer.errors import UserFacingError
from voice_interviewer.web.security import file_inside

AUDIO_TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".flac": "audio/flac"}


class NotFound(Exception):
    """Answered 404 with this message."""


def session_list(root: Path | None) -> list[dict]:
    from voice_interviewer.sessions.store import list_sessions

    return [{"name": s.name, "started_at": s.started_at, "mode": s.mode, "status": s.status,
             "questions": s.questions, "overall": s.overall, "covered_share": s.covered_share}
            for s in list_sessions(root)]


def _open(name: str, root: Path | None):
    from voice_interviewer.sessions.store import open_session

    if name == "latest":  # a URL names one session; 'latest' would change under the page's feet
        raise NotFound("name the session")
    try:
        return open_session(name, root)
    except UserFacingError as exc:
        raise NotFound(exc.message) from exc


def replay_data(name: str, root: Path | None) -> dict:
    """The conversation in order, each turn with its text and a URL for its audio; a follow-up taken
    back carries withdrawn_s (how much of it played), so the page strikes it out as the live page did."""
    from voice_interviewer.sessions.store import audio_path

    session = _open(name, root)
    questions = {q.question_id: q.number for q in session.questions}
    turns = []
    for t in session.turns:
        path = audio_path(session, t.audio)
        turns.append({"speaker": t.speaker, "kind": t.kind, "text": t.text, "start": t.start, "end": t.end,
                      "question": questions.get(t.question_id), "withdrawn_s": t.withdrawn_s,
                      "audio": f"/files/{quote(session.name)}/{quote(t.audio)}" if path else None})
    return {"name": session.name, "mode": session.mode, "status": session.status,
            "started_at": session.started_at, "turns": turns, "problems": list(session.problems)}


def report_html(name: str, root: Path | None) -> str:
    from voice_interviewer.sessions.report import render_html
    from voice_interviewer.sessions.summary import summarize

    session = _open(name, root)
    return render_html(summarize(session), session, embed_audio=True)


def progress_html(root: Path | None) -> str:
    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.sessions.progress import progress, render_progress_html

    return render_progress_html(progress(root), load_bank())


def session_file(name: str, rel: str, root: Path | None) -> tuple[Path, str]:
    """An audio file of a session, with its content type; only audio, only inside that session."""
    session = _open(name, root)
    path = file_inside(session.folder, rel)
    kind = AUDIO_TYPES.get(path.suffix.lower()) if path else None
    if path is None or kind is None:
        raise NotFound("no such audio file in that session")
    return path, kind
