from collections import deque


def longest_chain(n: int, links: list[tuple[int, int]]) -> int:
    neighbours = [[] for _ in range(n)]
    for a, b in links:
        neighbours[a].append(b)
        neighbours[b].append(a)
    best = 0
    for start in range(n):  # a full BFS from every title
        distance = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in neighbours[node]:
                if nxt not in distance:
                    distance[nxt] = distance[node] + 1
                    best = max(best, distance[nxt])
                    queue.append(nxt)
    return best
