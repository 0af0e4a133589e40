from collections import defaultdict


def genre_totals(parent: dict, views: dict) -> dict:
    children = defaultdict(list)
    roots = []
    for genre, up in parent.items():
        if up is None:
            roots.append(genre)
        else:
            children[up].append(genre)
    order = list(roots)  # breadth-first: every genre after its parent
    for genre in order:
        order.extend(children[genre])
    totals = {genre: views.get(genre, 0) for genre in parent}
    for genre in reversed(order):  # children before parents
        up = parent[genre]
        if up is not None:
            totals[up] += totals[genre]
    return totals
