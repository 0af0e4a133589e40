"""`pip install .` must carry every data file the package reads: a file no package-data glob covers
works from the checkout and is missing from an installed wheel (the vendored editor once was)."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_is_in_the_wheel():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    package = ROOT / "voice_interviewer"
    missing = []
    for path in package.rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        covered = False
        for pkg, patterns in globs.items():
            base = ROOT.joinpath(*pkg.split("."))
            if base in path.parents:
                rel = path.relative_to(base).as_posix()
                covered |= any(fnmatch.fnmatch(rel, p) and rel.count("/") == p.count("/") for p in patterns)
        if not covered:
            missing.append(path.relative_to(ROOT).as_posix())
    assert not missing, f"add to [tool.setuptools.package-data] in pyproject.toml: {missing}"
