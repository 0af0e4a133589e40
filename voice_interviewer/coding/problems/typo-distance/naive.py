def edit_distance(typed: str, title: str) -> int:
    if not typed:
        return len(title)
    if not title:
        return len(typed)
    if typed[-1] == title[-1]:
        return edit_distance(typed[:-1], title[:-1])
    return 1 + min(edit_distance(typed[:-1], title),
                   edit_distance(typed, title[:-1]),
                   edit_distance(typed[:-1], title[:-1]))
