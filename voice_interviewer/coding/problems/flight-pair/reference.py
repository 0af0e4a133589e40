def flight_pair(runtimes: list[int], flight: int) -> list[int]:
    first = {}  # runtime -> smallest index seen with it
    for j, runtime in enumerate(runtimes):
        partner = first.get(flight - runtime)
        if partner is not None:
            return [partner, j]
        first.setdefault(runtime, j)
    return []
