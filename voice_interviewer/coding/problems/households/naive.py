def count_households(accounts: list[list[str]]) -> int:
    groups = []  # each household as a set of devices; accounts without devices counted apart
    alone = 0
    for devices in accounts:
        if not devices:
            alone += 1
            continue
        merged = set(devices)
        keep = []
        for group in groups:
            if group & merged:
                merged |= group
            else:
                keep.append(group)
        keep.append(merged)
        groups = keep
    return len(groups) + alone
