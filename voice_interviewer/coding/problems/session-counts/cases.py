import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("two members, out of order", ([("ann", 100), ("bo", 5), ("ann", 0), ("ann", 20)], 30),
         {"ann": 2, "bo": 1}, "Sorted, ann's times are 0, 20, 100: the jump from 20 to 100 exceeds 30."),
    Case("a gap exactly equal to the threshold", ([("x", 0), ("x", 10)], 10), {"x": 1}),
]

_rng = random.Random(21)
HIDDEN = [
    Case("no heartbeats", ([], 30), {}),
    Case("duplicate heartbeats", ([("a", 5), ("a", 5), ("a", 5)], 0), {"a": 1}),
    Case("gap of zero", ([("a", 1), ("a", 2), ("a", 2)], 0), {"a": 2}),
    Case("one heartbeat per member", ([("a", 1), ("b", 1), ("c", 1)], 10), {"a": 1, "b": 1, "c": 1}),
    Case("reverse time order", ([("m", t) for t in range(100, 0, -10)], 5), {"m": 10}),
] + [Case(f"random heartbeats #{i + 1}",
          ([(f"m{_rng.randrange(8)}", _rng.randrange(2000)) for _ in range(300)], 10 + 20 * i))
     for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    return ([(f"m{rng.randrange(max(1, n // 20))}", rng.randrange(50 * n)) for _ in range(n)], 300)
