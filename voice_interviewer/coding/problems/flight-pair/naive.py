def flight_pair(runtimes: list[int], flight: int) -> list[int]:
    for j in range(len(runtimes)):
        for i in range(j):
            if runtimes[i] + runtimes[j] == flight:
                return [i, j]
    return []
