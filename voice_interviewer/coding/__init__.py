"""The live coding round: problems the candidate solves in Python, a sandbox that runs
their code, and a checker that grades it (hidden tests plus a measured scaling test).

One module per concern:
- spec.py: the problem format and its loader (problems/<id>/problem.yaml + reference.py,
  naive.py, cases.py).
- sandbox.py (+ _runner.py, which runs inside the child process): candidate code in a
  separate, resource-limited process with no network.
- checker.py: grades a candidate source string against a problem; checks a problem's own
  integrity (its reference passes, its naive solution fails the scale test).
- commands.py: the `code-check` and `coding` subcommands for the main CLI.
"""
