from collections import deque


def window_peaks(viewers: list[int], k: int) -> list[int]:
    if k <= 0 or len(viewers) < k:
        return []
    candidates = deque()  # indices whose values decrease from front to back
    peaks = []
    for i, value in enumerate(viewers):
        while candidates and viewers[candidates[-1]] <= value:
            candidates.pop()
        candidates.append(i)
        if candidates[0] <= i - k:
            candidates.popleft()
        if i >= k - 1:
            peaks.append(viewers[candidates[0]])
    return peaks
