from collections import defaultdict


def session_counts(events: list[tuple[str, int]], gap: int) -> dict[str, int]:
    times = defaultdict(list)
    for member, timestamp in events:
        times[member].append(timestamp)
    counts = {}
    for member, stamps in times.items():
        stamps.sort()
        counts[member] = 1 + sum(1 for a, b in zip(stamps, stamps[1:]) if b - a > gap)
    return counts
