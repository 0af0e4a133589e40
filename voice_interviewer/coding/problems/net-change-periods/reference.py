def count_periods(changes: list[int], k: int) -> int:
    seen = {0: 1}  # running total -> how many prefixes reached it (the empty prefix counts)
    total = found = 0
    for change in changes:
        total += change
        found += seen.get(total - k, 0)
        seen[total] = seen.get(total, 0) + 1
    return found
