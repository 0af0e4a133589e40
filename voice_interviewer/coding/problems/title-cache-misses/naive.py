def count_misses(requests: list[str], capacity: int) -> int:
    cache = []  # least recently used first
    misses = 0
    for title in requests:
        if title in cache:
            cache.remove(title)
            cache.append(title)
            continue
        misses += 1
        if capacity > 0:
            cache.append(title)
            if len(cache) > capacity:
                cache.pop(0)
    return misses
