"""The synthetic candidate of `make demo`: scripted answers, read aloud by Piper.

It listens to the interviewer's events: when a question or follow-up is
asked, it queues the matching answer on the virtual device, so it answers
what was actually asked, whatever the policy decided.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from voice_interviewer.audio.clip import AudioClip, resample
from voice_interviewer.events import Event, LineSaid
from voice_interviewer.paths import package_data

ANSWERS = package_data("demo", "candidate_answers.yaml")


class SyntheticCandidate:
    def __init__(self, tts, device, path: Path = ANSWERS):
        self.script = yaml.safe_load(path.read_text())["answers"]
        self.tts, self.device = tts, device

    def __call__(self, event: Event) -> None:
        """A bus subscriber: answers each question and follow-up line as it is said."""
        if not isinstance(event, LineSaid) or event.kind not in ("question", "follow_up"):
            return
        entry = self.script.get(event.question_id, {})
        text = entry.get("answer" if event.kind == "question" else "follow_up")
        self.device.queue_answer(self._speak(text) if text else None)

    def _speak(self, text: str) -> AudioClip:
        audio = self.tts.synthesize(text)
        return AudioClip(resample(audio.samples, audio.rate), source="synthetic (Piper joe voice)")
