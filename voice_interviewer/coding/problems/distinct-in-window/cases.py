import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("old plays leave the window", ([(1, "a"), (2, "b"), (3, "a"), (6, "c")], 3), [1, 2, 2, 1],
         "At time 6 the window covers seconds 4-6, which only holds `c`."),
    Case("repeats count once", ([(0, "x"), (0, "x"), (1, "y")], 10), [1, 1, 2]),
]


def _events(rng, n, titles, step):
    t, out = 0, []
    for _ in range(n):
        t += rng.randrange(step + 1)
        out.append((t, f"t{rng.randrange(titles)}"))
    return out


_rng = random.Random(8)
HIDDEN = [
    Case("an empty stream", ([], 5), []),
    Case("window of 1 second", ([(1, "a"), (1, "b"), (2, "a")], 1), [1, 2, 1]),
    Case("many events in the same second", ([(4, "a")] * 5 + [(4, "b")], 2), [1, 1, 1, 1, 1, 2]),
    Case("a gap longer than the window", ([(0, "a"), (100, "b"), (101, "a")], 10), [1, 1, 2]),
    Case("one event", ([(7, "z")], 3), [1]),
] + [Case(f"a random stream #{i + 1}", (_events(_rng, 300, 25, 3), 5 + 10 * i)) for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    # One event a second, a window holding a quarter of the stream.
    return ([(i, f"t{rng.randrange(n // 3)}") for i in range(n)], n // 4)
