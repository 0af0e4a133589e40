import heapq
from collections import Counter


def top_titles(events: list[str], k: int) -> list[str]:
    if k <= 0:
        return []
    counts = Counter(events)
    best = heapq.nsmallest(k, counts.items(), key=lambda item: (-item[1], item[0]))
    return [title for title, _ in best]
