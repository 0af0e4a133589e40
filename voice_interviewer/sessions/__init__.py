"""Recorded sessions: list, open, replay, re-derive, report, and track progress over time.

Modules, one concern each: store (find and read sessions, safely), model (the
Session dataclasses), replay (print/play a session), derive (re-transcribe,
re-score, re-run into a new linked session), summary (what a report says),
report (HTML/Markdown/JSON), charts/page/media (the self-contained page),
progress (scores over time) and repetition (which questions to drill next).
Importing this package loads no speech model.
"""

from voice_interviewer.sessions.model import QuestionRecord, Session, Turn
from voice_interviewer.sessions.store import (SessionListing, format_sessions, list_sessions, load_session,
                                              open_session, resolve_session)

__all__ = ["QuestionRecord", "Session", "SessionListing", "Turn", "format_sessions", "list_sessions",
           "load_session", "open_session", "resolve_session"]
