"""Check an item file without asking the simulator anything: formats, and every field resolved on the personas.

``score_questions.py --check`` calls :func:`check_items`. It builds the same personas the scorer
would (the industry's mode, seeds ``seeds``, ``locale``) with :func:`persona_kit.generate_persona`
alone, resolves each turn's ``fields`` on each of them and lists what is wrong: an unknown field
name or selector, an entry that is neither a name nor ``{"any_of": [...]}``, fields on a kind that
takes none, no fields on an ``answer`` or ``clarify_ok`` turn, an unknown style or industry, a
duplicate id. A named item a persona lacks is not an error (the README says how that is judged);
the count of such resolutions is reported so a set that names only missing items stands out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from simeval_fields import FieldError
from simeval_judge import ANSWER_KINDS
from simeval_resolve import resolve_choice

from persona_kit import generate_persona
from persona_kit.models.modes import Mode
from persona_kit.triggers import custom_mode

INDUSTRIES = ("banking", "insurance", "healthcare", "telecom", "generic")
STYLES = ("plain", "casual", "typo", "indirect", "compound", "follow_up", "unanswerable", "guard")
CUSTOM_INDUSTRY = "airline"


def mode_for(industry: str) -> str | Mode:
    """The mode an item is asked in: the industry's built-in mode, a custom "airline" mode for ``generic``."""
    return custom_mode(CUSTOM_INDUSTRY) if industry == "generic" else industry


@dataclass
class CheckReport:
    """What :func:`check_items` found."""

    items: int = 0
    resolutions: int = 0
    absent: int = 0
    errors: list[str] = field(default_factory=list)
    fields_used: Counter[str] = field(default_factory=Counter)


def _item_errors(item: dict[str, Any], seen: set[str]) -> list[str]:
    """Errors in an item's own shape (not its fields' names)."""
    where = str(item.get("id", "?"))
    out = []
    if where in seen:
        out.append(f"{where}: duplicate id")
    seen.add(where)
    if item.get("industry") not in INDUSTRIES:
        out.append(f"{where}: unknown industry {item.get('industry')!r}; known: {', '.join(INDUSTRIES)}")
    if item.get("style") not in STYLES:
        out.append(f"{where}: unknown style {item.get('style')!r}; known: {', '.join(STYLES)}")
    for n, expect in enumerate(item["expect"], 1):
        specs = expect.get("fields")
        if not isinstance(specs, list):
            out.append(f"{where} turn {n}: 'fields' must be a list")
        elif expect["kind"] in ANSWER_KINDS and not specs:
            out.append(f"{where} turn {n}: a {expect['kind']} turn needs at least one field")
        elif expect["kind"] not in ANSWER_KINDS and specs:
            out.append(f"{where} turn {n}: a {expect['kind']} turn takes no fields, got {specs}")
    return out


def check_items(items: Sequence[dict[str, Any]], seeds: Sequence[int], locale: str) -> CheckReport:
    """Resolve every item's fields on ``len(seeds)`` personas per industry; collect every error."""
    report = CheckReport(items=len(items))
    personas: dict[tuple[str, int], Any] = {}
    seen: set[str] = set()
    for item in items:
        report.errors += _item_errors(item, seen)
        if item.get("industry") not in INDUSTRIES:
            continue
        for n, expect in enumerate(item["expect"], 1):
            for spec in expect.get("fields") or []:
                names = spec["any_of"] if isinstance(spec, dict) and "any_of" in spec else [spec]
                report.fields_used.update(str(x) for x in names)
                for seed in seeds:
                    key = (item["industry"], seed)
                    if key not in personas:
                        personas[key] = generate_persona(mode_for(item["industry"]), seed, locale=locale)
                    try:
                        choice = resolve_choice(spec, personas[key])
                    except FieldError as err:
                        report.errors.append(f"{item['id']} turn {n} (seed {seed}): {err}")
                        break
                    report.resolutions += 1
                    report.absent += all(e.absent for e in choice.options)
    report.errors = list(dict.fromkeys(report.errors))
    return report


def print_report(report: CheckReport, name: str, seeds: Sequence[int], locale: str) -> int:
    """Print the check's findings; the exit status (3 when anything is wrong)."""
    print(
        f"{name}: {report.items} items checked on seeds {seeds[0]}-{seeds[-1]} ({locale}), "
        f"{report.resolutions} field resolutions ({report.absent} named items or selections not on file), "
        f"{len(report.fields_used)} distinct field names, {len(report.errors)} error(s); the simulator was not asked"
    )
    for line in report.errors:
        print(f"  {line}")
    return 3 if report.errors else 0


__all__ = ["INDUSTRIES", "STYLES", "CheckReport", "check_items", "mode_for", "print_report"]
