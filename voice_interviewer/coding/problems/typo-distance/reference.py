def edit_distance(typed: str, title: str) -> int:
    previous = list(range(len(title) + 1))  # distances from the empty prefix of typed
    for i, a in enumerate(typed, 1):
        current = [i]
        for j, b in enumerate(title, 1):
            current.append(min(previous[j] + 1,                 # delete a
                               current[j - 1] + 1,              # insert b
                               previous[j - 1] + (a != b)))     # keep or replace
        previous = current
    return previous[-1]
