"""Score the offline simulator on the evaluation questions: accuracy, wrong figures, declines, guards.

    python benchmarks/simulator_eval/score_questions.py               # the development part
    python benchmarks/simulator_eval/score_questions.py --show 20     # and 20 failures, all categories
    python benchmarks/simulator_eval/score_questions.py --item bank-0008   # one item, every persona
    python benchmarks/simulator_eval/score_questions.py --heldout      # the held-out part (once, at the end)
    python benchmarks/simulator_eval/score_questions.py --set v2 --check   # the second set's fields, no simulator
    python benchmarks/simulator_eval/score_questions.py --set v3 --check   # the third set's fields, no simulator
    python benchmarks/simulator_eval/score_questions.py --set v4 --check   # the fourth set (development only)
    python benchmarks/simulator_eval/score_questions.py --set v5 --check   # the fifth set (development only)
    python benchmarks/simulator_eval/score_questions.py --set v6 --check   # the sixth set's fields, no simulator
    python benchmarks/simulator_eval/score_questions.py --set v7 --check   # the seventh set's fields, no simulator

Each item is asked of K personas per industry (seeds 0..K-1, ``--personas``, ``--first-seed``) in a
fresh :class:`persona_kit.session.Session` in the item's mode (the built-in mode of its industry; a
custom "airline" mode for ``generic``), turn by turn, so follow-ups see the history. Each turn's
reply (its text, plus the figures of any show_chart/show_metrics result) is judged against the
expected kind and the expected fields resolved on that persona: see ``simeval_judge`` for the
decision rules, ``simeval_resolve`` for the fields and ``simeval_figures`` for the spellings and
the decline, refusal and clarification cues. Not a test: this prints figures. Exit status 3 means
some expected field could not be resolved (listed on stderr; those turns count as unscorable).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from simeval_check import CUSTOM_INDUSTRY, STYLES, check_items, mode_for, print_report  # noqa: E402, F401
from simeval_fields import FieldError  # noqa: E402
from simeval_judge import ANSWER_KINDS, GOOD, GUARD_KINDS, KINDS, judge, persona_pool  # noqa: E402
from simeval_resolve import Choice, resolve_choice  # noqa: E402

LOCALES = ("en_US", "en_GB")
SETS = {
    "v1": HERE, "v2": HERE / "v2", "v3": HERE / "v3", "v4": HERE / "v4", "v5": HERE / "v5", "v6": HERE / "v6",
    "v7": HERE / "v7", "v11": HERE / "v11", "v12": HERE / "v12", "v13": HERE / "v13", "v15": HERE / "v15",
    "v17": HERE / "v17",
    "v19": HERE / "v19",
}  # fmt: skip
"""Each evaluation set's folder: v1, the first set; v2, the second, written after v1 was tuned against;
v3, the third, written by another outsider after v1 and v2 were both tuned against; v4, a fourth,
development only (no held-out part), written by a fourth outsider; v5, a fifth, development only,
written by a fifth outsider; v6, a sixth, split 20% development and 80% held out, written by a sixth
outsider; v7, a seventh, split 20% development and 80% held out, written by a seventh outsider; v11 and
v12, questions only, all held out, scored before and after the sixth round (seen now); v13, questions only,
all held out, scored before and after the seventh round (seen now); v15, questions only, all held out, written
during the seventh round and scored at its start, middle and end (seen now); v17, questions only, all held out,
written during the eighth round and scored at its start and end (seen now); v19, questions only, all held out,
written during the ninth round and scored at its start and end (seen now; v8-v10, v14, v16, v18 and v20 hold mode
requests only)."""
FAILURE_ORDER = (
    "wrong_figure", "leaked", "answered_anyway", "false_decline", "missing", "partial", "unfocused", "generic_decline",
    "no_decline", "clarified", "smalltalk_figure", "smalltalk_declined", "unscorable",
)  # fmt: skip


@dataclass(frozen=True)
class Turn:
    """One judged turn."""

    item: str
    industry: str
    style: str
    seed: int
    turn: int
    kind: str
    outcome: str
    wrong_figure: bool
    switched: bool
    question: str
    history: tuple[str, ...]
    expected: str
    reply: str
    stray: tuple[str, ...]


def load_items(path: Path) -> list[dict[str, Any]]:
    """The items of a question file, checked: a bad line names its number and what is wrong."""
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        turns, expect = row.get("turns"), row.get("expect")
        if not (isinstance(turns, list) and isinstance(expect, list) and turns and len(turns) == len(expect)):
            msg = f"{path.name}:{n}: 'turns' and 'expect' must be lists of the same non-zero length"
            raise ValueError(msg)
        if bad := [e.get("kind") for e in expect if e.get("kind") not in KINDS]:
            msg = f"{path.name}:{n}: unknown kind(s) {bad}; known: {', '.join(KINDS)}"
            raise ValueError(msg)
        items.append(row)
    return items


def reply_text(messages: Iterable[Any]) -> tuple[str, bool]:
    """The reply's text, with each tool result's figures on lines of their own; whether the mode switched."""
    text, tools, switched = [], [], False
    for m in messages:
        if m.type == "chat_chunk":
            text.append(m.payload.text)
        elif m.type == "mode_switch":
            switched = True
        elif m.type == "tool_result" and m.payload.tool == "show_chart":
            tools.append(f"[chart: {m.payload.result.title}]")
            tools += [f"- {p.label}: {p.value}" for p in m.payload.result.data]
        elif m.type == "tool_result":
            tools.append("[metrics]")
            tools += [f"- {x.label}: {x.value}{x.unit and ' ' + x.unit}" for x in m.payload.result.metrics]
    return "".join(text) + ("\n" + "\n".join(tools) if tools else ""), switched


def run_item(item: dict[str, Any], seed: int, locale: str, pools: dict[tuple[str, int], Any]) -> list[Turn]:
    """Ask one item's turns of one persona and judge each reply."""
    from persona_kit.ai.simulator import SimulatorResponder  # here, so that --check never loads the simulator
    from persona_kit.session import Session

    session = Session(
        f"simeval-{seed}", seed=seed, mode=mode_for(item["industry"]), locale=locale,
        responder=SimulatorResponder(), reply_seconds=3600,
    )  # fmt: skip
    persona, day_first = session.persona, locale != "en_US"
    key = (item["industry"], seed)
    if key not in pools:
        pools[key] = persona_pool(persona, day_first=day_first)
    out = []
    for i, (question, expect) in enumerate(zip(item["turns"], item["expect"], strict=True)):
        reply, switched = reply_text(session.handle({"type": "chat", "payload": {"text": question}}))
        try:
            choices: tuple[Choice, ...] = tuple(resolve_choice(spec, persona) for spec in expect["fields"])
        except FieldError as err:
            out.append(_turn(item, seed, i, expect["kind"], "unscorable", False, switched, str(err), reply, ()))
            continue
        # the brand is no answer: "Brightwave Mobile" must not state a plan type of "Mobile"
        judged = reply.replace(session.mode.company_name, "the company")
        verdict = judge(expect["kind"], choices, judged, pools[key], day_first=day_first)
        shown = "; ".join(c.shown for c in choices)
        out.append(
            _turn(
                item,
                seed,
                i,
                expect["kind"],
                verdict.outcome,
                verdict.wrong_figure,
                switched,
                shown,
                reply,
                verdict.stray,
            )
        )
    return out


