def peak_streams(sessions: list[tuple[int, int]]) -> int:
    moments = []
    for start, end in sessions:
        if end > start:
            moments.append((start, 1))
            moments.append((end, -1))
    moments.sort()  # at equal times -1 sorts before +1: an end frees its slot first
    playing = peak = 0
    for _, delta in moments:
        playing += delta
        peak = max(peak, playing)
    return peak
