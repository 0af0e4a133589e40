import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a re-watch moves a title to the front", (["dark", "crown", "dark", "ozark"], 2), ["ozark", "dark"],
         "`dark` was watched twice; its second viewing is more recent than `crown`."),
    Case("fewer distinct titles than n", (["a", "b", "a"], 5), ["a", "b"]),
]


def _stream(rng, length, titles):
    return [f"t{rng.randrange(titles)}" for _ in range(length)]


_rng = random.Random(11)
HIDDEN = [
    Case("an empty stream", ([], 3), []),
    Case("n = 0", (["a", "b"], 0), []),
    Case("one title watched many times", (["x"] * 50, 3), ["x"]),
    Case("every title distinct", ([f"t{i}" for i in range(10)], 3), ["t9", "t8", "t7"]),
    Case("a title re-watched after being pushed out", (["a", "b", "c", "a"], 2), ["a", "c"]),
    Case("n = 1", (["a", "b", "b", "c", "b"], 1), ["b"]),
] + [Case(f"a random stream #{i + 1}", (_stream(_rng, 300, 40), 1 + 7 * i)) for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    # Many distinct titles and a long row: the naive list search costs O(n) per event.
    return (_stream(rng, n, n // 2), n // 4)
