"""Type-check persona_kit's outbound messages against each reference dashboard's own TypeScript types.

For every dashboard version (one file of wire shapes per version in
scripts/dashboard_wire/, mirroring what that version's App.tsx reads):

1-2. reference_dashboard.prepare(version): its frontend copied to a cache outside
   the repo, ``$XDG_CACHE_HOME/persona-kit/dashboard/<version>-<lock hash>``, and
   ``npm ci --no-audit --no-fund`` run there once per lock file (the same copy
   ``make dashboard`` builds and serves);
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
Without the reference folder (``../shared/reference/presto-changeo`` or
$PERSONA_KIT_REFERENCE) it skips, except under CI (CI=true), where it fails.

    python scripts/typecheck_dashboard.py [--version latest] [--verbose]
"""

from __future__ import annotations

import argparse
import fcntl
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
import reference_dashboard
from dashboard_messages import Sample, dashboard_messages
from dashboard_ts import (
    WIRE_FILE,
    Canary,
    Diagnostic,
    Finding,
    Generated,
    canaries,
    error_path,
    generate_ts,
    grouped,
    parse_tsc,
)

WIRE_DIR = Path(__file__).resolve().parent / "dashboard_wire"
MESSAGES_FILE = "persona_kit_messages.ts"
CANARY_FILE = "persona_kit_canary.ts"
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
    prepare_seconds: float = 0.0
    tsc_seconds: float = 0.0
    source: Path | None = None


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``: two checks at once (two worktrees) share one copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_UPDATE_NOTIFIER": "1", "npm_config_update_notifier": "false"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def check_version(version: str, samples: Sequence[Sample], broken: Sequence[Canary]) -> Outcome:
    """Prepare, generate and type-check one dashboard version: ``samples`` must pass, ``broken`` must not.

    The copy is reference_dashboard.prepare's (sources refreshed, ``npm ci`` once per lock file);
    the three generated files go into its src/, which tsconfig.app.json includes, and the next
    prepare() replaces src/ with the dashboard's own again.
    """
    outcome = Outcome(version, messages=len(samples))
    wire = (WIRE_DIR / f"{version}.ts").read_text(encoding="utf-8")
    header = f"persona_kit's outbound messages, typed as the {version} dashboard reads them."
    messages = generate_ts(samples, header=header)
    canary = generate_ts([c.sample for c in broken], header="Real messages broken on purpose: each must fail.")
    try:
        with locked(reference_dashboard.cache_root() / f"{version}.typecheck.lock"):
            started = time.monotonic()
            work = reference_dashboard.prepare(version)
            outcome.prepare_seconds = time.monotonic() - started
            src = work / "src"
            (src / WIRE_FILE).write_text(wire, encoding="utf-8")
            (src / MESSAGES_FILE).write_text(messages.text, encoding="utf-8")
            (src / CANARY_FILE).write_text(canary.text, encoding="utf-8")
            outcome.source = src / MESSAGES_FILE
            started = time.monotonic()
            done = _run(TSC, work)
            outcome.tsc_seconds = time.monotonic() - started
    except (OSError, reference_dashboard.DashboardUnavailableError) as err:
        outcome.harness_error = str(err)
        return outcome
    diagnostics = parse_tsc(done.stdout + done.stderr)
    if done.returncode not in (0, 1, 2) or (done.returncode and not diagnostics):
        outcome.harness_error = f"tsc failed (exit {done.returncode}) without diagnostics:\n{done.stdout}{done.stderr}"
    _tally(outcome, diagnostics, messages, canary, broken)
    return outcome


def _tally(
    outcome: Outcome,
    diagnostics: Sequence[Diagnostic],
    messages: Generated,
    canary: Generated,
    broken: Sequence[Canary],
) -> None:
    """Sort tsc's errors: findings in the messages, caught canaries, anything else is the harness's fault."""
    caught: set[str] = set()
    for d in diagnostics:
        name = Path(d.file).name
        owner, path = messages.at(d.line) if name == MESSAGES_FILE else canary.at(d.line)
        if name == MESSAGES_FILE and owner is not None:
            outcome.findings.append(Finding(owner.sample, error_path(path, d), d))
        elif name == CANARY_FILE and owner is not None:
            expected = next(c.field for c in broken if c.sample.name == owner.sample.name)
            if expected in error_path(path, d).split(".") or f"'{expected}'" in d.text:
                caught.add(owner.sample.name)
        else:
            outcome.other_errors.append(f"{d.file}({d.line}): {d.code} {d.text}")
    unique = {(f.sample.name, f.path): f for f in outcome.findings}  # a persona's error is also the union's
    outcome.findings = list(unique.values())
    outcome.uncaught_canaries = [c.sample.name for c in broken if c.sample.name not in caught]


# --- the report --------------------------------------------------------------------------------


def report(outcome: Outcome, *, verbose: bool) -> list[str]:
    """The summary lines for one version."""
    bad = sorted({f.sample.name for f in outcome.findings})
    lines = [
        f"== {outcome.version}: {outcome.messages} messages, {len(bad)} with type errors "
        f"({len(outcome.findings)} errors); prepare {outcome.prepare_seconds:.1f}s, tsc {outcome.tsc_seconds:.1f}s"
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


def _missing(versions: Sequence[str]) -> str | None:
    """Why the check cannot run (None when it can); CI=true turns a missing reference into a failure."""
    reference = reference_dashboard.REFERENCE
    if not reference.is_dir():
        return f"the reference dashboards are not at {reference} (set PERSONA_KIT_REFERENCE)"
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
    parser.add_argument("--version", action="append", help="only this version (repeatable)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print tsc's full message for every error")
    args = parser.parse_args(argv)
    versions: list[str] = args.version or sorted(p.stem for p in WIRE_DIR.glob("*.ts"))

    why = _missing(versions)
    if why is not None:
        if reference_dashboard.REFERENCE.is_dir() or _under_ci():
            print(f"typecheck-dashboard: FAILED: {why}", file=sys.stderr)
            return 2
        print(f"typecheck-dashboard: skipped: {why}")
        return 0

    samples = dashboard_messages()
    broken = canaries(samples)

    with ThreadPoolExecutor(max_workers=len(versions)) as pool:
        outcomes = list(pool.map(lambda version: check_version(version, samples, broken), versions))
    for outcome in outcomes:
        print("\n".join(report(outcome, verbose=args.verbose)))
    code, line = exit_code(outcomes, strict=_strict())
    print(f"typecheck-dashboard: {line}")
    return code


if __name__ == "__main__":
    sys.exit(main())
