def merge_rankings(lists: list[list[tuple[int, str]]], m: int) -> list[str]:
    positions = [0] * len(lists)
    merged = []
    while len(merged) < m:
        best = None
        for i, ranked in enumerate(lists):
            if positions[i] < len(ranked):
                score, title = ranked[positions[i]]
                if best is None or (-score, title) < best[0]:
                    best = ((-score, title), i)
        if best is None:
            break
        merged.append(best[0][1])
        positions[best[1]] += 1
    return merged
