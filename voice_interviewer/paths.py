"""Where things live: the package's own data (bank, prompts, model manifest) and the
user's data and cache folders.

The data and cache folders follow each platform's convention (XDG on Linux,
~/Library on macOS, %LOCALAPPDATA% on Windows) and can be overridden with
VOICE_INTERVIEWER_HOME (data) and VOICE_INTERVIEWER_CACHE (cache).
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

APP = "voice-interviewer"


def package_data(*parts: str) -> Path:
    """A file or folder shipped inside the package (installed or editable, from any directory)."""
    return Path(str(resources.files("voice_interviewer").joinpath(*parts)))


PROMPTS_DIR = package_data("prompts")
QUESTION_BANK_DIR = package_data("bank", "data")
MODEL_MANIFEST = package_data("models", "manifest.yaml")


def _platform_base(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / ("Caches" if kind == "cache" else "Application Support")
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
    var = "XDG_CACHE_HOME" if kind == "cache" else "XDG_DATA_HOME"
    default = home / (".cache" if kind == "cache" else ".local/share")
    return Path(os.environ.get(var) or default)


def data_dir() -> Path:
    """Sessions and user settings."""
    override = os.environ.get("VOICE_INTERVIEWER_HOME")
    return Path(override) if override else _platform_base("data") / APP


def cache_dir() -> Path:
    """Assembled models and synthesised phrases: safe to delete, rebuilt on demand."""
    override = os.environ.get("VOICE_INTERVIEWER_CACHE")
    return Path(override) if override else _platform_base("cache") / APP
