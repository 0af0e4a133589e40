from collections import OrderedDict


def count_misses(requests: list[str], capacity: int) -> int:
    cache = OrderedDict()
    misses = 0
    for title in requests:
        if title in cache:
            cache.move_to_end(title)
            continue
        misses += 1
        if capacity <= 0:
            continue
        cache[title] = True
        if len(cache) > capacity:
            cache.popitem(last=False)
    return misses
