"""Regenerate the golden fixtures in data/golden/ (run on purpose, then review the diff).

Golden files pin the exact output of persona_kit for a few keys per mode and
locale. Any change to the engine, the data files or the vocabulary snapshot
that changes a persona shows up as a test failure until these are regenerated.
"""

from __future__ import annotations

import json

from persona_kit import __version__, generate_persona, supported_locales
from persona_kit.data import data_dir
from persona_kit.industries import builtin_mode_ids, industry


def golden_cases() -> list[dict[str, object]]:
    """Every built-in industry's golden keys (``Industry.golden_keys``) in every locale."""
    cases = []
    for mode in builtin_mode_ids():
        for locale in supported_locales():
            for seed, index in industry(mode).golden_keys:
                persona = generate_persona(mode, seed, index=index, locale=locale)
                cases.append(
                    {
                        "mode": mode,
                        "seed": seed,
                        "index": index,
                        "locale": locale,
                        "persona": persona.model_dump(mode="json"),
                    }
                )
    return cases


def main() -> None:
    out = data_dir() / "golden"
    out.mkdir(exist_ok=True)
    by_mode: dict[str, list[dict[str, object]]] = {}
    for case in golden_cases():
        by_mode.setdefault(str(case["mode"]), []).append(case)
    for mode, cases in by_mode.items():
        path = out / f"{mode}.json"
        doc = {"persona_kit_version": __version__, "as_of": "default", "cases": cases}
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(cases)} personas)")


if __name__ == "__main__":
    main()
