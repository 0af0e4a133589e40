"""The sandbox contains each kind of misbehaviour and says what happened in plain words."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from voice_interviewer.coding import sandbox

FAST = sandbox.SandboxLimits(case_budget_s=1.0)

# name -> (source defining f(x), expected kind, words the message must contain)
CASES = {
    "infinite loop": ("def f(x):\n    while True:\n        pass\n", "timeout", "1 s time limit"),
    "loop inside C code": ("def f(x):\n    return sum(range(10**13))\n", "timeout", "time limit"),
    "fork bomb": ("import os\ndef f(x):\n    while True:\n        os.fork()\n", "process_limit", "os.fork"),
    "subprocess": ("import subprocess\ndef f(x):\n    return subprocess.run(['ls'])\n", "shell", "no other programs"),
    "memory bomb": ("def f(x):\n    return bytearray(1 << 34)\n", "memory", "out of memory"),
    "os.system cat /etc/passwd": ("import os\ndef f(x):\n    return os.system('cat /etc/passwd')\n", "shell",
                                  "cat /etc/passwd"),
    "read /etc/passwd": ("def f(x):\n    return open('/etc/passwd').read()\n", "file_access",
                         "tried to read /etc/passwd outside its folder"),
    "read at import time, error swallowed": (
        "try:\n    open('/etc/hostname').read()\nexcept Exception:\n    pass\ndef f(x):\n    return x\n",
        "file_access", "/etc/hostname"),
    "list a folder outside": ("import os\ndef f(x):\n    return os.listdir('/')\n", "file_access", "outside"),
    "write outside": ("def f(x):\n    open('/tmp/pwned.txt', 'w').write('x')\n", "file_access", "tried to write"),
    "network": ("import socket\ndef f(x):\n    socket.create_connection(('1.1.1.1', 80), timeout=1)\n",
                "network", "network"),
    "ctypes": ("import ctypes\ndef f(x):\n    return ctypes.CDLL(None).getpid()\n", "shell", "ctypes"),
    "huge print": ("def f(x):\n    for _ in range(200_000):\n        print('spam' * 50)\n    return x\n",
                   "output_truncated", "only the first 10,000"),
    "syntax error": ("def f(x)\n    return x\n", "syntax_error", "line 1"),
    "exception in the function": ("def f(x):\n    return [][x]\n", "exception", "IndexError"),
    "deep recursion": ("def f(x):\n    return f(x + 1)\n", "recursion", "recursed too deeply"),
    "missing function": ("def g(x):\n    return x\n", "missing_function", "does not define f"),
    "sys.exit": ("import sys\ndef f(x):\n    sys.exit(3)\n", "exception", "SystemExit"),
}


@pytest.fixture(scope="module")
def outcomes():
    def one(item):
        name, (source, _, _) = item
        return name, sandbox.run(sandbox.Job(source, "f", cases=((1,),)), FAST)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, CASES.items()))


@pytest.mark.parametrize("name", list(CASES))
def test_containment_is_reported_plainly(outcomes, name):
    _, kind, words = CASES[name]
    result = outcomes[name]
    assert result.kind == kind, (name, result.kind, result.message)
    assert words in result.message, result.message


def test_nothing_escaped():
    import os

    assert not os.path.exists("/tmp/pwned.txt")


def test_good_code_runs_with_values_and_times():
    result = sandbox.run(sandbox.Job("def f(a, b):\n    return (a + b, {b: [a]})\n", "f", cases=((1, 2), (3, 4))))
    assert result.kind == "ok"
    assert [c["value"] for c in result.cases] == [[3, {"__dict__": [[2, [1]]]}], [7, {"__dict__": [[4, [3]]]}]]
    assert result.lockdown["network"]


def test_a_timeout_names_the_test_and_keeps_earlier_results():
    source = "def f(x):\n    while x:\n        pass\n    return 0\n"
    result = sandbox.run(sandbox.Job(source, "f", cases=((0,), (1,), (0,))), FAST)
    assert result.kind == "timeout" and "on test 2" in result.message
    assert result.cases[0]["status"] == "ok" and len(result.cases) == 2


def test_wall_clock_kills_a_sleeping_process_group():
    result = sandbox.run(sandbox.Job("import time\ndef f(x):\n    time.sleep(60)\n", "f", cases=((1,),)),
                         sandbox.SandboxLimits(case_budget_s=1.0, wall_s=1.5))
    assert result.kind == "timeout" and "on test 1" in result.message


def test_network_namespace_when_root():
    import os

    result = sandbox.run(sandbox.Job("def f(x):\n    return x\n", "f", cases=((1,),)))
    if os.getuid() == 0:
        assert result.lockdown == {"network": "private namespace", "user": "nobody"}
