from bisect import bisect_left


def longest_rising(ratings: list[int]) -> int:
    tails = []  # tails[L]: smallest last rating of a rising selection of length L + 1
    for rating in ratings:
        slot = bisect_left(tails, rating)
        if slot == len(tails):
            tails.append(rating)
        else:
            tails[slot] = rating
    return len(tails)
