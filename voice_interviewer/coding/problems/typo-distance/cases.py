import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a missing letter and a swap", ("stanger thngs", "stranger things"), 2),
    Case("one replacement", ("dune", "june"), 1),
]

_rng = random.Random(6765)


def _word(rng, n):
    return "".join(rng.choice("abcde") for _ in range(n))


HIDDEN = [
    Case("both empty", ("", ""), 0),
    Case("typed empty", ("", "ozark"), 5),
    Case("title empty", ("abc", ""), 3),
    Case("identical strings", ("narcos", "narcos"), 0),
    Case("nothing in common", ("abc", "xyz"), 3),
    Case("a doubled letter", ("mindhhunter", "mindhunter"), 1),
] + [Case(f"random words #{i + 1}", (_word(_rng, 4 + i), _word(_rng, 6 - i))) for i in range(4)]

SCALE = Scale(sizes=(100, 200, 400, 800), budget_s=2.0)


def scale_input(n, rng):
    return (_word(rng, n), _word(rng, n))
