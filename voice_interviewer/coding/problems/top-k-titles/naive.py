def top_titles(events: list[str], k: int) -> list[str]:
    counts = {}
    for title in events:
        counts[title] = counts.get(title, 0) + 1
    remaining = dict(counts)
    result = []
    for _ in range(max(k, 0)):
        if not remaining:
            break
        best = None
        for title, count in remaining.items():
            if best is None or count > remaining[best] or (count == remaining[best] and title < best):
                best = title
        result.append(best)
        del remaining[best]
    return result
