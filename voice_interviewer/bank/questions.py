"""The question bank: one YAML file per track in question_bank/, plus loop profiles.

Validation names the file, the question and the field, so a typo in a new
question is found by `voice-interviewer bank validate` before anyone is
interviewed with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from voice_interviewer.errors import UserFacingError
from voice_interviewer.paths import QUESTION_BANK_DIR

TRACKS = ("ml-fundamentals", "experimentation-and-statistics", "ml-system-design",
          "coding-discussion", "behavioural", "recruiter-and-hiring-manager")
STAGES = ("recruiter-screen", "technical-phone-screen", "onsite-coding", "onsite-ml-system-design",
          "onsite-experimentation", "onsite-behavioural", "hiring-manager")
DIFFICULTIES = ("easy", "medium", "hard")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class WrongIdea:
    """A known misconception about a key point: what people say, a cue that finds it, the correction."""

    idea: str
    correction: str
    cue: str = ""  # a regular expression over the lowercased clause; empty = meaning only


@dataclass(frozen=True)
class KeyPoint:
    id: str
    text: str
    keywords: tuple[str, ...]
    claims: tuple[str, ...] = ()  # short correct statements, as a candidate might say them
    wrong: tuple[WrongIdea, ...] = ()


@dataclass(frozen=True)
class FollowUp:
    text: str
    probes: str  # a key point id, or "deeper"


@dataclass(frozen=True)
class Question:
    id: str
    track: str
    companies: tuple[str, ...]
    roles: tuple[str, ...]
    stage: str
    difficulty: str
    tags: tuple[str, ...]
    time_box_s: int
    source: str
    question: str
    key_points: tuple[KeyPoint, ...]
    follow_ups: tuple[FollowUp, ...]
    common_mistakes: tuple[str, ...]
    closing: bool = False  # "what questions do you have for me?": asked only at the very end of a screen

    def key_point(self, kp_id: str) -> KeyPoint:
        return next(k for k in self.key_points if k.id == kp_id)

    def follow_ups_for(self, kp_id: str) -> list[FollowUp]:
        return [f for f in self.follow_ups if f.probes == kp_id]

    @property
    def vocabulary(self) -> list[str]:
        """Jargon to prime Whisper with: the question's tags and key-point keywords."""
        words = [t.replace("-", " ") for t in self.tags] + [w for k in self.key_points for w in k.keywords[:2]]
        return list(dict.fromkeys(words))[:24]


PARTS = ("questions", "coding")  # what a stage is made of, in the order its `order` field gives


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    minutes: int
    looks_for: tuple[str, ...]
    tracks: tuple[str, ...]
    questions: int
    phone_screen: bool = True  # part of a phone-screen rehearsal (onsite rounds are not)
    prefer: tuple[str, ...] = ()  # bank stages to draw from first, in this order; empty: the stage's own id
    order: tuple[str, ...] = ("questions",)  # e.g. (questions, coding): fundamentals first, then the problem
    coding: int = 0  # how many coding problems the stage asks
    coding_minutes: float = 20.0  # the time box of one coding problem
    coding_tags: tuple[str, ...] = ()  # problems with these tags first (the seeds' domain flavour)
    question_s: float | None = None  # a cap on each question's time box (rapid fire)
    follow_ups: int | None = None  # a cap on follow-ups per question (rapid fire: one); None: the mode's default


@dataclass(frozen=True)
class LoopProfile:
    id: str
    company: str
    role: str
    title: str
    description: str
    stages: tuple[Stage, ...]


class BankError(UserFacingError):
    pass


