"""Populations follow the published statistics they are calibrated to; identifiers stay fake and unique."""

from __future__ import annotations

import datetime as dt
from functools import cache
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest

from persona_kit import Population, generate_population, supported_locales
from persona_kit.data import industry_stats, locales, population_stats
from persona_kit.industries.banking.credit import CreditScore, credit_scores

N = 60_000


@cache
def pop(mode: str, locale: str = "en_US") -> Population:
    return generate_population(mode, N, 2026, locale=locale)


def _band_shares(values: pd.Series, edges: list[float]) -> np.ndarray:
    counts = np.histogram(values, bins=edges)[0]
    return counts / counts.sum()


def test_age_matches_census_bands() -> None:
    age = population_stats().age
    shares = _band_shares(pop("banking").personas["age"], age.edges)
    assert np.abs(shares - np.asarray(age.shares)).max() < 0.01


def test_credit_scores_match_experian_bands_and_fico_mean() -> None:
    # Experian, FICO Score 8 by range, March 2025; mean: FICO, April 2025 (715).
    cfg = industry_stats("banking")["credit_score"]
    score = pop("banking").personas["credit_score"]
    published = cfg["published_bands"]
    assert np.abs(_band_shares(score, published["edges"]) - np.asarray(published["shares"])).max() < 0.01
    # The sub-bands (our split of the published bands) are followed too, so the mean lands near 715.
    assert np.abs(_band_shares(score, cfg["edges"]) - np.asarray(cfg["shares"])).max() < 0.01
    assert abs(score.mean() - cfg["mean_target"]) < 3
    assert score.between(300, 850).all()


def test_credit_scores_rise_by_generation_as_experian_reports() -> None:
    # Experian, average FICO Score 8 by generation, Q3 2023: 680, 690, 709, 745, 760.
    gen = industry_stats("banking")["credit_score"]["by_generation"]
    p = pop("banking").personas
    edges = gen["age_edges"]
    means = np.asarray([p.loc[(p["age"] >= lo) & (p["age"] < hi), "credit_score"].mean() for lo, hi in pairwise(edges)])
    target = np.asarray(gen["mean"], dtype=float)
    assert np.abs(means - target).max() < 5, means.round(1)
    # The gaps between generations (10, 19, 36, 15 points) within 4 points each.
    assert np.abs(np.diff(means) - np.diff(target)).max() < 4, np.diff(means).round(1)
    assert p["credit_score"].corr(p["age"]) > 0.2


@pytest.mark.parametrize("shift", [[0.0, 0.0], [-2.0, 2.0], [1.5, -1.5]])
def test_credit_score_marginal_holds_whatever_the_age_effect(shift: list[float]) -> None:
    # The latent age shift only reorders who gets which score: the bands stay the published ones.
    raw = industry_stats("banking")["credit_score"]
    cfg = CreditScore.model_validate({**raw, "age_shift": {"ages": [25, 70], "shift": shift}})
    # Ages follow the census bands, as the generator's do (the latent CDF is the census mixture).
    rng = np.random.default_rng(5)
    bands = population_stats().age
    k = rng.choice(len(bands.shares), size=200_000, p=np.asarray(bands.shares) / sum(bands.shares))
    age = np.asarray(bands.edges[:-1])[k] + rng.uniform(size=k.size) * np.diff(bands.edges)[k]
    score = credit_scores(rng.standard_normal(age.size), age, cfg)
    shares = np.histogram(score, bins=cfg.edges)[0] / score.size
    assert np.abs(shares - np.asarray(cfg.shares)).max() < 0.01
    gap = score[age >= 65].mean() - score[age < 35].mean()
    if shift[1] == shift[0]:
        assert abs(gap) < 5
    else:
        assert np.sign(gap) == np.sign(shift[1] - shift[0]) and abs(gap) > 50


def test_credit_score_config_errors_name_the_problem() -> None:
    raw = industry_stats("banking")["credit_score"]
    with pytest.raises(ValueError, match="edges must run from 300"):
        CreditScore.model_validate({**raw, "edges": [0, *raw["edges"][1:]]})
    with pytest.raises(ValueError, match="increasing ages"):
        CreditScore.model_validate({**raw, "age_shift": {"ages": [50, 30], "shift": [0.0, 0.0]}})


