def viewing_order(n: int, before: list[tuple[int, int]]) -> list[int]:
    unlocks = [[] for _ in range(n)]
    waiting = [0] * n
    for a, b in before:
        unlocks[a].append(b)
        waiting[b] += 1
    done = [False] * n
    order = []
    for _ in range(n):
        pick = -1
        for e in range(n):  # the smallest ready episode, by scanning them all
            if not done[e] and waiting[e] == 0:
                pick = e
                break
        if pick < 0:
            return []
        done[pick] = True
        order.append(pick)
        for nxt in unlocks[pick]:
            waiting[nxt] -= 1
    return order
