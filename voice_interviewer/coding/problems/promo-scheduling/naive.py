def best_promo_value(slots: list[tuple[int, int, int]]) -> int:
    ordered = sorted(slots, key=lambda s: s[1])
    best = [0] * (len(ordered) + 1)
    for i, (start, _, value) in enumerate(ordered):
        compatible = 0
        for j in range(i):  # linear scan for the last slot that ends in time
            if ordered[j][1] <= start:
                compatible = j + 1
        best[i + 1] = max(best[i], best[compatible] + value)
    return best[-1]
