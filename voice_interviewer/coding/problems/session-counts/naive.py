def session_counts(events: list[tuple[str, int]], gap: int) -> dict[str, int]:
    counts = {}
    for i, (member, timestamp) in enumerate(events):
        counts.setdefault(member, 0)
        # This heartbeat starts a session unless an earlier-or-equal one of the same member
        # lies within the gap (equal times: only the first of them can start a session).
        starts = True
        for j, (other, when) in enumerate(events):
            if other == member and (timestamp - gap <= when < timestamp or (when == timestamp and j < i)):
                starts = False
                break
        counts[member] += starts
    return counts
