def count_periods(changes: list[int], k: int) -> int:
    found = 0
    for start in range(len(changes)):
        total = 0
        for end in range(start, len(changes)):
            total += changes[end]
            if total == k:
                found += 1
    return found