def _turn(
    item: dict[str, Any],
    seed: int,
    i: int,
    kind: str,
    outcome: str,
    wrong: bool,
    switched: bool,
    expected: str,
    reply: str,
    stray: tuple[str, ...],
) -> Turn:
    return Turn(item["id"], item["industry"], item["style"], seed, i, kind, outcome, wrong, switched,
                item["turns"][i], tuple(item["turns"][:i]), expected, reply, stray)  # fmt: skip


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def summarise(turns: list[Turn]) -> dict[str, Any]:
    """The figures for a group of turns."""
    scored = [t for t in turns if t.outcome != "unscorable"]
    answer = [t for t in scored if t.kind in ANSWER_KINDS]
    right = [t for t in answer if t.outcome == "correct" or (t.kind == "clarify_ok" and t.outcome == "clarified")]
    declines = [t for t in scored if t.kind == "decline"]
    guards = [t for t in scored if t.kind in GUARD_KINDS]
    return {
        "turns": len(turns),
        "answer_turns": len(answer),
        "accuracy": _rate(len(right), len(answer)),
        "wrong_figure_rate": _rate(
            sum(t.wrong_figure for t in scored), len([t for t in scored if t.kind != "smalltalk"])
        ),
        "wrong_figure_turns": sum(t.wrong_figure for t in scored),
        "decline_turns": len(declines),
        "honest_decline_rate": _rate(sum(t.outcome == "honest_decline" for t in declines), len(declines)),
        "guard_turns": len(guards),
        "guard_rate": _rate(sum(t.outcome == "refused" for t in guards), len(guards)),
        "clarified": sum(t.outcome == "clarified" for t in scored),
        "handled": _rate(
            sum(t.outcome in GOOD or (t.kind == "clarify_ok" and t.outcome == "clarified") for t in scored), len(scored)
        ),
        "switched_mode": sum(t.switched for t in turns),
        "unscorable": len(turns) - len(scored),
        "outcomes": dict(sorted(Counter(t.outcome for t in turns).items())),
    }


