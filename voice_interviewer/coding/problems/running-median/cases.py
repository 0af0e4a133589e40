import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("odd and even counts", ([5, 1, 9, 3],), [5, 1, 5, 3],
         "After 5 and 1 the lower middle is 1; after 5, 1, 9 it is 5; after all four, sorted 1 3 5 9, it is 3."),
    Case("repeated ratings", ([4, 4, 4],), [4, 4, 4]),
]

_rng = random.Random(89)
HIDDEN = [
    Case("no ratings", ([],), []),
    Case("one rating", ([7],), [7]),
    Case("decreasing ratings", ([9, 8, 7, 6, 5],), [9, 8, 8, 7, 7]),
    Case("negative ratings", ([-3, -1, -2],), [-3, -3, -2]),
    Case("many duplicates", ([2, 1, 2, 1, 2, 1],), [2, 1, 2, 1, 2, 1]),
] + [Case(f"random ratings #{i + 1}", ([_rng.randint(1, 10 ** (i + 1)) for _ in range(200)],)) for i in range(4)]

SCALE = Scale(sizes=(2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    return ([rng.randrange(10**6) for _ in range(n)],)
