import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("windows of three minutes", ([5, 9, 3, 4, 8, 1], 3), [9, 9, 8, 8]),
    Case("a window as long as the event", ([2, 7, 4], 3), [7]),
]

_rng = random.Random(55)
HIDDEN = [
    Case("no samples", ([], 2), []),
    Case("fewer samples than k", ([1, 2], 3), []),
    Case("k = 1", ([4, 1, 6], 1), [4, 1, 6]),
    Case("equal values", ([3, 3, 3, 3], 2), [3, 3, 3]),
    Case("strictly decreasing counts", ([9, 8, 7, 6, 5], 2), [9, 8, 7, 6]),
    Case("strictly increasing counts", ([1, 2, 3, 4, 5], 3), [3, 4, 5]),
] + [Case(f"a random event #{i + 1}", ([_rng.randrange(1000) for _ in range(300)], 1 + 15 * i))
     for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    return ([rng.randrange(10**6) for _ in range(n)], n // 4)
