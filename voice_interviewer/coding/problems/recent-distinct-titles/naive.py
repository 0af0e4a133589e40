def recent_titles(events: list[str], n: int) -> list[str]:
    row = []  # most recent first
    for title in events:
        if title in row:
            row.remove(title)
        row.insert(0, title)
        if len(row) > n:
            row.pop()
    return row[:max(n, 0)]
