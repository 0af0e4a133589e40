import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a zig-zag", ([3, 1, 4, 1, 5, 9, 2, 6],), 4, "For example 1, 4, 5, 9 (or 3, 4, 5, 6)."),
    Case("falling ratings", ([5, 4, 3],), 1),
]

_rng = random.Random(4181)
HIDDEN = [
    Case("no ratings", ([],), 0),
    Case("all ratings equal", ([7] * 10,), 1),
    Case("already rising", (list(range(12)),), 12),
    Case("negative ratings", ([-5, -1, -3, 0],), 3),
    Case("repeats inside a rise", ([1, 2, 2, 3, 3, 4],), 4),
] + [Case(f"random ratings #{i + 1}", ([_rng.randrange(10 * (i + 1)) for _ in range(150)],)) for i in range(4)]

SCALE = Scale(sizes=(2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    return ([rng.randrange(10**9) for _ in range(n)],)
