import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a hit refreshes a title", (["a", "b", "a", "c", "b"], 2), 4,
         "`a` hits and becomes most recent, so `c` evicts `b`; the second `b` misses."),
    Case("everything fits", (["x", "y", "x", "y"], 5), 2),
]

_rng = random.Random(5)
HIDDEN = [
    Case("an empty request stream", ([], 3), 0),
    Case("capacity 0", (["a", "a", "a"], 0), 3),
    Case("the same title over and over", (["a"] * 20, 1), 1),
    Case("a cycle one larger than the cache", (["a", "b", "c"] * 4, 2), 12),
    Case("capacity 1 with repeats", (["a", "a", "b", "b", "a"], 1), 3),
] + [Case(f"a random request stream #{i + 1}",
          ([f"t{_rng.randrange(30)}" for _ in range(400)], 2 + 6 * i)) for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    return ([f"t{rng.randrange(n // 2)}" for _ in range(n)], n // 4)
