def longest_rising(ratings: list[int]) -> int:
    ending = []  # ending[i]: the longest rising selection that ends at rating i
    for i, rating in enumerate(ratings):
        best = 1
        for j in range(i):
            if ratings[j] < rating and ending[j] + 1 > best:
                best = ending[j] + 1
        ending.append(best)
    return max(ending, default=0)