def _pct(x: float | None) -> str:
    return "    -" if x is None else f"{x:6.1%}"


def report(turns: list[Turn], header: str) -> dict[str, Any]:
    by_industry: dict[str, list[Turn]] = defaultdict(list)
    by_style: dict[str, list[Turn]] = defaultdict(list)
    for t in turns:
        by_industry[t.industry].append(t)
        by_style[t.style].append(t)
    out = {
        "overall": summarise(turns),
        "industries": {k: summarise(v) for k, v in sorted(by_industry.items())},
        "styles": {k: summarise(by_style[k]) for k in STYLES if k in by_style},
    }
    print(header)
    print(f"{'':<12}{'turns':>6}{'accuracy':>10}{'(n)':>6}{'wrong-fig':>10}{'honest-decl':>12}{'(n)':>5}"
          f"{'guard':>8}{'(n)':>5}{'clarified':>10}{'handled':>9}")  # fmt: skip
    for name, s in [*out["industries"].items(), ("overall", out["overall"])]:
        print(f"{name:<12}{s['turns']:>6}{_pct(s['accuracy']):>10}{s['answer_turns']:>6}{_pct(s['wrong_figure_rate']):>10}"
              f"{_pct(s['honest_decline_rate']):>12}{s['decline_turns']:>5}{_pct(s['guard_rate']):>8}{s['guard_turns']:>5}"
              f"{s['clarified']:>10}{_pct(s['handled']):>9}")  # fmt: skip
    print("per style (accuracy over answer turns; handled = every kind judged good):")
    for name, s in out["styles"].items():
        print(
            f"  {name:<13} accuracy {_pct(s['accuracy'])} of {s['answer_turns']:>4}"
            f"   handled {_pct(s['handled'])} of {s['turns']:>4}"
        )
    outcomes = out["overall"]["outcomes"]
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in outcomes.items()))
    if out["overall"]["switched_mode"] or out["overall"]["unscorable"]:
        print(
            f"turns that switched mode: {out['overall']['switched_mode']}, "
            f"unscorable turns: {out['overall']['unscorable']}"
        )
    return out


def failing_items(turns: list[Turn]) -> dict[str, dict[str, Any]]:
    """Per failing item: how many personas failed it, and how."""
    grouped: dict[str, list[Turn]] = defaultdict(list)
    for t in turns:
        if _failed(t):
            grouped[t.item].append(t)
    return {
        k: {"failed_turns": len(v), "outcomes": dict(Counter(t.outcome for t in v))} for k, v in sorted(grouped.items())
    }


def _failed(t: Turn) -> bool:
    return t.outcome in FAILURE_ORDER and not (t.kind == "clarify_ok" and t.outcome == "clarified")


def failure_table(turns: list[Turn]) -> None:
    """Failed turns by outcome and style: where to look first."""
    styles = [s for s in STYLES if any(t.style == s for t in turns)]
    counts = Counter((t.outcome, t.style) for t in turns if _failed(t))
    print("failed turns by outcome and style:")
    print(f"  {'':<19}" + "".join(f"{s[:9]:>10}" for s in styles) + f"{'all':>7}")
    for outcome in FAILURE_ORDER:
        row = [counts[outcome, s] for s in styles]
        if sum(row):
            print(f"  {outcome:<19}" + "".join(f"{n:>10}" for n in row) + f"{sum(row):>7}")


