def genre_totals(parent: dict, views: dict) -> dict:
    totals = {genre: 0 for genre in parent}
    for genre in parent:
        amount = views.get(genre, 0)
        node = genre
        while node is not None:  # credit every ancestor, one step at a time
            totals[node] += amount
            node = parent[node]
    return totals
