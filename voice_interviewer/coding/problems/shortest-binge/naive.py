def shortest_binge(minutes: list[int], target: int) -> int:
    best = 0
    for start in range(len(minutes)):
        total = 0
        for end in range(start, len(minutes)):
            total += minutes[end]
            if total >= target:
                if best == 0 or end - start + 1 < best:
                    best = end - start + 1
                break
    return best
