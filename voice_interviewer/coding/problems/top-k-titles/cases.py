import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("counts decide the order", (["b", "a", "b", "c", "b", "a"], 2), ["b", "a"]),
    Case("a tie broken alphabetically", (["z", "y", "z", "y", "x"], 2), ["y", "z"],
         "`y` and `z` were both played twice; `y` comes first alphabetically."),
]

_rng = random.Random(3)
HIDDEN = [
    Case("an empty log", ([], 3), []),
    Case("k = 0", (["a", "b"], 0), []),
    Case("k larger than the number of titles", (["a", "b", "a"], 10), ["a", "b"]),
    Case("all titles tied", (["d", "c", "b", "a"], 3), ["a", "b", "c"]),
    Case("one title only", (["q"] * 7, 2), ["q"]),
] + [Case(f"a random log #{i + 1}", ([f"t{_rng.randrange(50)}" for _ in range(500)], 1 + 9 * i))
     for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    return ([f"t{rng.randrange(n // 2)}" for _ in range(n)], n // 8)