def test_balances_match_scf_medians_by_age() -> None:
    # Fed SCF 2022 transaction-account medians among holders: 5.4k, 7.5k, 8.7k, 8.0k, 13.4k, 10.0k.
    cfg = industry_stats("banking")["transaction_accounts"]
    p = pop("banking").personas
    total = p["checking_balance"] + p["savings_balance"]
    edges = cfg["age_edges"]
    for lo, hi, median in zip(edges[:-1], edges[1:], cfg["median_usd"], strict=True):
        band = total[(p["age"] >= lo) & (p["age"] < hi)]
        assert abs(band.median() / median - 1) < 0.05, (lo, hi, band.median(), median)


def test_balances_skewed_and_growing_with_age() -> None:
    p = pop("banking").personas
    young = p[p["age"] < 35]
    old = p[(p["age"] >= 65) & (p["age"] < 75)]
    # Medians follow SCF 2022: transaction accounts $5,400 under 35 vs $13,400 at 65-74.
    total_young = (young["checking_balance"] + young["savings_balance"]).median()
    total_old = (old["checking_balance"] + old["savings_balance"]).median()
    assert total_old > 1.8 * total_young
    assert p["savings_balance"].mean() > 1.5 * p["savings_balance"].median()  # right-skewed, not uniform
    tenure = (p["as_of"] - p["member_since"]).dt.days
    assert tenure.corr(p["age"]) > 0.3


def test_credit_use_falls_with_score() -> None:
    p = pop("banking").personas
    util = p["credit_used"] / p["credit_limit"]
    assert util[p["credit_score"] >= 800].mean() < 0.15 < util[p["credit_score"] < 580].mean()
    assert (p["credit_used"] <= p["credit_limit"]).all()


def test_transactions_within_window_and_signed() -> None:
    t = pop("banking").tables["recent_transactions"]
    income = t["category"] == "Income"
    assert (t.loc[income, "amount"] > 0).all() and (t.loc[~income, "amount"] < 0).all()
    per = t.groupby("persona_index").size()
    assert 3 <= per.min() and per.max() <= 15 and 7 < per.mean() < 9


def test_plan_types_match_kff_2024() -> None:
    # KFF EHBS 2024: PPO 48%, HDHP/SO 27%, HMO 13%, POS 11% (1% conventional left out, shares renormalised).
    cfg = industry_stats("healthcare")["plan_types"]
    p = pop("healthcare").personas
    shares = p["plan_type"].value_counts(normalize=True).reindex(cfg["names"]).to_numpy()
    target = np.asarray(cfg["shares"]) / sum(cfg["shares"])
    assert np.abs(shares - target).max() < 0.01


def test_deductibles_average_kff_2024_and_hdhp_is_highest() -> None:
    # KFF EHBS 2024: average single deductible $1,787 among covered workers with a deductible.
    cfg = industry_stats("healthcare")
    p = pop("healthcare").personas
    assert abs(p["deductible"].mean() / cfg["deductible"]["mean_target_usd"] - 1) < 0.03, p["deductible"].mean()
    by_plan = p.groupby("plan_type", observed=True)["deductible"].mean()
    assert by_plan["HDHP"] > max(by_plan["PPO"], by_plan["HMO"], by_plan["POS"])
    # An HSA-qualified HDHP needs at least the IRS minimum deductible ($1,600 self-only, 2024).
    assert p.loc[p["plan_type"] == "HDHP", "deductible"].min() >= 1600
    # The ACA self-only limit of the plan year: $10,600 for 2026 (the default as_of, 2026-07-01).
    assert (p["out_of_pocket_max"] <= 10_600).all() and (p["out_of_pocket_max"] > 9_450).any()
    assert (p["out_of_pocket_max"] >= p["deductible"]).all()


def test_prescriptions_rise_with_age() -> None:
    h = pop("healthcare")
    counts = h.tables["active_prescriptions"].groupby("persona_index").size()
    per = h.personas.set_index("persona_index")["age"].to_frame().join(counts.rename("n")).fillna(0)
    assert per[per["age"] >= 65]["n"].mean() > 2 * per[per["age"] < 45]["n"].mean()


def test_claims_go_with_risk() -> None:
    i = pop("insurance")
    claims = i.tables["claims_history"].groupby("persona_index").size()
    p = i.personas.set_index("persona_index").join(claims.rename("claims")).fillna({"claims": 0})
    assert p["risk_points"].corr(p["claims"]) > 0.3
    assert p.loc[p["claims"] == 0, "risk_points"].max() <= 60


def test_ids_unique_within_population() -> None:
    i = pop("insurance")
    assert i.tables["active_policies"]["policy_number"].is_unique
    assert i.tables["claims_history"]["claim_id"].is_unique
    assert pop("healthcare").personas["member_id"].is_unique


