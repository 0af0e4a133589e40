"""What the judge says about one rubric key point: a plain, frozen record that travels in events."""

from __future__ import annotations

from dataclasses import dataclass

COVERED, PARTIAL, MISSED, WRONG, UNCLEAR = "covered", "partial", "missed", "wrong", "unclear"
STATUSES = (COVERED, PARTIAL, MISSED, WRONG, UNCLEAR)
CREDIT = {COVERED: 1.0, PARTIAL: 0.5, MISSED: 0.0, WRONG: 0.0, UNCLEAR: 0.0}


@dataclass(frozen=True)
class KeyPointVerdict:
    key_point: str  # the key point's id in the bank
    status: str  # covered | partial | missed | wrong | unclear
    evidence: str | None  # the words of the answer that show it; None when nothing was found
    reason: str  # one line, addressed to the candidate
    confidence: float  # 0..1, how sure the judge is of this status

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must lie in [0, 1], not {self.confidence}")

    @property
    def credit(self) -> float:
        return CREDIT[self.status]

    def to_dict(self) -> dict:
        return {"key_point": self.key_point, "status": self.status, "evidence": self.evidence,
                "reason": self.reason, "confidence": round(float(self.confidence), 3)}

    @staticmethod
    def from_dict(d: dict) -> "KeyPointVerdict":
        return KeyPointVerdict(str(d["key_point"]), str(d["status"]), d.get("evidence"), str(d.get("reason", "")),
                               float(d.get("confidence", 0.0)))
