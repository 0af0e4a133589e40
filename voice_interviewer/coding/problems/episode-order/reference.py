import heapq


def viewing_order(n: int, before: list[tuple[int, int]]) -> list[int]:
    unlocks = [[] for _ in range(n)]
    waiting = [0] * n  # unmet prerequisites per episode
    for a, b in before:
        unlocks[a].append(b)
        waiting[b] += 1
    ready = [e for e in range(n) if waiting[e] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        episode = heapq.heappop(ready)
        order.append(episode)
        for nxt in unlocks[episode]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, nxt)
    return order if len(order) == n else []
