def hops(edges: list[tuple[int, int]], start: int, goal: int) -> int:
    distance = {start: 0}
    changed = True
    while changed:  # Bellman-Ford style: as many rounds as the longest shortest path
        changed = False
        for a, b in edges:
            for u, v in ((a, b), (b, a)):
                if u in distance and (v not in distance or distance[u] + 1 < distance[v]):
                    distance[v] = distance[u] + 1
                    changed = True
    return distance.get(goal, -1)
