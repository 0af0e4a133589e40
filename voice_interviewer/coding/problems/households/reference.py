def count_households(accounts: list[list[str]]) -> int:
    parent = list(range(len(accounts)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving keeps the trees shallow
            i = parent[i]
        return i

    owner = {}  # device -> first account that used it
    for account, devices in enumerate(accounts):
        for device in devices:
            if device in owner:
                a, b = root(account), root(owner[device])
                if a != b:
                    parent[a] = b
            else:
                owner[device] = account
    return sum(1 for i in range(len(accounts)) if root(i) == i)
