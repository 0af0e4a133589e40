import heapq


def merge_rankings(lists: list[list[tuple[int, str]]], m: int) -> list[str]:
    heads = [(-ranked[0][0], ranked[0][1], i, 0) for i, ranked in enumerate(lists) if ranked]
    heapq.heapify(heads)
    merged = []
    while heads and len(merged) < m:
        _, title, which, position = heapq.heappop(heads)
        merged.append(title)
        ranked = lists[which]
        if position + 1 < len(ranked):
            score, following = ranked[position + 1]
            heapq.heappush(heads, (-score, following, which, position + 1))
    return merged
