"""Ask the offline simulator every example phrasing and check it lands on its canonical question's answer.

For each industry's ``data/intents/en/<kind>.json``, each canonical question is asked of a few personas, then each
of its paraphrases; a paraphrase *lands* when its reply is word for word the canonical question's reply for the same
persona. Absent patterns are checked the other way: no canonical question or paraphrase may be declined by one.

    PYTHONPATH=$PWD python scripts/check_paraphrases.py [--seeds 1 2 3] [--locale en_US] [--only-new BASE.json] [--show]

``--save FILE`` writes every phrasing's outcome; ``--only-new FILE`` scores only phrasings absent from an earlier
``--save`` file (the ones added since). A canonical question the honest fallback declines, or the topic rules do
not read, is reported: its paraphrases cannot be checked against it. A miss "placed by rules" is a phrasing the
topic rules read (wrongly), so the examples never see it; "placed by examples" is the nearest-example matcher's.
Not a test: the evaluation sets in ``benchmarks/simulator_eval`` are what the simulator is judged on.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from persona_kit import DEFAULT_LOCALE, Persona, generate_persona, get_mode
from persona_kit.ai import simulate_reply
from persona_kit.ai.answers import _examples, _placed, read, simulator_for
from persona_kit.ai.examples import ExampleFile
from persona_kit.data import read_json
from persona_kit.models.modes import Mode
from persona_kit.triggers import custom_mode

KINDS = ("banking", "insurance", "healthcare", "telecom", "generic")


def mode_for(kind: str) -> Mode:
    """The built-in mode of ``kind``, or a custom (generic) one."""
    return custom_mode("hotel", "Harbour View Hotel") if kind == "generic" else get_mode(kind)


# The sentence a reply opens with when the question names a period: "last 30 days" and "this month" get it, "lately"
# does not; the answer after it is the same.
_PERIOD = re.compile(
    r"^(I can see your recent transactions, from .*?\d\. "
    r"|I can't narrow your activity to that period: .*?\d\. )"
)


def lands(got: str, want: str) -> bool:
    """The canonical reply itself, either of them with or without a sentence about the period the records cover."""
    return _PERIOD.sub("", got) == _PERIOD.sub("", want)


def placed_by_rules(persona: Persona, text: str) -> bool:
    """Whether the topic rules (not the nearest example) read ``text``."""
    sim = simulator_for(persona)
    rules = sim.subject_rules(persona)
    return _placed(sim, rules, read(persona, text, rules))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--kinds", nargs="+", default=list(KINDS))
    parser.add_argument("--locale", default=DEFAULT_LOCALE)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--only-new", type=Path)
    parser.add_argument("--show", action="store_true", help="print every phrasing that lands wrong")
    args = parser.parse_args()
    known: set[str] = set()
    if args.only_new:
        known = set(json.loads(args.only_new.read_text()))
    outcome: dict[str, bool] = {}
    for kind in args.kinds:
        spec = ExampleFile.model_validate(read_json(f"intents/en/{kind}.json"))
        mode = mode_for(kind)
        index = _examples(kind)
        assert index is not None
        index_of = {q.canonical: i for i, q in enumerate(index.questions)}
        personas = [generate_persona(mode, seed, locale=args.locale) for seed in args.seeds]
        landed = total = 0
        declined = 0
        for q in spec.questions:
            expected = [simulate_reply(mode, p, [], q.canonical).text for p in personas]
            if any("so I'd rather not guess" in text for text in expected):
                print(f"  CANONICAL DECLINED [{kind}] {q.canonical!r}")
            if index.topics[index_of[q.canonical]] is None:
                print(f"  CANONICAL UNPLACED [{kind}] {q.canonical!r}: the topic rules do not read it")
            for phrase in q.paraphrases:
                key = f"{kind}\t{q.canonical}\t{phrase}"
                if args.only_new and key in known:
                    continue
                ok = True
                for want, p in zip(expected, personas, strict=True):
                    got = simulate_reply(mode, p, [], phrase).text
                    if not lands(got, want):
                        ok = False
                        if "so I'd rather not guess" in got:
                            declined += 1
                        if args.show:
                            by = "rules" if placed_by_rules(p, phrase) else "examples"
                            print(f"  MISS [{kind}] {phrase!r} (for {q.canonical!r}, placed by {by})")
                            print(f"      got: {got[:140]!r}")
                        break
                outcome[key] = ok
                landed += ok
                total += 1
        rate = landed / total if total else 1.0
        print(f"{kind}: {landed}/{total} land ({rate:.1%}); {declined} wrongly declined")
    if args.save:
        args.save.write_text(json.dumps(outcome, indent=0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
