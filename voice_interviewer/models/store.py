"""Finding, assembling and verifying models, offline.

Resolution order for each model in the package's models/manifest.yaml:
  1. an explicit path (command-line flag or VOICE_INTERVIEWER_MODEL_<NAME>);
  2. the pip packages that ship it, assembled once into the cache folder
     (split files joined, the rest linked) and verified by sha256.
Nothing is ever downloaded from a model hub.
A manifest model is never used before its sha256 matches. The hash is taken
once; a stamp beside the model remembers it, keyed on size and mtime.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from voice_interviewer.errors import ModelError
from voice_interviewer.paths import MODEL_MANIFEST, cache_dir

STAMP = ".verified.json"
_CHUNK = 8 << 20


@dataclass(frozen=True)
class ModelSpec:
    name: str
    role: str
    kind: str
    license: str
    packages: tuple[str, ...]
    files: tuple[dict, ...]
    check: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ModelStatus:
    spec: ModelSpec
    path: Path | None  # folder holding the model's files
    origin: str  # "explicit" | "cache" | "package (not assembled)" | "missing"
    verified: bool
    problem: str = ""


def load_manifest(path: Path = MODEL_MANIFEST) -> dict[str, ModelSpec]:
    raw = yaml.safe_load(path.read_text())
    specs = {}
    for m in raw["models"]:
        m = dict(m)
        m["packages"] = tuple(m["packages"])
        m["files"] = tuple(m["files"])
        specs[m["name"]] = ModelSpec(**m)
    return specs


def spec(name: str) -> ModelSpec:
    specs = load_manifest()
    if name not in specs:
        raise ModelError(f"Unknown model '{name}'", f"known models: {', '.join(specs)}")
    return specs[name]


# --- hashing and stamps ---------------------------------------------------------
def sha256_file(path: Path, progress: bool = False) -> str:
    h = hashlib.sha256()
    bar = _bar(path.stat().st_size, f"verifying {path.name}", progress)
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            h.update(block)
            bar.update(len(block))
    bar.close()
    return h.hexdigest()


def _stamp_key(path: Path) -> dict:
    st = path.stat()  # follows links: the stamp is about the real bytes
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def is_verified(folder: Path, s: ModelSpec, progress: bool = False, hash_now: bool = True) -> bool:
    target = folder / s.check
    if not target.exists():
        return False
    stamp = folder / STAMP
    key = _stamp_key(target)
    if stamp.exists():
        try:
            saved = json.loads(stamp.read_text())
            if saved.get("sha256") == s.sha256 and saved.get("key") == key:
                return True
        except (OSError, ValueError):
            pass
    if not hash_now or key["size"] != s.size:
        return False
    if sha256_file(target, progress) != s.sha256:
        return False
    try:
        stamp.write_text(json.dumps({"sha256": s.sha256, "key": key}))
    except OSError:
        pass  # a read-only models folder: we simply hash again next time
    return True


# --- where a model can come from -------------------------------------------------
def _package_dir(module: str) -> Path | None:
    found = importlib.util.find_spec(module)
    if found is None or not found.submodule_search_locations:
        return None
    return Path(list(found.submodule_search_locations)[0])


def _package_file(ref: str) -> Path | None:
    module, _, rest = ref.partition("/")
    base = _package_dir(module)
    return base / rest if base and (base / rest).exists() else None


def _sources(entry: dict) -> list[str]:
    if "from" in entry:
        return [entry["from"]]
    if "join" in entry:
        return list(entry["join"])
    j = entry["join_numbered"]
    return [f"{j['package'].format(n=n)}/{j['file'].format(n=n)}" for n in range(1, j["count"] + 1)]


def missing_package_files(s: ModelSpec) -> list[str]:
    return [ref for e in s.files for ref in _sources(e) if _package_file(ref) is None]


def cache_folder(s: ModelSpec) -> Path:
    return cache_dir() / "models" / s.name


def status(name: str, explicit: str | Path | None = None, hash_now: bool = False) -> ModelStatus:
    """Where a model would come from, without assembling anything."""
    s = spec(name)
    explicit = explicit or os.environ.get(f"VOICE_INTERVIEWER_MODEL_{name.upper().replace('-', '_').replace('.', '_')}")
    if explicit:
        p = Path(explicit).expanduser()
        folder = p if p.is_dir() else p.parent
        if not p.exists():
            return ModelStatus(s, None, "explicit", False, f"{p} does not exist")
        return ModelStatus(s, folder, "explicit", is_verified(folder, s, hash_now=hash_now))
    folder = cache_folder(s)
    if (folder / s.check).exists():
        ok = is_verified(folder, s, hash_now=hash_now)
        return ModelStatus(s, folder, "cache", ok, "" if ok else "checksum not verified yet")
    missing = missing_package_files(s)
    if not missing:
        return ModelStatus(s, None, "package (not assembled)", False, "run `voice-interviewer models --prepare`")
    pkgs = " ".join(s.packages)
    return ModelStatus(s, None, "missing", False, f"install the packages: pip install --no-deps {pkgs}")


def resolve(name: str, explicit: str | Path | None = None, progress: bool = True) -> Path:
    """The verified folder of a model, assembling it from its packages on first use."""
    st = status(name, explicit)
    s = st.spec
    if st.origin == "explicit":
        if st.path is None:
            raise ModelError(f"Model path for {name} not found: {st.problem}", "check the path you gave")
        return st.path  # the user's own file: used as given (reported as unverified)
    if st.path is not None:
        if is_verified(st.path, s, progress=progress):
            return st.path
        raise ModelError(
            f"{name} at {st.path} does not match its sha256 in the model manifest",
            f"delete {st.path} and run `voice-interviewer models --prepare` to rebuild it",
        )
    if st.origin.startswith("package"):
        return assemble(s, progress=progress)
    raise ModelError(f"Model {name} ({s.role}) is not installed", st.problem)


def assemble(s: ModelSpec, progress: bool = True) -> Path:
    """Join split parts and link whole files into the cache folder, then verify."""
    folder = cache_folder(s)
    tmp = folder.with_name(folder.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for entry in s.files:
        refs = _sources(entry)
        paths = [_package_file(r) for r in refs]
        if any(p is None for p in paths):
            raise ModelError(f"Parts of {s.name} are missing", f"pip install --no-deps {' '.join(s.packages)}")
        dest = tmp / entry["path"]
        if len(paths) == 1:
            _link_or_copy(paths[0], dest)
        else:
            _join(paths, dest, progress)
    if not is_verified(tmp, s, progress=progress):
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelError(
            f"{s.name} assembled from its packages does not match its sha256",
            f"reinstall them: pip install --force-reinstall --no-deps {' '.join(s.packages)}",
        )
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        dest.symlink_to(src)
    except OSError:  # e.g. Windows without developer mode
        shutil.copy2(src, dest)


def _join(parts: list[Path], dest: Path, progress: bool) -> None:
    bar = _bar(sum(p.stat().st_size for p in parts), f"assembling {dest.name}", progress)
    with open(dest, "wb") as out:
        for p in parts:
            with open(p, "rb") as f:
                while block := f.read(_CHUNK):
                    out.write(block)
                    bar.update(len(block))
    bar.close()



def _bar(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, disable=not enabled, leave=False)
