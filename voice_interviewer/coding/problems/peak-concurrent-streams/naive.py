def peak_streams(sessions: list[tuple[int, int]]) -> int:
    peak = 0
    for start, end in sessions:
        if end <= start:
            continue
        playing = 0
        for other_start, other_end in sessions:
            if other_start <= start < other_end:
                playing += 1
        peak = max(peak, playing)
    return peak