PHONE_PATTERNS = {
    "en_US": r"^\(\d{3}\) 555-01\d{2}$",
    "en_GB": r"^(020 7946 0\d{3}|0113 496 0\d{3}|0161 496 0\d{3}|07700 900\d{3})$",
    "de_DE": r"^(030 23125|069 90009|040 66969|0221 4710|089 99998) \d{3}$",
    "fr_FR": r"^0[16] (99 00|39 98) \d{2} \d{2}$",
    "ja_JP": r"^03-1\d{3}-\d{4}$",
}


@pytest.mark.parametrize("locale", supported_locales())
def test_contacts_are_fictional(locale: str) -> None:
    p = generate_population("banking", 5000, 3, locale=locale).personas
    assert p["email"].str.fullmatch(r"[a-z0-9._]+@example\.(com|net|org)").all()
    assert p["phone"].str.fullmatch(PHONE_PATTERNS[locale]).all(), p["phone"].head().tolist()
    assert (p["currency"] == locales()[locale].currency).all()


def test_non_latin_locale_names_and_amounts() -> None:
    p = generate_population("banking", 2000, 3, locale="ja_JP").personas
    assert p["last_name"].astype(str).str.contains(r"[\u3040-\u30ff\u4e00-\u9fff]").all()
    assert (p["checking_balance"] == p["checking_balance"].round(0)).all()  # yen have no minor unit


# --- telecom ------------------------------------------------------------------------------------------

# Published monthly mobile data per locale: (mean GB, median GB or None where only a mean is published).
# US Mobile 2026 (14.5 median, 23.6 mean), Ofcom-based assumption for the UK (12), BNetzA 2023 (7.2),
# ARCEP 2023 (14.3), MM Research 2023 (3 median, 10.33 mean); see data/stats/telecom.json.
TELECOM_USAGE = {
    "en_US": (23.6, 14.5),
    "en_GB": (12.0, None),
    "de_DE": (7.2, None),
    "fr_FR": (14.3, None),
    "ja_JP": (10.33, 3.0),
}


@pytest.mark.parametrize("locale", sorted(TELECOM_USAGE))
def test_telecom_monthly_usage_matches_published_figures(locale: str) -> None:
    p = generate_population("telecom", 30_000, 2026, locale=locale).personas
    cycle_days = (p["cycle_end"] - p["cycle_start"]).dt.days + 1
    elapsed = ((p["as_of"] - p["cycle_start"]).dt.days + 1) / cycle_days
    # Usage so far scales the month's need by the share of the cycle gone; late in the cycle it is
    # the monthly figure within a 0.1 GB rounding and a small day-to-day noise.
    late = elapsed >= 0.5
    monthly = (p["data_used_gb"] / elapsed)[late]
    mean, median = TELECOM_USAGE[locale]
    assert abs(monthly.mean() / mean - 1) < 0.06, (monthly.mean(), mean)
    if median is not None:
        assert abs(monthly.median() / median - 1) < 0.06, (monthly.median(), median)
    # The age effect: under-30s use far more than over-60s (Finnish operator ratios, shrunk).
    age = p.loc[late, "age"]
    assert monthly[age < 30].median() > 2 * monthly[age >= 60].median()


def test_home_policies_follow_homeownership_by_age() -> None:
    # Census CPS/HVS 2023 homeownership by age of householder: 38%, 62%, 70%, 75%, 79%.
    cfg = industry_stats("insurance")["home_ownership"]
    i = pop("insurance")
    policies = i.tables["active_policies"]
    has_home = i.personas["persona_index"].isin(policies.loc[policies["type"] == "Home", "persona_index"])
    age = i.personas["age"]
    edges = cfg["age_edges"]
    for (lo, hi), rate in zip(pairwise(edges), cfg["rate"], strict=True):
        band = has_home[(age >= lo) & (age < hi)]
        assert abs(band.mean() - rate) < 0.02, (lo, hi, band.mean(), rate)


@pytest.mark.parametrize(
    ("as_of", "cap"), [(dt.date(2024, 3, 1), 9450), (dt.date(2025, 12, 31), 9200), (dt.date(2031, 1, 1), 12000)]
)
def test_out_of_pocket_cap_follows_the_plan_year(as_of: dt.date, cap: int) -> None:
    p = generate_population("healthcare", 5000, 11, as_of=as_of).personas
    assert p["out_of_pocket_max"].max() == cap
