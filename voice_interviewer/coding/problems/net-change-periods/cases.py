import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("overlapping periods", ([1, 2, 1, -1, 2], 3), 3,
         "Days 0-1, 1-2 and 0-3 each add up to 3."),
    Case("zero change", ([0, 0], 0), 3),
]

_rng = random.Random(10946)
HIDDEN = [
    Case("no days", ([], 0), 0),
    Case("a single matching day", ([5], 5), 1),
    Case("negative target", ([-2, 1, -1], -2), 2),
    Case("all zeros, k = 0", ([0] * 5, 0), 15),
    Case("no period matches", ([1, 1, 1], 7), 0),
] + [Case(f"random changes #{i + 1}", ([_rng.randint(-3, 3) for _ in range(200)], i - 1)) for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    return ([rng.randint(-5, 5) for _ in range(n)], 3)
