def running_medians(ratings: list[int]) -> list[int]:
    medians = []
    for i in range(len(ratings)):
        ordered = sorted(ratings[:i + 1])
        medians.append(ordered[i // 2])
    return medians
