import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("two small beat one big", ([(0, 5, 6), (5, 10, 6), (2, 8, 10)],), 12,
         "(0,5) and (5,10) do not overlap and earn 12, more than the single 10."),
    Case("one big beats two small", ([(0, 5, 3), (5, 10, 3), (2, 8, 10)],), 10),
]


def _slots(rng, n, horizon, longest):
    out = []
    for _ in range(n):
        start = rng.randrange(horizon)
        out.append((start, start + 1 + rng.randrange(longest), rng.randrange(100)))
    return out


_rng = random.Random(2584)
HIDDEN = [
    Case("no slots", ([],), 0),
    Case("a single slot", ([(3, 4, 7)],), 7),
    Case("identical slots", ([(0, 10, 5)] * 3,), 5),
    Case("zero-value slots", ([(0, 1, 0), (1, 2, 0)],), 0),
    Case("slots touching end to start", ([(0, 1, 1), (1, 2, 1), (2, 3, 1)],), 3),
] + [Case(f"random slots #{i + 1}", (_slots(_rng, 120, 400, 10 + 20 * i),)) for i in range(4)]

SCALE = Scale(sizes=(2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    return (_slots(rng, n, 10 * n, 40),)
