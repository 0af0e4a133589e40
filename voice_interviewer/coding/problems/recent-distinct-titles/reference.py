from collections import OrderedDict


def recent_titles(events: list[str], n: int) -> list[str]:
    if n <= 0:
        return []
    row = OrderedDict()  # title -> None, least recent first
    for title in events:
        if title in row:
            row.move_to_end(title)
        else:
            row[title] = None
            if len(row) > n:
                row.popitem(last=False)
    return list(reversed(row))
