"""Populations follow the published statistics they are calibrated to; identifiers stay fake and unique."""

from __future__ import annotations

import datetime as dt
import re
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
    # Recurring payments plus everyday spending; the everyday count is capped.
    assert 1 <= per.min() and per.max() <= 70 and 15 < per.mean() < 35


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


# --- money that fits the life (issue 12) ------------------------------------------------

M = 40_000


@cache
def money(locale: str = "en_US") -> Population:
    return generate_population("banking", M, 12, locale=locale)


def _debits_by_persona(p: Population) -> pd.Series:
    t = p.tables["recent_transactions"]
    spent = -t.loc[t["amount"] < 0].groupby("persona_index")["amount"].sum()
    return spent.reindex(p.personas["persona_index"], fill_value=0.0)


def test_rent_median_matches_acs() -> None:
    cfg = industry_stats("banking")["housing"]
    t = money().tables["recent_transactions"]
    rent = -t.loc[t["description"].astype(str).str.startswith("Rent - "), "amount"]
    mortgage = -t.loc[t["description"].astype(str).str.startswith("Mortgage - "), "amount"]
    # ACS 2023 median gross rent $1,406 and ACS 2024 median owner costs with a mortgage $2,035, within 4%.
    assert abs(rent.median() / cfg["rent"]["median_usd"] - 1) < 0.04, rent.median()
    assert abs(mortgage.median() / cfg["mortgage"]["median_usd"] - 1) < 0.04, mortgage.median()
    assert (t["category"] == "Housing").any()


@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "ja_JP"])
def test_rent_uses_the_local_statistic(locale: str) -> None:
    local = industry_stats("banking")["housing"]["rent"]["local_median"][locale]["value"]
    t = generate_population("banking", 20_000, 12, locale=locale).tables["recent_transactions"]
    rent = -t.loc[(t["category"] == "Housing") & (t["merchant_category"] == "6513"), "amount"]
    # ONS PIPR 2025 (GB), Zensus 2022 plus stated assumptions (DE), 住宅・土地統計調査 2018 (JP), within 4%.
    assert abs(rent.median() / local - 1) < 0.04, (locale, rent.median(), local)


def test_tenure_follows_age_and_mortgage_share_matches_acs() -> None:
    cfg = industry_stats("banking")["housing"]
    p = money()
    t = p.tables["recent_transactions"]
    desc = t["description"].astype(str)
    renters = set(t.loc[desc.str.startswith("Rent - "), "persona_index"])
    mortgaged = set(t.loc[desc.str.startswith("Mortgage - "), "persona_index"])
    assert not renters & mortgaged  # one home each
    age = p.personas.set_index("persona_index")["age"]
    young, old = age[age < 35].index, age[age >= 65].index
    # A monthly payment lands in a 30-day window about 30/30.4 of the time.
    seen = 30 / (365.2425 / 12)
    share_young = len(renters & set(young)) / len(young) / seen
    share_old = len(renters & set(old)) / len(old) / seen
    assert abs(share_young - (1 - cfg["owner_share"][0])) < 0.03, share_young  # HVS: 63.7% of under-35s rent
    assert abs(share_old - (1 - cfg["owner_share"][-1])) < 0.03, share_old  # HVS: 20.5% of over-65s rent
    owners = len(age) * seen - len(renters)
    assert abs(len(mortgaged) / owners - 0.597) < 0.06  # ACS 2024: 59.7% of owned homes have a mortgage


def test_spending_by_age_follows_ce_and_peaks_mid_life() -> None:
    cfg = industry_stats("banking")["spending"]
    p = money()
    spent = _debits_by_persona(p)
    age = p.personas["age"].to_numpy()
    edges, target = cfg["age_edges"], np.asarray(cfg["mean_annual_usd"], dtype=float)
    means = np.asarray([spent.to_numpy()[(age >= lo) & (age < hi)].mean() for lo, hi in pairwise(edges)])
    # Shape against BLS CE 2022 means by age of reference person: each band within 5% of its relative level.
    assert np.abs((means / means.mean()) / (target / target.mean()) - 1).max() < 0.05, means
    assert int(np.argmax(means)) == 3  # 45-54
    assert means[3] > 1.8 * means[0] and means[3] > 1.5 * means[-1]


