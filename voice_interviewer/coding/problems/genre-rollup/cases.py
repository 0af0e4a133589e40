import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a small tree", ({"drama": None, "crime": "drama", "heist": "crime", "comedy": None},
                          {"drama": 1, "crime": 2, "heist": 5, "comedy": 4}),
         {"drama": 8, "crime": 7, "heist": 5, "comedy": 4}),
    Case("genres without views", ({"a": None, "b": "a"}, {"b": 3}), {"a": 3, "b": 3}),
]


def _tree(rng, n):
    parent = {"g0": None}
    for i in range(1, n):
        parent[f"g{i}"] = f"g{rng.randrange(i)}" if rng.random() > 0.1 else None
    return parent


_rng = random.Random(987)
HIDDEN = [
    Case("no genres", ({}, {}), {}),
    Case("one genre", ({"solo": None}, {"solo": 9}), {"solo": 9}),
    Case("no views at all", ({"a": None, "b": "a"}, {}), {"a": 0, "b": 0}),
    Case("a deep chain (recursion would overflow)",
         ({f"g{i}": (f"g{i - 1}" if i else None) for i in range(3000)}, {"g2999": 1}),
         {f"g{i}": 1 for i in range(3000)}),
    Case("many top-level genres", ({"a": None, "b": None, "c": None}, {"a": 1, "b": 2, "c": 3}),
         {"a": 1, "b": 2, "c": 3}),
] + [Case(f"a random forest #{i + 1}",
          (_tree(_rng, 60), {f"g{_rng.randrange(60)}": _rng.randrange(50) for _ in range(40)}))
     for i in range(4)]

SCALE = Scale(sizes=(2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    # A long spine with leaves hanging off it: depth about n/2.
    spine = n // 2
    parent = {f"g{i}": (f"g{i - 1}" if i else None) for i in range(spine)}
    for i in range(spine, n):
        parent[f"g{i}"] = f"g{rng.randrange(spine)}"
    views = {f"g{i}": rng.randrange(100) for i in range(0, n, 3)}
    return (parent, views)
