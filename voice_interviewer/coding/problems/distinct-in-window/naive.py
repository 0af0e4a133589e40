def distinct_in_window(events: list[tuple[int, str]], window: int) -> list[int]:
    answer = []
    for i, (timestamp, _) in enumerate(events):
        seen = set()
        j = i
        while j >= 0 and events[j][0] > timestamp - window:
            seen.add(events[j][1])
            j -= 1
        answer.append(len(seen))
    return answer
