import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a simple pair", ([95, 130, 45, 50], 140), [0, 2], "95 + 45 = 140; the pair ending earliest wins."),
    Case("no pair fits", ([60, 70], 100), []),
]

_rng = random.Random(17711)
HIDDEN = [
    Case("no titles", ([], 100), []),
    Case("one title", ([100], 100), []),
    Case("the same runtime twice", ([50, 50], 100), [0, 1]),
    Case("a title cannot pair with itself", ([50, 20], 100), []),
    Case("several pairs, earliest second index", ([10, 90, 20, 80], 100), [0, 1]),
    Case("zero-length and negative runtimes", ([0, -5, 5, 0], 0), [1, 2]),
] + [Case(f"random runtimes #{i + 1}", ([_rng.randrange(300) for _ in range(60)], _rng.randrange(400, 600)))
     for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    # Every filler is longer than the flight, so only the last two titles fit together and
    # the naive scan tries every pair first.
    flight = 10**6
    runtimes = [rng.randrange(flight + 1, 2 * flight) for _ in range(n - 2)] + [1, flight - 1]
    return (runtimes, flight)