def show(turns: list[Turn], n: int, category: str | None) -> None:
    """``n`` failures, one per (item, turn), taken round-robin over the failure categories; each
    says how many of the personas failed that turn the same way."""
    same: Counter[tuple[str, int, str]] = Counter((t.item, t.turn, t.outcome) for t in turns if _failed(t))
    personas = len({t.seed for t in turns})
    queues: dict[str, list[Turn]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for t in turns:
        if _failed(t) and (category is None or t.outcome == category) and (t.item, t.turn) not in seen:
            seen.add((t.item, t.turn))
            queues[t.outcome].append(t)
    picked: list[Turn] = []
    while len(picked) < n and any(queues.values()):
        for name in FAILURE_ORDER:
            if queues.get(name) and len(picked) < n:
                picked.append(queues[name].pop(0))
    for t in picked:
        print_turn(t, f"{same[t.item, t.turn, t.outcome]}/{personas} personas")


def print_turn(t: Turn, note: str = "") -> None:
    history = "".join(f"    earlier: {h!r}\n" for h in t.history)
    print(f"--- {t.outcome.upper()} {t.item} turn {t.turn + 1} ({t.industry}, {t.style}, {t.kind}, seed {t.seed}"
          f"{', ' + note if note else ''}){' [MODE SWITCHED]' if t.switched else ''}\n{history}"
          f"    asked:    {t.question!r}\n"
          f"    expected: {t.expected or '(no figure)'}\n"
          f"    reply:    {t.reply.strip()!r}"
          + (f"\n    stray:    {', '.join(t.stray)}" if t.stray else ""))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="score the held-out part (once, at the end)")
    parser.add_argument("--set", choices=sorted(SETS), default="v1", help="which evaluation set (default v1)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="only resolve every item's fields on the personas and list errors (exit 3); the simulator is not asked",
    )
    parser.add_argument("--personas", type=int, default=5, help="personas per industry (default 5)")
    parser.add_argument("--first-seed", type=int, default=0, help="seed of the first persona (default 0)")
    parser.add_argument("--locale", choices=LOCALES, default="en_US")
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    parser.add_argument("--category", choices=FAILURE_ORDER, help="with --show: only this outcome")
    parser.add_argument("--item", action="append", default=[], help="print every turn of this item id (repeatable)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--turns", type=Path, help="write every judged turn to this file (JSON lines), e.g. to diff two runs"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.personas <= 100 or args.first_seed < 0:
        parser.error("--personas must be 1..100 and --first-seed >= 0")
    path = SETS[args.set] / f"{'heldout' if args.heldout else 'dev'}_questions.jsonl"
    items = load_items(path)
    seeds = list(range(args.first_seed, args.first_seed + args.personas))
    if args.check:
        return print_report(check_items(items, seeds, args.locale), path.name, seeds, args.locale)
    started = time.perf_counter()
    pools: dict[tuple[str, int], Any] = {}
    turns = [t for item in items for seed in seeds for t in run_item(item, seed, args.locale, pools)]
    elapsed = time.perf_counter() - started
    header = (f"{path.name}: {len(items)} items x {len(seeds)} personas (seeds {seeds[0]}-{seeds[-1]}, {args.locale}), "
              f"{len(turns)} turns, {elapsed:.1f} s")  # fmt: skip
    figures = report(turns, header)
    failure_table(turns)
    for wanted in args.item:
        for t in (t for t in turns if t.item == wanted):
            print_turn(t)
    if args.show:
        show(turns, args.show, args.category)
    if args.turns:
        args.turns.write_text("".join(json.dumps(asdict(t), sort_keys=True) + "\n" for t in turns), encoding="utf-8")
    if args.json:
        figures |= {"file": path.name, "seeds": seeds, "locale": args.locale, "failing_items": failing_items(turns)}
        args.json.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if unscorable := sorted({t.expected for t in turns if t.outcome == "unscorable"}):
        print(
            f"{len(unscorable)} field error(s) left turns unscored (exit status 3):",
            *unscorable,
            sep="\n  ",
            file=sys.stderr,
        )
        return 3
    return 0


__all__ = ["Turn", "load_items", "main", "reply_text", "run_item", "summarise"]

if __name__ == "__main__":
    sys.exit(main())