def test_spending_rises_with_income() -> None:
    p = money()
    t = p.tables["recent_transactions"]
    pay = t.loc[t["description"].astype(str).str.startswith(("Payroll", "Direct Deposit"))]
    monthly_pay = pay.groupby("persona_index")["amount"].sum()
    spent = _debits_by_persona(p).reindex(monthly_pay.index)
    quintile = pd.qcut(monthly_pay.rank(method="first"), 5, labels=False)
    by_q = spent.groupby(quintile).mean().to_numpy()
    # CE: spending rises with every income quintile, far less than proportionally.
    assert (np.diff(by_q) > 0).all(), by_q
    assert 1.8 < by_q[-1] / by_q[0] < 6, by_q


def test_recurring_payments_recur_with_the_same_payee_and_a_plausible_interval() -> None:
    t = money().tables["recent_transactions"]
    desc = t["description"].astype(str)
    pay = t.loc[desc.str.startswith(("Payroll", "Direct Deposit"))]
    gaps = pay.groupby("persona_index")["date"].apply(lambda d: d.sort_values().diff().dt.days.dropna().tolist())
    gaps = pd.Series([g for row in gaps for g in row])
    # Weekly, biweekly, semimonthly (15th and month end: 13-17 days) or monthly pay.
    assert gaps.isin([7, 14]).mean() > 0.6
    assert gaps.between(7, 31).all(), gaps.value_counts().head()
    per_payee = pay.groupby("persona_index")["description"].nunique()
    assert (per_payee == 1).all()
    amounts = pay.groupby("persona_index")["amount"].nunique()
    assert (amounts == 1).all()  # the same net pay each period
    # A window that holds two days of the month of the 1st-3rd: Feb 1 to Mar 3, 2026.
    early = generate_population("banking", 20_000, 12, as_of=dt.date(2026, 3, 3)).tables["recent_transactions"]
    for category in ("Subscriptions", "Housing", "Utilities"):
        rows = early.loc[early["category"] == category]
        twice = rows.groupby(["persona_index", "description"], observed=True)["date"].agg(["count", "min", "max"])
        twice = twice[twice["count"] == 2]
        assert len(twice) > 100, category
        assert (twice["max"] - twice["min"]).dt.days.eq(28).all(), category  # the same day next month
    fixed = early.loc[early["category"].isin(["Subscriptions", "Housing"])]
    assert (fixed.groupby(["persona_index", "description"], observed=True)["amount"].nunique() == 1).all()
    rent = t.loc[desc.str.startswith("Rent - ")]
    assert rent["date"].dt.day.between(1, 5).all()
    ssa = t.loc[desc == "Social Security Benefit", "date"]
    assert len(ssa) > 1000
    assert (ssa.dt.day_of_week == 2).all() and ssa.dt.day.between(8, 28).all()  # 2nd-4th Wednesday


@pytest.mark.parametrize("locale", ["ja_JP", "de_DE", "fr_FR", "en_GB"])
def test_merchants_are_local(locale: str) -> None:
    t = generate_population("banking", 3000, 5, locale=locale).tables["recent_transactions"]
    names = set(t["description"].astype(str))
    us = set(industry_stats("banking")["merchants"]["en_US"]["Groceries"])
    assert not names & us
    if locale == "ja_JP":
        assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", n) for n in names), sorted(names)[:5]


# --- real places (issue 12) --------------------------------------------------------------

