"""Credit scores: the published national FICO distribution, rising with age as the bureaus report.

Each persona gets a latent ``x = shift(age) + z`` with ``z`` standard normal and ``shift`` a
piecewise-linear function of age (fitted to the published averages by generation). ``x`` is
mapped to a quantile through the population's own mixture CDF, ``F(x) = E_age[Phi(x - shift(age))]``
over the census age distribution, so the quantile is uniform over the whole population and
the score marginal is the published band table exactly, whatever the age effect. With
``shift(age) = rho / sqrt(1 - rho^2) * Phi^-1(age quantile)`` this is the Gaussian copula
with correlation ``rho``; a free shift lets the young stay close together (Gen Z and
millennials 10 points apart) while the old pull away, which no single ``rho`` does.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from pydantic import Field, model_validator

from persona_kit.data import DataModel, population_stats
from persona_kit.engine.draws import F64, normal_cdf
from persona_kit.engine.kernels import interp

SCORE_MIN, SCORE_MAX = 300, 850
# Grid on which the population's latent CDF is tabulated, and age points per census band.
_X_GRID = np.linspace(-9.0, 9.0, 3601)
_AGES_PER_BAND = 48


class AgeShift(DataModel):
    """Latent location by age, in standard deviations of the latent normal (piecewise linear)."""

    ages: list[float] = Field(min_length=2)
    shift: list[float] = Field(min_length=2)

    @model_validator(mode="after")
    def _shape(self) -> AgeShift:
        if len(self.ages) != len(self.shift) or any(b <= a for a, b in zip(self.ages, self.ages[1:], strict=False)):
            msg = "credit_score.age_shift needs increasing ages and one shift per age"
            raise ValueError(msg)
        return self


class CreditScore(DataModel):
    edges: list[float]
    shares: list[float]
    age_shift: AgeShift

    @model_validator(mode="after")
    def _shape(self) -> CreditScore:
        if len(self.edges) != len(self.shares) + 1 or abs(sum(self.shares) - 1) > 1e-6:
            msg = "credit_score needs len(edges) == len(shares) + 1 and shares summing to 1"
            raise ValueError(msg)
        if self.edges[0] != SCORE_MIN or self.edges[-1] != SCORE_MAX + 1:
            msg = f"credit_score.edges must run from {SCORE_MIN} to {SCORE_MAX + 1} (exclusive top)"
            raise ValueError(msg)
        return self


def age_shift(age_years: F64, cfg: AgeShift) -> F64:
    """Latent location of each age (constant beyond the first and last knot)."""
    return interp(age_years, cfg.ages, cfg.shift)


@cache
def _latent_cdf(ages: tuple[float, ...], shift: tuple[float, ...]) -> F64:
    """The population's CDF of the latent score on ``_X_GRID`` (ages uniform within census bands)."""
    bands = population_stats().age
    points, weights = [], []
    for lo, hi, share in zip(bands.edges[:-1], bands.edges[1:], bands.shares, strict=True):
        step = (hi - lo) / _AGES_PER_BAND
        points.append(lo + step * (np.arange(_AGES_PER_BAND) + 0.5))
        weights.append(np.full(_AGES_PER_BAND, share / _AGES_PER_BAND))
    locations = np.interp(np.concatenate(points), ages, shift)
    w = np.concatenate(weights)
    cdf: F64 = (normal_cdf(_X_GRID[:, None] - locations[None, :]) * w).sum(axis=1) / w.sum()
    cdf.flags.writeable = False
    return cdf


def score_quantiles(draws_z: F64, age_years: F64, cfg: AgeShift) -> F64:
    """Each persona's quantile in the population's score distribution (uniform over the population)."""
    x = age_shift(age_years, cfg) + draws_z
    return interp(x, _X_GRID, _latent_cdf(tuple(cfg.ages), tuple(cfg.shift)))


def credit_scores(draws_z: F64, age_years: F64, cfg: CreditScore) -> F64:
    """Scores whose marginal follows the published bands, rising with age as ``cfg.age_shift`` says."""
    u = score_quantiles(draws_z, age_years, cfg.age_shift)
    cum = np.concatenate(([0.0], np.cumsum(cfg.shares)))
    out: F64 = np.clip(np.floor(interp(u, cum / cum[-1], cfg.edges)), SCORE_MIN, SCORE_MAX)
    return out


__all__ = ["AgeShift", "CreditScore", "age_shift", "credit_scores", "score_quantiles"]