@dataclass(frozen=True)
class Bank:
    questions: tuple[Question, ...]
    profiles: tuple[LoopProfile, ...]

    def get(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise BankError(f"No question with id '{qid}'", "list them with: voice-interviewer bank list")

    def track(self, track: str) -> list[Question]:
        return [q for q in self.questions if q.track == track]

    def profile(self, pid: str) -> LoopProfile:
        for p in self.profiles:
            if p.id == pid:
                return p
        raise BankError(f"No loop profile '{pid}'", f"choose one of: {', '.join(p.id for p in self.profiles)}")


def load_bank(folder: Path = QUESTION_BANK_DIR) -> Bank:
    """Load and validate; raises BankError listing every problem found."""
    problems: list[str] = []
    questions: list[Question] = []
    for path in sorted(folder.glob("*.yaml")):
        questions += _load_track(path, problems)
    seen: dict[str, str] = {}
    for q in questions:
        if q.id in seen:
            problems.append(f"{q.track}.yaml: question id '{q.id}' is also used in {seen[q.id]}.yaml")
        seen[q.id] = q.track
    profiles = [p for path in sorted((folder / "profiles").glob("*.yaml")) if (p := _load_profile(path, problems))]
    if problems:
        raise BankError(f"The question bank has {len(problems)} problem(s):\n  " + "\n  ".join(problems),
                        "fix them in question_bank/ and run: voice-interviewer bank validate")
    return Bank(tuple(questions), tuple(profiles))


def _read_yaml(path: Path, problems: list[str]):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML ({str(exc).splitlines()[0]})")
    except OSError as exc:
        problems.append(f"{path.name}: cannot be read ({exc})")
    return None


def _load_track(path: Path, problems: list[str]) -> list[Question]:
    data = _read_yaml(path, problems)
    if data is None:
        return []
    track = data.get("track") if isinstance(data, dict) else None
    if track != path.stem:
        problems.append(f"{path.name}: field 'track' must be '{path.stem}' (the file name), found {track!r}")
    if track not in TRACKS:
        problems.append(f"{path.name}: track {track!r} is not one of {', '.join(TRACKS)}")
    out = []
    for i, raw in enumerate((data or {}).get("questions") or []):
        where = f"{path.name}: question {raw.get('id', f'#{i + 1}') if isinstance(raw, dict) else f'#{i + 1}'}"
        q = _question(raw, str(track), where, problems)
        if q:
            out.append(q)
    if not out:
        problems.append(f"{path.name}: no valid questions")
    return out


def _question(raw, track: str, where: str, problems: list[str]) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping of fields")
        return None
    before = len(problems)

    def need(field, kind, check=None, msg=""):
        value = raw.get(field)
        if not isinstance(value, kind) or (check and not check(value)):
            problems.append(f"{where}: field '{field}' {msg or 'is missing or has the wrong type'} (found {value!r:.60})")
        return value

    need("id", str, _ID.match, "must be lowercase words joined by hyphens")
    need("stage", str, lambda v: v in STAGES, f"must be one of {', '.join(STAGES)}")
    need("difficulty", str, lambda v: v in DIFFICULTIES, "must be easy, medium or hard")
    need("time_box_s", int, lambda v: 30 <= v <= 900, "must be whole seconds between 30 and 900")
    need("source", str, lambda v: v in ("seed", "original"), "must be seed or original")
    need("question", str, lambda v: len(v.strip()) > 10 and v.strip()[-1] in ".?", "must be a spoken sentence ending in . or ?")
    for f in ("companies", "roles", "tags"):
        need(f, list, msg="must be a list")
    need("common_mistakes", list, lambda v: 1 <= len(v) <= 4, "must list 1 to 4 mistakes")
    kps = need("key_points", list, lambda v: 3 <= len(v) <= 6, "must have 3 to 6 key points")
    fus = need("follow_ups", list, lambda v: 2 <= len(v) <= 4, "must have 2 to 4 follow-ups")
    key_points, follow_ups = [], []
    for j, k in enumerate(kps if isinstance(kps, list) else []):
        if not (isinstance(k, dict) and isinstance(k.get("id"), str) and isinstance(k.get("text"), str)
                and isinstance(k.get("keywords"), list) and k["keywords"]):
            problems.append(f"{where}: key_points[{j}] needs id, text and a non-empty keywords list")
            continue
        key_points.append(KeyPoint(k["id"], k["text"].strip(), tuple(str(w).lower() for w in k["keywords"]),
                                   *_claims_and_wrong(k, f"{where}: key_points[{j}]", problems)))
    ids = [k.id for k in key_points]
    if len(set(ids)) != len(ids):
        problems.append(f"{where}: key point ids repeat: {ids}")
    for j, f in enumerate(fus if isinstance(fus, list) else []):
        if not (isinstance(f, dict) and isinstance(f.get("text"), str) and f.get("probes") in ids + ["deeper"]):
            problems.append(f"{where}: follow_ups[{j}] needs text and 'probes' set to a key point id of this question or 'deeper'")
            continue
        follow_ups.append(FollowUp(f["text"].strip(), f["probes"]))
    if follow_ups and sum(f.probes != "deeper" for f in follow_ups) * 2 < len(follow_ups):
        problems.append(f"{where}: at least half of the follow-ups must probe a key point")
    if len(problems) > before:
        return None
    return Question(
        id=raw["id"], track=track, companies=tuple(raw["companies"]), roles=tuple(raw["roles"]),
        stage=raw["stage"], difficulty=raw["difficulty"], tags=tuple(raw["tags"]), time_box_s=raw["time_box_s"],
        source=raw["source"], question=" ".join(raw["question"].split()), key_points=tuple(key_points),
        follow_ups=tuple(follow_ups), common_mistakes=tuple(raw["common_mistakes"]),
        closing=bool(raw.get("closing", False)),
    )


def _claims_and_wrong(k: dict, where: str, problems: list[str]) -> tuple[tuple[str, ...], tuple[WrongIdea, ...]]:
    """The optional judging fields of a key point: `claims` (strings) and `wrong` (idea, correction, cue)."""
    claims = k.get("claims") or []
    if not (isinstance(claims, list) and all(isinstance(c, str) and c.strip() for c in claims)):
        problems.append(f"{where}: 'claims' must be a list of sentences")
        claims = []
    wrong = []
    for i, w in enumerate(k.get("wrong") or []):
        if not (isinstance(w, dict) and isinstance(w.get("idea"), str) and isinstance(w.get("correction"), str)):
            problems.append(f"{where}: wrong[{i}] needs 'idea' and 'correction' sentences")
            continue
        cue = str(w.get("cue") or "")
        try:
            re.compile(cue)
        except re.error as exc:
            problems.append(f"{where}: wrong[{i}] cue is not a valid regular expression ({exc})")
            continue
        wrong.append(WrongIdea(w["idea"].strip(), w["correction"].strip(), cue))
    return tuple(c.strip() for c in claims), tuple(wrong)


def _load_profile(path: Path, problems: list[str]) -> LoopProfile | None:
    data = _read_yaml(path, problems)
    where = f"profiles/{path.name}"
    try:
        stages = tuple(_stage(s) for s in data["stages"])
        profile = LoopProfile(data["id"], data["company"], data["role"], data["title"],
                              " ".join(str(data.get("description", "")).split()), stages)
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"{where}: missing or malformed field {exc}")
        return None
    for s in profile.stages:
        bad = [t for t in s.tracks if t not in TRACKS]
        if bad:
            problems.append(f"{where}: stage '{s.id}' names unknown track(s) {bad}")
        if set(s.order) - set(PARTS) or ("coding" in s.order) != (s.coding > 0):
            problems.append(f"{where}: stage '{s.id}' order {list(s.order)} must list parts of {PARTS}, "
                            "with 'coding' exactly when the stage asks coding problems")
        bad = [b for b in s.prefer if b not in STAGES]
        if bad:
            problems.append(f"{where}: stage '{s.id}' prefers unknown bank stage(s) {bad}")
    if profile.id != path.stem:
        problems.append(f"{where}: field 'id' must match the file name '{path.stem}'")
    return profile


