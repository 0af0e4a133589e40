import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("two models", ([[(90, "dune"), (70, "heat")], [(80, "up"), (70, "alien")]], 3), ["dune", "up", "alien"],
         "`alien` and `heat` tie at 70; `alien` comes first alphabetically."),
    Case("the same title from two models", ([[(5, "a")], [(5, "a"), (1, "b")]], 5), ["a", "a", "b"]),
]


def _lists(rng, k, length, scores):
    out = []
    for _ in range(k):
        ranked = [(rng.randrange(scores), f"t{rng.randrange(5 * length)}") for _ in range(rng.randrange(length + 1))]
        ranked.sort(key=lambda e: (-e[0], e[1]))
        out.append(ranked)
    return out


_rng = random.Random(144)
HIDDEN = [
    Case("no lists", ([], 3), []),
    Case("only empty lists", ([[], []], 2), []),
    Case("m = 0", ([[(1, "a")]], 0), []),
    Case("m larger than all entries", ([[(3, "a")], [(2, "b")]], 10), ["a", "b"]),
    Case("all scores tied", ([[(1, "c"), (1, "d")], [(1, "a")]], 3), ["a", "c", "d"]),
] + [Case(f"random rankings #{i + 1}", (_lists(_rng, 3 + 4 * i, 12, 40), 25)) for i in range(4)]

SCALE = Scale(sizes=(2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    # Many short lists: the naive scan over every head costs O(k) per entry.
    k = n // 8
    return (_lists_exact(rng, k, 8), n // 2)


def _lists_exact(rng, k, length):
    out = []
    for _ in range(k):
        ranked = sorted(((rng.randrange(10**6), f"t{rng.randrange(10**6)}") for _ in range(length)),
                        key=lambda e: (-e[0], e[1]))
        out.append(ranked)
    return out
