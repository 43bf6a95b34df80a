import json, random, os
from collections import defaultdict
D = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def split(src, key, dev_name, held_name):
    rows = [json.loads(l) for l in open(os.path.join(D, src), encoding="utf-8")]
    rng = random.Random(20261201)
    strata = defaultdict(list)
    for r in rows:
        strata[str(key(r))].append(r)
    dev, held = [], []
    for k in sorted(strata):
        items = list(strata[k])          # file order (ids ascending)
        rng.shuffle(items)
        n_dev = round(0.4 * len(items))
        dev += items[:n_dev]; held += items[n_dev:]
    order = {r["id"]: i for i, r in enumerate(rows)}
    for name, part in ((dev_name, dev), (held_name, held)):
        part.sort(key=lambda r: order[r["id"]])
        with open(os.path.join(D, name), "w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(part))
split("questions.jsonl", lambda r: r["industry"], "dev_questions.jsonl", "heldout_questions.jsonl")
split("mode_requests.jsonl", lambda r: r["expect_mode"], "dev_mode_requests.jsonl", "heldout_mode_requests.jsonl")