def _stage(s: dict) -> Stage:
    coding = int(s.get("coding", 0))
    return Stage(s["id"], s["title"], int(s["minutes"]), tuple(s.get("looks_for", ())), tuple(s["tracks"]),
                 int(s["questions"]), phone_screen=bool(s.get("phone_screen", True)), prefer=tuple(s.get("prefer", ())),
                 order=tuple(s.get("order") or (("questions", "coding") if coding else ("questions",))),
                 coding=coding, coding_minutes=float(s.get("coding_minutes", 20)),
                 coding_tags=tuple(s.get("coding_tags", ())),
                 question_s=float(s["question_s"]) if s.get("question_s") else None,
                 follow_ups=int(s["follow_ups"]) if s.get("follow_ups") is not None else None)


def problem_question(problem) -> Question:
    """A coding problem (coding/spec.py Problem) dressed as a question, so that the plan, the session
    events and the report carry it like any other: its spoken prompt, its key ideas as key points,
    its follow-ups. Never in the bank's lists; the coding round asks it."""
    key_points = tuple(KeyPoint(k.id, k.text, tuple(str(w).lower() for w in k.keywords)) for k in problem.key_ideas)
    return Question(
        id=problem.id, track="coding", companies=(), roles=("mle",), stage="technical-phone-screen",
        difficulty=problem.difficulty, tags=tuple(problem.tags), time_box_s=1200, source="original",
        question=f"Here's the coding problem: {problem.title}. {_spoken(problem.statement)}",
        key_points=key_points, follow_ups=tuple(FollowUp(f, "deeper") for f in problem.follow_ups),
        common_mistakes=("coding before explaining the approach",))


def _spoken(markdown: str) -> str:
    """The statement as a line to say: no markup, no code spans, one paragraph."""
    text = re.sub(r"[`*#]", "", markdown).replace("_", " ")  # recent_titles is read "recent titles"
    return " ".join(text.split())
