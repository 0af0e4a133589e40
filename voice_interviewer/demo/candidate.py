"""The synthetic candidate of `make demo` and the headless phone screen: scripted answers, read aloud by Piper.

It listens to the interviewer's events: when a question or follow-up is
asked, it queues the matching answer on the virtual device, so it answers
what was actually asked, whatever the policy decided. In a coding round it
follows the coding script (coder.py) turn by turn; a question it has no
script for gets its track's fallback answer, or silence.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from voice_interviewer.audio.clip import AudioClip, resample
from voice_interviewer.demo.coder import CodingScript
from voice_interviewer.events import Event, LineSaid
from voice_interviewer.paths import package_data

ANSWERS = package_data("demo", "candidate_answers.yaml")


class SyntheticCandidate:
    def __init__(self, tts, device, path: Path = ANSWERS, coding: CodingScript | None = None):
        data = yaml.safe_load(path.read_text())
        self.script, self.fallback = {**data["answers"], **data.get("phone_screen", {})}, data.get("fallback", {})
        self.tts, self.device = tts, device
        self.coding = coding or CodingScript()
        self._tracks: dict[str, str] | None = None

    def __call__(self, event: Event) -> None:
        """A bus subscriber: answers each question and follow-up line as it is said."""
        if self.coding.handles(event):  # a coding round: driven by the turns, not only the lines
            step = self.coding.step(event)
            if step is not None:
                self.device.queue_answer(self._speak(step.say) if step.say else None)
            return
        if not isinstance(event, LineSaid):
            return
        if event.kind not in ("question", "follow_up"):
            return
        entry = self.script.get(event.question_id) or self.fallback.get(self._track(event.question_id), {})
        text = entry.get("answer" if event.kind == "question" else "follow_up")
        self.device.queue_answer(self._speak(text) if text else None)

    def _track(self, question_id: str | None) -> str:
        if self._tracks is None:
            from voice_interviewer.bank.questions import load_bank

            self._tracks = {q.id: q.track for q in load_bank().questions}
        return self._tracks.get(question_id or "", "")

    def _speak(self, text: str) -> AudioClip:
        audio = self.tts.synthesize(" ".join(text.split()))
        return AudioClip(resample(audio.samples, audio.rate), source="synthetic (Piper joe voice)")
