"""The counter-based draws, seeds and unique ids."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from persona_kit import SeedError
from persona_kit.engine.draws import Draws, cumulative, mix64_int, normal_cdf, row_keys
from persona_kit.engine.ids import ID_SPACE, permute40
from persona_kit.engine.seeds import SEED_MAX, check_index, parse_seed, seed_key


def test_mix64_matches_reference_splitmix64() -> None:
    # SplitMix64 with state 0 emits 0xE220A8397B1DCDAF first (Vigna's reference C code):
    # the generator adds the golden gamma, then applies the finaliser we implement.
    assert mix64_int(0x9E3779B97F4A7C15) == 0xE220A8397B1DCDAF


def test_array_and_scalar_mix_agree() -> None:
    values = [0, 1, 2**63, SEED_MAX, 123456789]
    arr = row_keys(0, np.asarray(values, dtype=np.uint64))
    golden = np.uint64(0x9E3779B97F4A7C15)
    expected = [mix64_int((v * int(golden)) & SEED_MAX) for v in values]
    assert arr.tolist() == expected


def test_draws_are_pure_functions_of_key_and_field() -> None:
    keys = row_keys(seed_key(7), np.arange(1000, dtype=np.uint64))
    a = Draws(keys).uniform("x")
    b = Draws(keys[500:]).uniform("x")  # a sub-batch gives the same values
    assert np.array_equal(a[500:], b)
    assert not np.array_equal(Draws(keys).uniform("x"), Draws(keys).uniform("y"))


def test_uniform_is_uniform_enough() -> None:
    u = Draws(row_keys(seed_key(1), np.arange(200_000, dtype=np.uint64))).uniform("u")
    assert 0.0 <= u.min() and u.max() < 1.0
    hist = np.histogram(u, bins=20, range=(0, 1))[0] / u.size
    assert np.abs(hist - 0.05).max() < 0.003


def test_normal_and_weighted_match_their_distributions() -> None:
    d = Draws(row_keys(seed_key(2), np.arange(200_000, dtype=np.uint64)))
    z = d.normal("z")
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    cum = cumulative([1, 2, 7])
    counts = np.bincount(d.weighted("w", cum), minlength=3) / 200_000
    assert np.allclose(counts, [0.1, 0.2, 0.7], atol=0.005)
    lam = 3.0
    k = d.poisson("p", lam, 30)
    assert abs(k.mean() - lam) < 0.03 and abs(k.var() - lam) < 0.06


def test_normal_cdf_approximation_error() -> None:
    import math

    z = np.linspace(-6, 6, 2001)
    exact = np.asarray([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in z])
    assert np.abs(normal_cdf(z) - exact).max() < 2e-4


def test_cumulative_rejects_bad_weights() -> None:
    for bad in ([], [0, 0], [1, -1]):
        with pytest.raises(ValueError, match="weights"):
            cumulative(bad)


def test_permute40_is_a_bijection_on_a_large_slice() -> None:
    values = np.arange(1_000_000, dtype=np.uint64) * np.uint64(1_000_003) % np.uint64(ID_SPACE)
    out = permute40(values, seed_key(5), "policy")
    assert np.unique(out).size == values.size
    assert int(out.max()) < ID_SPACE
    assert not np.array_equal(out, permute40(values, seed_key(6), "policy"))


@given(st.integers(min_value=0, max_value=SEED_MAX))
def test_integer_seeds_are_accepted(seed: int) -> None:
    assert 0 <= seed_key(seed) <= SEED_MAX


def test_string_seed_digest_is_stable() -> None:
    # Frozen values: the documented BLAKE2b mapping must never drift between releases.
    assert seed_key("session-abc") == seed_key("session-abc")
    assert seed_key("session-abc") != seed_key("session-abd")
    assert seed_key("demo-session") == 0xD1A8260685ABDD78


@pytest.mark.parametrize(
    ("seed", "value"),
    [(42, 42), ("42", 42), ("0042", 42), ("0", 0), (str(SEED_MAX), SEED_MAX), ("0" * 50 + "7", 7),
     ("ws-42", "ws-42"), ("3.5", "3.5"), ("-1", "-1"), ("1e6", "1e6"), (" 42", " 42"), ("٤٢", "٤٢"), ("x", "x")],
)  # fmt: skip
def test_the_seed_rule(seed: object, value: object) -> None:
    """An int is that integer; ASCII digits mean that integer; any other non-blank text is a text seed."""
    assert parse_seed(seed) == value
    assert type(parse_seed(seed)) is type(value)
    assert seed_key(seed) == seed_key(value)


def test_digit_strings_and_integers_are_the_same_seed_and_text_is_not() -> None:
    assert seed_key("42") == seed_key(42) != seed_key("ws-42")
    assert seed_key("3.5") != seed_key(3) and seed_key("-1") != seed_key(1)


BAD_SEEDS = [-1, SEED_MAX + 1, 1.5, True, None, b"bytes", [1], 2.0]
BAD_SEEDS += ["", "   ", "\n", str(SEED_MAX + 1), "9" * 5000, 10**5000]


@pytest.mark.parametrize("bad", BAD_SEEDS, ids=[type(b).__name__ + str(i) for i, b in enumerate(BAD_SEEDS)])
def test_bad_seeds_are_refused_with_a_clear_error(bad: object) -> None:
    rule = r"^seed must be an integer from 0 to 2\*\*64-1, a string of ASCII digits"
    with pytest.raises(SeedError, match=rule) as info:
        parse_seed(bad)
    assert len(str(info.value)) < 300
    with pytest.raises(SeedError):
        seed_key(bad)


@pytest.mark.parametrize("bad", [-1, 1 << 35, 1.0, True, "3"])
def test_bad_indices_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="index must be an integer"):
        check_index(bad)


def test_normal_ppf_inverts_the_cdf() -> None:
    import math

    from persona_kit.engine.draws import normal_ppf

    p = np.linspace(1e-9, 1 - 1e-9, 20001)
    back = np.asarray([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in normal_ppf(p)])
    assert np.abs(back - p).max() < 1e-8


def test_sorted_spacings_are_bitwise_independent_of_the_batch() -> None:
    from persona_kit.engine.batch import ChildRows

    keys = row_keys(seed_key(3), np.arange(50_000, dtype=np.uint64))
    counts = Draws(keys).integers("n", 0, 15)
    tail = Draws(keys).uniform("tail") + 0.5
    whole = ChildRows.from_counts(keys, "t", counts)
    frac_whole = whole.sorted_spacings(whole.draws(), "x", tail)
    lo = 49_990
    part = ChildRows.from_counts(keys[lo:], "t", counts[lo:])
    frac_part = part.sorted_spacings(part.draws(), "x", tail[lo:])
    assert np.array_equal(frac_whole[whole.offsets[lo] :], frac_part)  # exact, not approximate
    assert ((frac_whole > 0) & (frac_whole < 1)).all()
    assert (np.diff(frac_whole)[np.diff(whole.parent) == 0] >= 0).all()


def _all_draws(d: Draws) -> list[np.ndarray]:
    cum = cumulative([0.5, 0.0, 3, 1, 1e-6, 2])
    return [
        d.bits("b"),
        d.uniform("u"),
        d.integers("i", -3, 9_999),
        d.normal("z"),
        d.lognormal("l", 50.0, 0.7),
        d.weighted("w", cum),
        d.poisson("p", 2.5, 12),
        d.poisson("pa", np.linspace(0.1, 9, len(d)), 12),
    ]


def test_tiny_batches_take_the_python_path_and_give_the_same_values() -> None:
    keys = row_keys(seed_key(17), np.arange(3000, dtype=np.uint64))
    whole = _all_draws(Draws(keys))
    for lo in (0, 5, 1234, 2992):
        for size in (1, 3, 8):
            part = _all_draws(Draws(keys[lo : lo + size]))
            for name, (w, p) in enumerate(zip(whole[:-1], part[:-1], strict=True)):
                assert np.array_equal(w[lo : lo + size], p), (name, lo, size)


def test_alias_draws_follow_skewed_weights_and_never_pick_zero_weight() -> None:
    n = 400_000
    weights = np.asarray([0.5, 0.0, 3, 1, 1e-3, 2, 0.25])  # 7 categories: one padding column
    d = Draws(row_keys(seed_key(4), np.arange(n, dtype=np.uint64)))
    picks = d.weighted("w", cumulative(weights))
    counts = np.bincount(picks, minlength=weights.size)
    assert counts.size == weights.size and counts[1] == 0
    expected = weights / weights.sum() * n
    seen = expected > 0
    chi2 = float((((counts - expected) ** 2)[seen] / expected[seen]).sum())
    assert chi2 < 25  # 5 degrees of freedom: p < 1e-4 of exceeding by chance
    assert (d.weighted("one", cumulative([3.0])) == 0).all()


def test_table_normals_match_the_exact_quantile_function() -> None:
    from persona_kit.engine.draws import normal_ppf

    d = Draws(row_keys(seed_key(8), np.arange(500_000, dtype=np.uint64)))
    z = d.normal("z")
    bits = d.bits("z#1")
    p = ((bits >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53
    assert np.abs(z - normal_ppf(p)).max() < 3e-4
    assert np.isfinite(z).all() and abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    tails = np.abs(z) > 3.8  # the exactly computed outer cells
    assert tails.any() and np.abs(z[tails] - normal_ppf(p[tails])).max() < 1e-6


def test_integers_cover_the_inclusive_range_and_refuse_a_bad_span() -> None:
    d = Draws(row_keys(seed_key(3), np.arange(100_000, dtype=np.uint64)))
    k = d.integers("k", 1000, 1009)
    assert k.min() == 1000 and k.max() == 1009
    assert np.allclose(np.bincount(k - 1000) / k.size, 0.1, atol=0.005)
    with pytest.raises(ValueError, match="integers needs"):
        d.integers("k", 5, 4)


def test_scalar_and_array_poisson_rates_agree_and_respect_the_cap() -> None:
    d = Draws(row_keys(seed_key(6), np.arange(200_000, dtype=np.uint64)))
    a = d.poisson("p", 4.0, 9)
    b = d.poisson("p", np.full(200_000, 4.0), 9)
    assert a.max() <= 9 and b.max() <= 9
    assert abs(a.mean() - b.mean()) < 0.03
    assert np.allclose(np.bincount(a, minlength=10) / a.size, np.bincount(b, minlength=10) / b.size, atol=0.004)


def test_methods_on_one_field_name_are_independent() -> None:
    # A uniform and a normal drawn under the same name must not share a word (a mortgage flag and its amount).
    d = Draws(row_keys(seed_key(12), np.arange(200_000, dtype=np.uint64)))
    u, z = d.uniform("housing"), d.normal("housing")
    assert abs(np.corrcoef(u, z)[0, 1]) < 0.01
    assert abs(z[u < 0.3].mean()) < 0.02
