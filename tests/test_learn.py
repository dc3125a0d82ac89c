"""Learned suggestions: a model per code from people's decisions, honest about too few examples."""

from __future__ import annotations

import random

import pytest

from qualcode.coding import Location, code_document
from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.learn import suggest

from conftest import write_codebook

ABOUT_COVER = ["We lost the session to cover again.", "Cover took my coaching hour.", "Supply cover ate the time.",
               "I was on cover so we cancelled.", "Absence meant cover, no coaching."]
OTHER = ["The feedback was kind and useful.", "My questioning changed a lot.", "We talked about the reading group.",
         "The head backed the project.", "I feel more confident now."]


@pytest.fixture
def coded(project, tmp_path):
    rng = random.Random(1)
    for number in range(6):
        # Interviewer and participant take turns; every other answer is about cover (turns 4, 8, 12 …).
        lines = [line for i in range(12) for line in (
            "Interviewer: Tell me more.", f"Participant: {rng.choice(ABOUT_COVER if i % 2 else OTHER)} {rng.choice(OTHER)}")]
        (tmp_path / f"d{number}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    import_paths(project, [str(tmp_path)], ImportOptions())
    write_codebook(project, "  - id: cover\n  - id: rare\n")
    for number in range(5):  # five documents coded by a person; the sixth is left for the model
        for turn in range(4, 25, 4):
            code_document(project, f"d{number}", "cover", Location(turn=turn))
        code_document(project, f"d{number}", "rare", Location(turn=2))
    return project


def test_a_code_with_enough_examples_is_learned_and_suggested_where_nobody_has_coded(coded):
    models = {m.code: m for m in suggest(coded)}
    cover, rare = models["cover"], models["rare"]
    assert (cover.positives, cover.negatives) == (30, 90) and cover.precision >= 0.8 and cover.recall >= 0.8
    suggested = [c for c in coded.store.codings(code="cover") if c["status"] == "suggested"]
    assert {c["document"] for c in suggested} == {"d5.txt"} and all(c["origin"].startswith("model:tfidf-logreg:") for c in suggested)
    about_cover = [c for c in suggested if any(sentence in c["quote"] for sentence in ABOUT_COVER)]
    assert len(about_cover) == 6 and cover.suggested == len(suggested) <= 8
    assert rare.declined.startswith("too few examples (5 for") and rare.suggested == 0


def test_running_again_does_not_suggest_twice_and_bad_options(coded):
    suggest(coded, ["cover"], cross_validate=False)
    assert suggest(coded, ["cover"], cross_validate=False)[0].suggested == 0
    with pytest.raises(UsageError, match="--threshold"):
        suggest(coded, threshold=1.5)
    with pytest.raises(UsageError, match="--code nope"):
        suggest(coded, ["nope"])
