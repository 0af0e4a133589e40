import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a short heavy run", ([30, 10, 90, 20, 60], 100), 2, "Days 2-3 (10 + 90) reach 100 in two days."),
    Case("no run is enough", ([5, 5, 5], 100), 0),
]

_rng = random.Random(34)
HIDDEN = [
    Case("no days at all", ([], 10), 0),
    Case("one day meets the goal", ([3, 50, 4], 50), 1),
    Case("only the whole history is enough", ([1, 1, 1, 1], 4), 4),
    Case("all days equal", ([7] * 20, 21), 3),
    Case("a goal of 1", ([9, 9], 1), 1),
] + [Case(f"a random history #{i + 1}", ([_rng.randint(1, 120) for _ in range(300)], 200 + 400 * i))
     for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    # Small daily values and a goal needing about a quarter of the history.
    return ([rng.randint(1, 9) for _ in range(n)], 5 * (n // 4))
