"""Fit credit_score.age_shift in data/stats/banking.json to the published averages by generation.

The shift is a latent location per knot age (generation midpoints). Scores keep the
published band shares whatever the shift (persona_kit/industries/banking/credit.py), so
only the mean score of each generation moves; this solves for the knots that put each
generation's mean on its target, by Newton steps on a large synthetic population whose
ages follow the census bands, as the generator's do. Prints the fitted shifts and the
fit; paste the shifts into banking.json by hand:

    python scripts/fit_credit_age.py
"""

from __future__ import annotations

import json

import numpy as np

from persona_kit.data import data_dir, population_stats
from persona_kit.industries.banking.credit import AgeShift, CreditScore, credit_scores

N = 400_000
STEPS = 12


def _generation_means(cfg: CreditScore, age: np.ndarray, z: np.ndarray, edges: list[float]) -> np.ndarray:
    score = credit_scores(z, age, cfg)
    band = np.searchsorted(edges, age, side="right") - 1
    return np.asarray([score[band == k].mean() for k in range(len(edges) - 1)])


def main() -> None:
    raw = json.loads((data_dir() / "stats" / "banking.json").read_text(encoding="utf-8"))["credit_score"]
    gen = raw["by_generation"]
    target = np.asarray(gen["mean"], dtype=np.float64)
    rng = np.random.default_rng(12)
    bands = population_stats().age
    k = rng.choice(len(bands.shares), size=N, p=np.asarray(bands.shares) / sum(bands.shares))
    lo, hi = np.asarray(bands.edges[:-1])[k], np.asarray(bands.edges[1:])[k]
    age = lo + rng.uniform(size=N) * (hi - lo)
    z = rng.standard_normal(N)

    band_of = np.searchsorted(gen["age_edges"], age, side="right") - 1
    weights = np.bincount(band_of, minlength=len(target))[: len(target)] / N
    shift = np.zeros(len(raw["age_shift"]["ages"]))
    for _ in range(STEPS):
        cfg = CreditScore.model_validate({**raw, "age_shift": {"ages": raw["age_shift"]["ages"], "shift": list(shift)}})
        means = _generation_means(cfg, age, z, gen["age_edges"])
        # Numerical Jacobian of generation means in the knot shifts (scores only move through the shift).
        jac = np.empty((len(target), len(shift)))
        for j in range(len(shift)):
            bumped = shift.copy()
            bumped[j] += 0.05
            cfg_j = CreditScore.model_validate(
                {**raw, "age_shift": AgeShift(ages=raw["age_shift"]["ages"], shift=list(bumped)).model_dump()}
            )
            jac[:, j] = (_generation_means(cfg_j, age, z, gen["age_edges"]) - means) / 0.05
        # The marginal pins the population mean, so only the gaps between generations can be
        # fitted: centre the residual on its population-weighted mean, drop the null direction.
        resid = target - means
        resid -= np.average(resid, weights=weights)
        step = np.linalg.lstsq(jac, resid, rcond=1e-2)[0]
        shift = shift + step / max(1.0, np.abs(step).max() / 0.5)  # damped: at most 0.5 sd a step
        shift -= shift.mean()
        print("  mean - target by generation:", np.round(means - target, 1))

    cfg = CreditScore.model_validate({**raw, "age_shift": {"ages": raw["age_shift"]["ages"], "shift": list(shift)}})
    means = _generation_means(cfg, age, z, gen["age_edges"])
    print("shift:", json.dumps([round(float(s), 3) for s in shift]))
    for name, m, t in zip(gen["names"], means, target, strict=True):
        print(f"  {name:18s} {m:6.1f}  target {t:.0f}")
    print(f"  all ages           {credit_scores(z, age, cfg).mean():6.1f}  target {raw['mean_target']}")


if __name__ == "__main__":
    main()
