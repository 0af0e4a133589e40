from bisect import bisect_right


def best_promo_value(slots: list[tuple[int, int, int]]) -> int:
    ordered = sorted(slots, key=lambda s: s[1])
    ends = [end for _, end, _ in ordered]
    best = [0] * (len(ordered) + 1)  # best[i]: the best total using the first i slots by end
    for i, (start, _, value) in enumerate(ordered):
        compatible = bisect_right(ends, start, 0, i)  # slots ending at or before this start
        best[i + 1] = max(best[i], best[compatible] + value)
    return best[-1]
