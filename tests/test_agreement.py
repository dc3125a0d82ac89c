"""Agreement statistics reproduce every published worked example in ../shared/irr_reference.json, and
Cohen's κ agrees with scikit-learn on any labels."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement import (brennan_prediger, cohen, confusion, fleiss, fleiss_from_counts, gwet_ac1, gwet_ac1_two,
                                krippendorff_alpha, nvivo, segment_agreement, segment_summary, unitized, weighted_cohen)

from conftest import REPO

REFERENCE = REPO.parent / "shared" / "irr_reference.json"
PUBLISHED, COMPUTED = 5e-4, 1e-6  # the file's own tolerances: published values are rounded to 3 dp


@pytest.fixture(scope="module")
def reference() -> dict:
    if not REFERENCE.is_file():
        pytest.skip(f"agreement reference values not found at {REFERENCE}")
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def units(case: dict) -> list[list]:
    """The file's coders × units, as units × coders."""
    return [list(unit) for unit in zip(*case["reliability_data"])]


def test_krippendorff_alpha_on_krippendorffs_own_examples(reference):
    assert krippendorff_alpha(units(reference["krippendorff_2011_A_binary_2coders"])) == pytest.approx(0.095238, abs=COMPUTED)
    assert krippendorff_alpha(units(reference["krippendorff_2011_B_nominal_2coders"])) == pytest.approx(0.691964, abs=COMPUTED)
    case = reference["krippendorff_2011_C_4coders_missing"]
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(units(case), level) == pytest.approx(case["computed"][f"alpha_{level}"], abs=COMPUTED)
        assert krippendorff_alpha(units(case), level) == pytest.approx(case["expected"][f"alpha_{level}"], abs=PUBLISHED)
    wikipedia = reference["wikipedia_krippendorff_3coders_15units"]
    for level in ("nominal", "interval"):
        assert krippendorff_alpha(units(wikipedia), level) == pytest.approx(wikipedia["computed"][f"alpha_{level}"], abs=COMPUTED)


def test_gwet_ac1_and_fleiss_with_missing_values(reference):
    case = reference["krippendorff_2011_C_4coders_missing"]
    ac1 = gwet_ac1(units(case))
    assert (ac1.observed, ac1.chance, ac1.value) == pytest.approx((0.818182, 0.190321, 0.775444), abs=COMPUTED)
    assert ac1.value == pytest.approx(case["expected"]["gwet_ac1"], abs=PUBLISHED)
    assert fleiss(units(case)).value == pytest.approx(0.761169, abs=COMPUTED)


def test_fleiss_kappa_on_fleiss_1971_and_wikipedia(reference):
    diagnoses = reference["fleiss_1971_diagnoses_30subjects_6raters"]
    assert fleiss(diagnoses["ratings"]).value == pytest.approx(diagnoses["expected"]["fleiss_kappa_R_irr"], abs=COMPUTED)
    assert krippendorff_alpha(diagnoses["ratings"]) == pytest.approx(diagnoses["computed"]["krippendorff_alpha_nominal"], abs=1e-5)
    assert gwet_ac1(diagnoses["ratings"]).value == pytest.approx(diagnoses["computed"]["gwet_ac1_irrCAC"], abs=1e-5)
    wikipedia = reference["fleiss_wikipedia_10subjects_14raters"]
    result = fleiss_from_counts(wikipedia["table"])
    assert (result.observed, result.chance) == pytest.approx((wikipedia["expected"]["P_bar"], wikipedia["expected"]["P_e_bar"]), abs=PUBLISHED)
    assert result.value == pytest.approx(wikipedia["computed"]["fleiss_kappa_statsmodels"], abs=COMPUTED)


def test_cohen_kappa_its_standard_errors_and_interval(reference):
    proposals = cohen(reference["cohen_wikipedia_50_proposals"]["table"])
    assert (proposals.observed, proposals.chance, proposals.kappa) == pytest.approx((0.7, 0.5, 0.4))
    same = reference["cohen_wikipedia_same_po_different_kappa"]
    assert cohen(same["tables"]["first"]).kappa == pytest.approx(same["computed"]["kappa_first"], abs=COMPUTED)
    assert cohen(same["tables"]["second"]).kappa == pytest.approx(same["computed"]["kappa_second"], abs=COMPUTED)
    sas = reference["cohen_sas_3x3"]
    result = cohen(sas["table"])
    assert (result.kappa, result.ase) == pytest.approx((sas["computed"]["kappa"], sas["computed"]["ase"]), abs=COMPUTED)
    assert result.ci95 == pytest.approx(tuple(sas["computed"]["ci95"]), abs=COMPUTED)
    assert (result.ase_null, result.z) == pytest.approx((sas["expected"]["ase_h0"], sas["expected"]["z"]), abs=PUBLISHED)


def test_weighted_kappa_weighs_the_observed_categories_by_rank(reference):
    case = reference["cohen_weighted_R_irr_anxiety"]
    second, third = [row[1] for row in case["ratings"]], [row[2] for row in case["ratings"]]
    _, table = confusion(second, third)
    assert cohen(table).kappa == pytest.approx(case["computed"]["sklearn_unweighted"], abs=COMPUTED)
    assert weighted_cohen(table, "linear") == pytest.approx(case["computed"]["sklearn_linear"], abs=COMPUTED)
    assert weighted_cohen(table, "quadratic") == pytest.approx(case["computed"]["sklearn_quadratic"], abs=COMPUTED)


