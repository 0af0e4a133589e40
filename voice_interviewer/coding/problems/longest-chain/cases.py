import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a small tree", (5, [(0, 1), (1, 2), (1, 3), (3, 4)]), 3, "2 -> 1 -> 3 -> 4."),
    Case("a star", (4, [(0, 1), (0, 2), (0, 3)]), 2),
]


def _tree(rng, n, reach):
    label = list(range(n))
    rng.shuffle(label)
    return [(label[i], label[rng.randrange(max(0, i - reach), i)]) for i in range(1, n)]


_rng = random.Random(1597)
HIDDEN = [
    Case("no titles", (0, []), 0),
    Case("one title", (1, []), 0),
    Case("two titles", (2, [(1, 0)]), 1),
    Case("a straight line listed backwards", (6, [(5, 4), (4, 3), (3, 2), (2, 1), (1, 0)]), 5),
    Case("the longest path avoids title 0", (6, [(0, 1), (1, 2), (2, 3), (1, 4), (4, 5)]), 4),
] + [Case(f"a random tree #{i + 1}", (50, _tree(_rng, 50, 2 + 5 * i))) for i in range(4)]

SCALE = Scale(sizes=(500, 2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    return (n, _tree(rng, n, 6))
