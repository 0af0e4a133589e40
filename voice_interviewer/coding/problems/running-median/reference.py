import heapq


def running_medians(ratings: list[int]) -> list[int]:
    lower, upper = [], []  # lower is a max-heap (negated), holding the extra element when odd
    medians = []
    for rating in ratings:
        if lower and rating > -lower[0]:
            heapq.heappush(upper, rating)
        else:
            heapq.heappush(lower, -rating)
        if len(lower) > len(upper) + 1:
            heapq.heappush(upper, -heapq.heappop(lower))
        elif len(upper) > len(lower):
            heapq.heappush(lower, -heapq.heappop(upper))
        medians.append(-lower[0])
    return medians
