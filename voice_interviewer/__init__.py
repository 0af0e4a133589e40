"""voice-interviewer: a local, voice-first mock interviewer for ML engineers."""

__version__ = "0.1.0"
