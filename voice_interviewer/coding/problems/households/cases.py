import random

from voice_interviewer.coding.spec import Case, Scale

EXAMPLES = [
    Case("a chain of shared devices", ([["tv"], ["tv", "phone"], ["phone"], ["laptop"]],), 2,
         "Accounts 0, 1 and 2 chain through `tv` and `phone`; account 3 is alone."),
    Case("nothing shared", ([["a"], ["b"], ["c"]],), 3),
]

_rng = random.Random(377)
HIDDEN = [
    Case("no accounts", ([],), 0),
    Case("accounts without devices", ([[], [], ["a"]],), 3),
    Case("one device used by everyone", ([["d"]] * 6,), 1),
    Case("a device listed twice on one account", ([["a", "a"], ["b"]],), 2),
    Case("a late account joining two households", ([["a"], ["b"], ["a", "b"]],), 1),
] + [Case(f"random accounts #{i + 1}",
          ([[f"d{_rng.randrange(60 + 40 * i)}" for _ in range(_rng.randrange(3))] for _ in range(80)],))
     for i in range(4)]

SCALE = Scale(sizes=(4_000, 16_000, 64_000, 256_000), budget_s=2.0)


def scale_input(n, rng):
    # Sparse sharing: most households stay small, so there are many of them to scan.
    return ([[f"d{rng.randrange(4 * n)}" for _ in range(2)] for _ in range(n)],)
