"""Type-check persona_kit's outbound messages against each reference dashboard's own TypeScript types.

For every dashboard version (one file of wire shapes per version in
scripts/dashboard_wire/, mirroring what that version's App.tsx reads):

1. copy its frontend (package.json, package-lock.json, tsconfig*.json, src/) to
   a cache outside the repo, ``$XDG_CACHE_HOME/persona-kit/dashboard/<version>-<lock hash>``;
2. ``npm ci --no-audit --no-fund`` there, once per lock file;
3. write ``src/persona_kit_messages.ts``: every message of
   scripts/dashboard_messages.py as a ``const ... satisfies <the type the dashboard reads>``,
   and ``src/persona_kit_canary.ts``: real messages broken on purpose, each of
   which must fail (so a harness that checks nothing cannot pass);
4. ``npx tsc --noEmit -p tsconfig.app.json`` with the dashboard's own tsconfig
   (plus ``--incremental``, which reuses the build info that tsconfig names: a
   second run with nothing changed takes half the time).

Exit 0 when every message type-checks, 1 when some do not (0 with
PERSONA_KIT_TYPECHECK_STRICT=0: report only), 2 when the harness itself is
broken (a canary passed, npm or tsc failed, the dashboard's own code fails).
Without the reference folder it skips, except under CI (CI=true), where it fails.

    python scripts/typecheck_dashboard.py [--version latest] [--reference DIR]
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_messages import Sample, dashboard_messages
from dashboard_ts import WIRE_FILE, Canary, Finding, canaries, error_path, generate_ts, grouped, parse_tsc

ROOT = Path(__file__).resolve().parents[1]
WIRE_DIR = Path(__file__).resolve().parent / "dashboard_wire"
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "presto-changeo"
FRONTEND_FILES = ("package.json", "package-lock.json")
MESSAGES_FILE = "persona_kit_messages.ts"
CANARY_FILE = "persona_kit_canary.ts"
LOCK_STAMP = ".persona-kit-lock-sha256"
TSC = ["npx", "--no-install", "tsc", "--noEmit", "-p", "tsconfig.app.json", "--pretty", "false", "--incremental"]
"""The dashboard's own tsconfig; --incremental only reuses its tsBuildInfoFile (under node_modules/.tmp)."""


# --- one dashboard version ---------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened for one version."""

    version: str
    messages: int = 0
    findings: list[Finding] = field(default_factory=list)
    uncaught_canaries: list[str] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)
    harness_error: str | None = None
    installed: bool = False
    seconds: float = 0.0
    source: Path | None = None