def test_atlas_ti_and_nvivo_worked_examples(reference):
    atlas = reference["atlasti_manual_binary_10segments"]
    first, second = atlas["reliability_data"]
    result = cohen(confusion(first, second)[1])
    assert (result.observed, result.chance) == pytest.approx((0.6, 0.56))
    assert result.kappa == pytest.approx(atlas["derived"]["cohen_kappa"], abs=COMPUTED)
    assert krippendorff_alpha(units(atlas)) == pytest.approx(atlas["derived"]["krippendorff_alpha"], abs=COMPUTED)
    case = reference["nvivo_help_character_agreement"]
    counts, split = case["counts"], case["derived_kappa_example"]
    found = nvivo(counts["T_total_chars"], split["TA"], split["TB"], counts["both_coded"])
    assert found.agreement == pytest.approx(case["expected"]["percent_agreement"])
    assert found.kappa == pytest.approx(split["kappa"], abs=COMPUTED)


def test_unitized_alpha_on_the_toy_continua(reference):
    for name, case in reference["unitized_alpha_toy_examples"]["examples"].items():
        coders = [[tuple(segment) for segment in segments] for segments in case["coders_half_open_segments"]]
        nominal = unitized(coders, case["L"])
        binary = unitized([[(start, end, "unit") for start, end, _ in segments] for segments in coders], case["L"])
        assert nominal.alpha == pytest.approx(case["u_alpha_nominal"], abs=COMPUTED), name
        assert binary.alpha == pytest.approx(case["u_alpha_binary"], abs=COMPUTED), name


def test_cu_alpha_judges_only_the_values_of_overlapping_units():
    same_values = unitized([[(0, 5, "x"), (8, 14, "y")], [(0, 6, "x"), (9, 14, "y"), (16, 19, "x")]], 20)
    assert same_values.coding == 1.0  # wherever units overlap, the coders gave the same value
    swapped = unitized([[(0, 10, "x"), (10, 20, "y")], [(0, 10, "y"), (10, 20, "x")]], 20)
    assert swapped.alpha < 0 and swapped.coding < 0
    # Coincidences: x-x 10+10, x-y 5+5, y-y 0: n = 30, margins x 25, y 5; expected x-y pairs 2*25*5/29.
    mixed = unitized([[(0, 15, "x")], [(0, 10, "x"), (10, 15, "y")]], 15)
    assert mixed.coding == pytest.approx(1 - 10 / (2 * 25 * 5 / 29))
    with pytest.raises(ValueError, match="overlap"):
        unitized([[(0, 5, "x"), (3, 8, "y")], [(0, 5, "x")]], 10)


def test_maxqda_style_segment_agreement():
    # 90 %: (0, 100) and (0, 95) agree (95/100); (200, 300) and (250, 300) do not (50/100); (400, 410) has no partner.
    agreeing, total = segment_agreement([(0, 100), (200, 300), (400, 410)], [(0, 95), (250, 300)], 0.9)
    assert (agreeing, total) == (2, 5)
    assert segment_agreement([(200, 300)], [(250, 300)], 0.5) == (2, 2)
    summary = segment_summary(agreeing, total, codes=4)
    assert summary.percent == pytest.approx(0.4) and summary.kappa == pytest.approx((0.4 - 0.25) / 0.75)
    assert segment_summary(0, 0, 3).percent is None


def test_edge_cases_are_stated_not_hidden():
    assert cohen([[10, 0], [0, 0]]).kappa is None  # both coders used one category: chance agreement is 1
    assert nvivo(100, 0, 0, 0).kappa == 1.0 and nvivo(100, 0, 30, 0).kappa == 0.0 and nvivo(100, 100, 100, 100).kappa == 1.0
    assert brennan_prediger([[45, 5], [5, 45]]) == pytest.approx(0.8)
    rare = cohen([[0, 1], [1, 98]])  # the prevalence paradox: 98 % agreement, kappa below zero
    assert rare.observed == 0.98 and rare.kappa < 0
    assert gwet_ac1([["no", "yes"], ["yes", "no"]] + [["no", "no"]] * 98).value > 0.97


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=2, max_size=60))
def test_cohen_kappa_agrees_with_scikit_learn(pairs):
    from sklearn.metrics import cohen_kappa_score

    first, second = zip(*pairs)
    ours = cohen(confusion(first, second)[1]).kappa
    if ours is None:
        return  # both coders always chose one and the same category: undefined (scikit-learn says nan)
    assert ours == pytest.approx(cohen_kappa_score(first, second), abs=1e-9)
    assert gwet_ac1_two(confusion(first, second)[1]).value == pytest.approx(gwet_ac1([list(p) for p in pairs]).value, abs=1e-9)
    assert weighted_cohen(confusion(first, second)[1], "quadratic") == pytest.approx(
        cohen_kappa_score(first, second, weights="quadratic"), abs=1e-9) or len(set(first) | set(second)) < 2
