"""Build the reference dashboards (../shared/reference/presto-changeo) outside the repo, cached.

The reference folder is read-only and ships its React sources without node_modules, so
each version's frontend is copied to a cache directory
(``$XDG_CACHE_HOME/persona-kit/dashboard/<version>-<hash of package-lock.json>``),
``npm ci`` runs there once, and ``vite build`` writes ``dist/`` there, again only when
the sources changed. Nothing of the dashboard is copied into persona_kit's repository.

    python scripts/reference_dashboard.py build latest      # prints the dist folder
    python scripts/reference_dashboard.py prepare persona-phase
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("PERSONA_KIT_REFERENCE", ROOT.parent / "shared" / "reference" / "presto-changeo"))
VERSIONS = ("persona-phase", "latest")
SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts")
SOURCES += ("tsconfig.json", "tsconfig.app.json", "tsconfig.node.json", "eslint.config.js")


class DashboardUnavailableError(RuntimeError):
    """The reference dashboard, Node or npm is missing, or npm failed."""


def cache_root() -> Path:
    """Where prepared copies live (outside the repository)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "persona-kit" / "dashboard"


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            h.update(str(f.relative_to(path.parent)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        msg = "Node and npm are needed to build the dashboard: apt-get install -y nodejs npm"
        raise DashboardUnavailableError(msg)
    return npm


def prepare(version: str) -> Path:
    """A copy of ``version``'s frontend with its node_modules installed (``npm ci``, once per lock file)."""
    source = REFERENCE / version / "frontend"
    if version not in VERSIONS or not (source / "package-lock.json").is_file():
        msg = f"no reference dashboard {version!r} at {source} (versions: {', '.join(VERSIONS)})"
        raise DashboardUnavailableError(msg)
    lock = hashlib.sha256((source / "package-lock.json").read_bytes()).hexdigest()[:12]
    dest = cache_root() / f"{version}-{lock}"
    dest.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:  # refresh the sources; node_modules and dist stay
        src = source / name
        target = dest / name
        if src.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(src, target)
            for path in target.rglob("*"):
                path.chmod(0o755 if path.is_dir() else 0o644)
        elif src.is_file():
            target.unlink(missing_ok=True)
            shutil.copyfile(src, target)
    stamp = dest / "node_modules" / ".persona-kit-lock"
    if not stamp.is_file() or stamp.read_text() != lock:
        run = subprocess.run(
            [_npm(), "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=dest,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise DashboardUnavailableError(f"npm ci failed in {dest}:\n{run.stderr[-3000:]}")
        stamp.write_text(lock)
    return dest


def build(version: str) -> Path:
    """``version``'s production build (``vite build``), rebuilt only when its sources changed."""
    dest = prepare(version)
    key = _digest([dest / name for name in SOURCES if (dest / name).exists()])
    dist, stamp = dest / "dist", dest / ".persona-kit-build"
    if (dist / "index.html").is_file() and stamp.is_file() and stamp.read_text() == key:
        return dist
    vite = dest / "node_modules" / ".bin" / "vite"
    command = [str(vite), "build", "--logLevel", "warn"]
    run = subprocess.run(command, cwd=dest, capture_output=True, text=True, check=False)
    if run.returncode != 0 or not (dist / "index.html").is_file():
        raise DashboardUnavailableError(f"vite build failed in {dest}:\n{(run.stdout + run.stderr)[-3000:]}")
    stamp.write_text(key)
    return dist


def main(argv: list[str]) -> int:
    """``prepare VERSION`` or ``build VERSION``: print the folder."""
    if len(argv) != 2 or argv[0] not in {"prepare", "build"}:
        print(__doc__)
        return 2
    try:
        print(build(argv[1]) if argv[0] == "build" else prepare(argv[1]))
    except DashboardUnavailableError as err:
        print(f"reference_dashboard: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