def cache_root() -> Path:
    """Where dashboard copies live: ``$PERSONA_KIT_DASHBOARD_CACHE`` or ``$XDG_CACHE_HOME/persona-kit/dashboard``."""
    explicit = os.environ.get("PERSONA_KIT_DASHBOARD_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "persona-kit" / "dashboard"


def lock_hash(frontend: Path) -> str:
    """sha256 of the version's package-lock.json: a new lock gets a fresh copy and a fresh ``npm ci``."""
    return hashlib.sha256((frontend / "package-lock.json").read_bytes()).hexdigest()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (two worktrees checking at once share one cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sync_frontend(frontend: Path, work: Path) -> None:
    """Copy the files tsc needs; src/ is replaced whole so nothing stale stays."""
    work.mkdir(parents=True, exist_ok=True)
    for name in (*FRONTEND_FILES, *(p.name for p in frontend.glob("tsconfig*.json"))):
        shutil.copyfile(frontend / name, work / name)
    shutil.rmtree(work / "src", ignore_errors=True)
    shutil.copytree(frontend / "src", work / "src")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_UPDATE_NOTIFIER": "1", "npm_config_update_notifier": "false"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def ensure_installed(work: Path, digest: str) -> bool:
    """``npm ci`` unless node_modules was installed from this very lock; True when it ran."""
    stamp = work / "node_modules" / LOCK_STAMP
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return False
    done = _run(["npm", "ci", "--no-audit", "--no-fund"], work)
    if done.returncode != 0:
        msg = f"npm ci failed in {work} (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        raise RuntimeError(msg)
    stamp.write_text(digest + "\n")
    return True


def check_version(version: str, frontend: Path, samples: Sequence[Sample], broken: Sequence[Canary]) -> Outcome:
    """Copy, install, generate and type-check one dashboard version: ``samples`` must pass, ``broken`` must not."""
    started = time.monotonic()
    outcome = Outcome(version, messages=len(samples))
    digest = lock_hash(frontend)
    work = cache_root() / f"{version}-{digest[:16]}"
    wire = (WIRE_DIR / f"{version}.ts").read_text(encoding="utf-8")
    header = f"persona_kit's outbound messages, typed as the {version} dashboard reads them."
    messages = generate_ts(samples, header=header)
    canary = generate_ts([c.sample for c in broken], header="Real messages broken on purpose: each must fail.")
    try:
        with locked(work.with_name(work.name + ".lock")):
            sync_frontend(frontend, work)
            outcome.installed = ensure_installed(work, digest)
            src = work / "src"
            (src / WIRE_FILE).write_text(wire, encoding="utf-8")
            (src / MESSAGES_FILE).write_text(messages.text, encoding="utf-8")
            (src / CANARY_FILE).write_text(canary.text, encoding="utf-8")
            outcome.source = src / MESSAGES_FILE
            done = _run(TSC, work)
    except (OSError, RuntimeError) as err:
        outcome.harness_error = str(err)
        outcome.seconds = time.monotonic() - started
        return outcome
    diagnostics = parse_tsc(done.stdout + done.stderr)
    if done.returncode not in (0, 1, 2) or (done.returncode and not diagnostics):
        outcome.harness_error = f"tsc failed (exit {done.returncode}) without diagnostics:\n{done.stdout}{done.stderr}"
    caught: set[str] = set()
    for d in diagnostics:
        name = Path(d.file).name
        if name == MESSAGES_FILE:
            owner, path = messages.at(d.line)
            if owner is None:
                outcome.other_errors.append(f"{d.file}({d.line}): {d.code} {d.text}")
            else:
                outcome.findings.append(Finding(owner.sample, error_path(path, d), d))
        elif name == CANARY_FILE:
            owner, path = canary.at(d.line)
            if owner is not None:
                expected = next(c.field for c in broken if c.sample.name == owner.sample.name)
                if expected in error_path(path, d).split(".") or f"'{expected}'" in d.text:
                    caught.add(owner.sample.name)
        else:
            outcome.other_errors.append(f"{d.file}({d.line}): {d.code} {d.text}")
    unique = {(f.sample.name, f.path): f for f in outcome.findings}  # a persona error is also the union's
    outcome.findings = list(unique.values())
    outcome.uncaught_canaries = [c.sample.name for c in broken if c.sample.name not in caught]
    outcome.seconds = time.monotonic() - started
    return outcome


# --- the report --------------------------------------------------------------------------------


def report(outcome: Outcome, *, verbose: bool) -> list[str]:
    """The summary lines for one version."""
    bad = sorted({f.sample.name for f in outcome.findings})
    install = "npm ci ran" if outcome.installed else "node_modules cached"
    lines = [
        f"== {outcome.version}: {outcome.messages} messages, {len(bad)} with type errors "
        f"({len(outcome.findings)} errors); {install}; {outcome.seconds:.1f}s"
    ]
    if outcome.source:
        lines.append(f"   generated: {outcome.source}")
    if outcome.harness_error:
        lines.append(f"   HARNESS ERROR: {outcome.harness_error}")
    if outcome.uncaught_canaries:
        lines.append(f"   HARNESS ERROR: tsc did not catch the broken canaries {', '.join(outcome.uncaught_canaries)}")
    lines += [f"   HARNESS ERROR (outside the generated messages): {e}" for e in outcome.other_errors]
    for kind, path, reason, names in grouped(outcome.findings):
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        lines.append(f"   {kind:<12} {path}: {reason}  [{len(names)}: {shown}]")
    if verbose:
        for f in outcome.findings:
            lines.append(f"   --- {f.sample.name} ({f.sample.origin}) line {f.diagnostic.line} {f.diagnostic.code}")
            lines += [f"       {line}" for line in f.diagnostic.lines]
    return lines


def _strict() -> bool:
    return os.environ.get("PERSONA_KIT_TYPECHECK_STRICT", "1").strip().lower() not in {"0", "false", "no"}


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing(reference: Path, versions: Sequence[str]) -> str | None:
    """Why the check cannot run (None when it can); CI=true turns a missing reference into a failure."""
    if not reference.is_dir():
        return f"the reference dashboards are not at {reference} (set PERSONA_KIT_DASHBOARD_REFERENCE)"
    if shutil.which("npm") is None or shutil.which("npx") is None:
        return "node/npm not found (apt-get install nodejs npm; `make typecheck-dashboard` does)"
    for version in versions:
        for needed in (reference / version / "frontend", WIRE_DIR / f"{version}.ts"):
            if not needed.exists():
                return f"{version}: {needed} is missing"
    return None


def exit_code(outcomes: Sequence[Outcome], *, strict: bool) -> tuple[int, str]:
    """The exit status and the closing line for these outcomes."""
    if any(o.harness_error or o.uncaught_canaries or o.other_errors for o in outcomes):
        return 2, "FAILED: the check itself is broken (see HARNESS ERROR above)"
    if not any(o.findings for o in outcomes):
        return 0, "every message type-checks against every dashboard version"
    if strict:
        return 1, "FAILED: persona_kit sends messages the dashboard's types reject"
    return 0, "type errors reported only (PERSONA_KIT_TYPECHECK_STRICT=0)"


def main(argv: list[str] | None = None) -> int:
    """Check every version (or those asked for) and print one summary per version."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_reference = Path(os.environ.get("PERSONA_KIT_DASHBOARD_REFERENCE", DEFAULT_REFERENCE))
    parser.add_argument("--reference", type=Path, default=default_reference, help="the presto-changeo folder")
    parser.add_argument("--version", action="append", help="only this version (repeatable)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print tsc's full message for every error")
    args = parser.parse_args(argv)
    versions: list[str] = args.version or sorted(p.stem for p in WIRE_DIR.glob("*.ts"))

    why = _missing(args.reference, versions)
    if why is not None:
        if args.reference.is_dir() or _under_ci():
            print(f"typecheck-dashboard: FAILED: {why}", file=sys.stderr)
            return 2
        print(f"typecheck-dashboard: skipped: {why}")
        return 0

    samples = dashboard_messages()
    broken = canaries(samples)

    def check(version: str) -> Outcome:
        return check_version(version, args.reference / version / "frontend", samples, broken)

    with ThreadPoolExecutor(max_workers=len(versions)) as pool:
        outcomes = list(pool.map(check, versions))
    for outcome in outcomes:
        print("\n".join(report(outcome, verbose=args.verbose)))
    code, line = exit_code(outcomes, strict=_strict())
    print(f"typecheck-dashboard: {line}")
    return code


if __name__ == "__main__":
    sys.exit(main())
