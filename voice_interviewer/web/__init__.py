"""The interview in a browser window: `voice-interviewer serve` (see server.py)."""
