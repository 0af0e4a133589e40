def shortest_binge(minutes: list[int], target: int) -> int:
    best = 0
    total = left = 0
    for right, value in enumerate(minutes):
        total += value
        while total >= target:
            length = right - left + 1
            if best == 0 or length < best:
                best = length
            total -= minutes[left]
            left += 1
    return best
