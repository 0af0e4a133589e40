import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a short chain and a shortcut", ([(1, 2), (2, 3), (3, 4), (1, 3)], 1, 4), 2, "1 -> 3 -> 4."),
    Case("no connection", ([(1, 2), (3, 4)], 1, 4), -1),
]

_rng = random.Random(233)


def _graph(rng, n, extra):
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(extra)]
    return edges


HIDDEN = [
    Case("no links and start equals goal", ([], 5, 5), 0),
    Case("no links at all", ([], 1, 2), -1),
    Case("repeated links", ([(1, 2), (2, 1), (1, 2)], 1, 2), 1),
    Case("a self-loop", ([(1, 1), (1, 2)], 2, 1), 1),
    Case("a goal that appears in no link", ([(1, 2)], 1, 9), -1),
    Case("a long chain", ([(i, i + 1) for i in range(50)], 50, 0), 50),
] + [Case(f"a random graph #{i + 1}", (_graph(_rng, 60, 50 + 10 * i), 0, 1 + i)) for i in range(4)]

SCALE = Scale(sizes=(2_000, 8_000, 32_000, 128_000), budget_s=2.0)


def scale_input(n, rng):
    # A long chain with relabelled profiles, edges shuffled, plus short detours: the
    # shortest path is about n/2 links, which costs the relaxation approach n/2 rounds.
    label = list(range(n))
    rng.shuffle(label)
    edges = [(label[i], label[i + 1]) for i in range(n - 1)]
    edges += [(label[i], label[i + 2]) for i in range(0, n - 2, 2)]
    rng.shuffle(edges)
    return (edges, label[0], label[-1])
