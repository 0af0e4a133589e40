import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("overlapping sessions", ([(0, 10), (5, 15), (8, 9)], ), 3, "At second 8 all three play."),
    Case("back to back is not overlap", ([(0, 10), (10, 20)], ), 1),
]

_rng = random.Random(13)


def _sessions(rng, n, horizon, longest):
    out = []
    for _ in range(n):
        start = rng.randrange(horizon)
        out.append((start, start + rng.randrange(longest + 1)))
    return out


HIDDEN = [
    Case("no sessions", ([], ), 0),
    Case("zero-length sessions only", ([(3, 3), (3, 3)], ), 0),
    Case("identical sessions", ([(1, 4)] * 4, ), 4),
    Case("nested sessions", ([(0, 100), (10, 20), (12, 18), (30, 40)], ), 3),
    Case("many sessions touching at one second", ([(0, 5), (5, 9), (5, 7), (2, 5)], ), 2),
] + [Case(f"random sessions #{i + 1}", (_sessions(_rng, 200, 500, 60), )) for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    return (_sessions(rng, n, 10 * n, 50), )
