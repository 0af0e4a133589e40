from collections import deque


def longest_chain(n: int, links: list[tuple[int, int]]) -> int:
    if n <= 1:
        return 0
    neighbours = [[] for _ in range(n)]
    for a, b in links:
        neighbours[a].append(b)
        neighbours[b].append(a)

    def farthest(start):
        distance = [-1] * n
        distance[start] = 0
        queue, last = deque([start]), start
        while queue:
            node = queue.popleft()
            last = node
            for nxt in neighbours[node]:
                if distance[nxt] < 0:
                    distance[nxt] = distance[node] + 1
                    queue.append(nxt)
        return last, distance[last]

    end, _ = farthest(0)
    return farthest(end)[1]