US_ZONES = {
    "0": "CT MA ME NH NJ NY PR RI VT VI", "1": "DE NY PA", "2": "DC MD NC SC VA WV", "3": "AL FL GA MS TN",
    "4": "IN KY MI OH", "5": "IA MN MT ND SD WI", "6": "IL KS MO NE", "7": "AR LA OK TX",
    "8": "AZ CO ID NM NV UT WY", "9": "AK CA HI OR WA",
}  # fmt: skip
DE_ZONES = {
    "0": "Sachsen Sachsen-Anhalt Thüringen Brandenburg",
    "1": "Berlin Brandenburg Mecklenburg-Vorpommern Niedersachsen",
    "2": "Hamburg Schleswig-Holstein Niedersachsen Bremen Mecklenburg-Vorpommern Sachsen-Anhalt",
    "3": "Niedersachsen Hessen Nordrhein-Westfalen Sachsen-Anhalt Thüringen",
    "4": "Nordrhein-Westfalen Niedersachsen", "5": "Nordrhein-Westfalen Rheinland-Pfalz Hessen",
    "6": "Hessen Rheinland-Pfalz Saarland Baden-Württemberg Bayern",
    "7": "Baden-Württemberg Bayern Rheinland-Pfalz", "8": "Bayern Baden-Württemberg",
    "9": "Bayern Thüringen Sachsen Baden-Württemberg Hessen",
}  # fmt: skip
# Japan Post's first postcode digit by region (with the few cross-prefecture codes of the snapshot).
JP_ZONES = {
    "0": "北海道 青森県 岩手県 秋田県", "1": "東京都", "2": "東京都 神奈川県 千葉県",
    "3": "茨城県 栃木県 群馬県 埼玉県 長野県 新潟県", "4": "山梨県 静岡県 愛知県 岐阜県",
    "5": "岐阜県 三重県 滋賀県 大阪府 京都府", "6": "京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県",
    "7": "岡山県 広島県 山口県 香川県 徳島県 高知県 愛媛県", "8": "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県",
    "9": "沖縄県 福井県 石川県 富山県 新潟県 福島県 宮城県 山形県",
}  # fmt: skip


def _postcode_fits_region(locale: str, postcode: str, region: str, region_code: str) -> bool:
    """An independent check of each locale's postal geography (not the snapshot's own rows)."""
    if locale == "en_US":
        return region in US_ZONES[postcode[0]].split()
    if locale == "de_DE":
        return region in DE_ZONES[postcode[0]].split()
    if locale == "fr_FR":
        return postcode[:2] == ("20" if region_code in {"2A", "2B"} else region_code[:2])
    if locale == "ja_JP":
        return region in JP_ZONES[postcode[0]].split()
    area = re.match(r"[A-Z]+", postcode)
    only_in = {"NIR": {"BT"}, "WLS": {"CF", "LL", "SA"}, "SCT": {"AB", "DD", "EH", "FK", "G", "HS", "IV", "KA",
               "KW", "KY", "ML", "PA", "PH", "ZE"}}  # fmt: skip
    home = next((nation for nation, areas in only_in.items() if area and area.group() in areas), None)
    return home is None or home == region_code


@pytest.mark.parametrize("locale", supported_locales())
def test_addresses_are_real_places_with_coherent_postcodes(locale: str) -> None:
    from persona_kit.places import places

    snap = places(locale)
    rows = {(p.city, p.region, p.postcode): p.region_code for p in snap.places}
    towns = {(p.city, p.region) for p in snap.places}
    persons = generate_population("banking", 5000, 9, locale=locale).personas
    columns = (persons[c].astype(str) for c in ("city", "region", "postcode"))
    triples = list(zip(*columns, strict=True))
    assert all((c, r) in towns for c, r, _ in triples)  # a real town of the snapshot, in its real region
    assert all(t in rows for t in triples)  # and a postcode of that town
    fits = [_postcode_fits_region(locale, pc, r, rows[(c, r, pc)]) for c, r, pc in triples]
    assert all(fits), [t for t, ok in zip(triples, fits, strict=True) if not ok][:5]
    # Weighted by population: the five heaviest towns are drawn as often as their weight says (4 sigma).
    weight = pd.Series([p.weight for p in snap.places], index=[(p.city, p.region) for p in snap.places])
    expected = weight.groupby(level=0).sum() / weight.sum()
    observed = pd.Series([(c, r) for c, r, _ in triples]).value_counts(normalize=True)
    for town, share in expected.nlargest(5).items():
        assert abs(observed.get(town, 0.0) - share) < 4 * np.sqrt(share * (1 - share) / len(triples)) + 0.002, town
    assert persons["street"].astype(str).str.len().min() > 3


def test_address_is_written_in_the_locales_order() -> None:
    from persona_kit import generate_persona
    from persona_kit.facts import persona_facts

    def line(locale: str) -> str:
        p = generate_persona("banking", 4, locale=locale)
        return next(f.text for f in persona_facts(p) if f.field == "identity.address")

    us, de, jp = line("en_US"), line("de_DE"), line("ja_JP")
    assert re.fullmatch(r"\d+ .+, .+, [A-Z]{2} \d{5}, US", us), us
    assert re.fullmatch(r".+ \d+, \d{5} .+, DE", de), de
    assert re.fullmatch(r"〒\d{3}-\d{4} \S+[都道府県]\S+, JP", jp), jp


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
