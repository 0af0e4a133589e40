from collections import deque


def distinct_in_window(events: list[tuple[int, str]], window: int) -> list[int]:
    inside = deque()   # events still in the window, oldest first
    counts = {}        # title -> plays inside the window
    answer = []
    for timestamp, title in events:
        inside.append((timestamp, title))
        counts[title] = counts.get(title, 0) + 1
        while inside[0][0] <= timestamp - window:
            _, old = inside.popleft()
            counts[old] -= 1
            if counts[old] == 0:
                del counts[old]
        answer.append(len(counts))
    return answer
