import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("two chains", (4, [(2, 0), (3, 1)]), [2, 0, 3, 1], "2 and 3 are ready; 2 first, which unlocks 0 (smaller than 3)."),
    Case("a contradiction", (3, [(0, 1), (1, 2), (2, 0)]), []),
]


def _dag(rng, n, e):
    label = list(range(n))
    rng.shuffle(label)
    rules = []
    for _ in range(e):
        a, b = sorted(rng.sample(range(n), 2))
        rules.append((label[a], label[b]))
    return rules


_rng = random.Random(610)
HIDDEN = [
    Case("no episodes", (0, []), []),
    Case("no rules", (3, []), [0, 1, 2]),
    Case("a rule repeated", (2, [(1, 0), (1, 0)]), [1, 0]),
    Case("an episode required before itself", (2, [(0, 0)]), []),
    Case("a reversed chain", (4, [(3, 2), (2, 1), (1, 0)]), [3, 2, 1, 0]),
    Case("a cycle among later episodes", (4, [(0, 1), (2, 3), (3, 2)]), []),
] + [Case(f"random rules #{i + 1}", (40, _dag(_rng, 40, 30 + 20 * i))) for i in range(4)]

SCALE = Scale(sizes=(2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    return (n, _dag(rng, n, 2 * n))
