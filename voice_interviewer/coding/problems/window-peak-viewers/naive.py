def window_peaks(viewers: list[int], k: int) -> list[int]:
    if k <= 0 or len(viewers) < k:
        return []
    peaks = []
    for start in range(len(viewers) - k + 1):
        best = viewers[start]
        for value in viewers[start:start + k]:
            if value > best:
                best = value
        peaks.append(best)
    return peaks
