from collections import defaultdict, deque


def hops(edges: list[tuple[int, int]], start: int, goal: int) -> int:
    if start == goal:
        return 0
    neighbours = defaultdict(list)
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    distance = {start: 0}
    frontier = deque([start])
    while frontier:
        node = frontier.popleft()
        for nxt in neighbours[node]:
            if nxt not in distance:
                distance[nxt] = distance[node] + 1
                if nxt == goal:
                    return distance[nxt]
                frontier.append(nxt)
    return -1
