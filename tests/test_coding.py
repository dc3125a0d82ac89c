"""Coding by hand, the coding index, and codings following the text through every change qualcode makes."""

from __future__ import annotations

import shutil

import pytest

from qualcode.anonymise import anonymise, reverse
from qualcode.coding import Location, code_document, coding_index
from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.withdraw import withdraw

from conftest import DEMO, REPO


@pytest.fixture
def coded(demo):
    project, key = demo
    shutil.copy(REPO / "codebooks" / "pathways.yaml", project.root / "codebook.yaml")
    return project, key


def test_code_a_turn_a_sentence_and_a_span(coded):
    project, _ = coded
    turn = code_document(project, "w1_01", "time.cover", Location(turn=4))
    sentence = code_document(project, "w1_01", "Cover", Location(turn=4, sentence=2), flags=("disconfirming",))
    span = code_document(project, "w1_01", "Time and capacity > Protected time for coaching", Location(span="0:11"))
    text = project.store.document_text(project.store.document_named("w1_01_coach_interview.txt"))
    assert text[turn.start:turn.end] == turn.quote and turn.quote.startswith("Yeah, so I'm Year 5")
    assert sentence.quote == "Twenty in September." and span.quote == "Interviewer"
    codings = project.store.codings()
    assert [(c["code"], c["origin"], c["status"], c["disconfirming"]) for c in codings] == [
        ("time.protected", "manual", "accepted", 0), ("time.cover", "manual", "accepted", 0), ("time.cover", "manual", "accepted", 1)]
    assert codings[0]["codebook_version"] and codings[1]["before"].endswith("\n\nMargaret Hale: ")


@pytest.mark.parametrize("code, where, problem", [
    ("nope", Location(turn=1), "no code 'nope'"),
    ("time.cover", Location(), "say where"),
    ("time.cover", Location(turn=999), "has turns 1 to"),
    ("time.cover", Location(turn=2, sentence=99), "has sentences 1 to"),
    ("time.cover", Location(span="50:10"), "--span 50:10"),
    ("time.cover", Location(turn=1, span="0:5"), "--span on its own"),
])
def test_bad_places_and_codes_are_refused(coded, code, where, problem):
    project, _ = coded
    with pytest.raises(UsageError, match=problem):
        code_document(project, "w1_01", code, where)
    assert project.store.codings() == []


def test_a_new_code_goes_into_the_codebook_file_and_removal_takes_codings_off(coded):
    project, _ = coded
    before = (project.root / "codebook.yaml").read_text(encoding="utf-8")
    result = code_document(project, "w1_01", "Mentoring memories", Location(turn=4), new_code=True, parent="practice")
    after = (project.root / "codebook.yaml").read_text(encoding="utf-8")
    assert result.created_code and result.code == "practice.mentoring_memories"
    assert after.startswith(before.split("      - id: practice.behaviour")[0]) and "# Codebook for the Pathways" in after
    removed = code_document(project, "w1_01", "practice.mentoring_memories", Location(turn=4), remove=True)
    assert removed.changed == 1 and project.store.codings() == []


def test_the_index_lists_codes_in_codebook_order_with_turn_and_line(coded):
    project, _ = coded
    code_document(project, "w1_01", "relationships.trust", Location(turn=6))
    code_document(project, "w1_01", "time.cover", Location(turn=4))
    entries = coding_index(project)
    assert [(e.code, e.turn, e.line) for e in entries] == [("time.cover", 4, 7), ("relationships.trust", 6, 12)]
    assert [e.code for e in coding_index(project, "time")] == ["time.cover"]


def test_codings_follow_anonymising_and_reversing_and_go_with_withdrawn_words(coded):
    project, key = coded
    kept = code_document(project, "w1_01", "time.cover", Location(turn=4))
    gone = code_document(project, "w1_02", "time.cover", Location(turn=2))
    w1_01, w1_02 = (project.store.document_named(name) for name in (kept.document, gone.document))
    anonymise(project, key, DEMO / "terms.csv")
    first = {c["document_id"]: c for c in project.store.codings()}[w1_01]
    assert "St Aidan's" not in first["quote"] and "_____ (school)" in first["quote"]
    assert project.store.document_text(first["document_id"])[first["start"]:first["end"]] == first["quote"]
    participant = next(s for s in project.store.speakers(document_id=w1_02) if s["role"] == "participant")
    withdraw(project, participant["label"])
    assert [c["document_id"] for c in project.store.codings()] == [first["document_id"]]
    reverse(project, key)
    assert [c["quote"] for c in project.store.codings()] == [kept.quote]


def test_import_replace_places_codings_again(coded, tmp_path):
    project, _ = coded
    result = code_document(project, "w1_03", "practice.sen", Location(turn=10))
    corrected = tmp_path / "w1_03_teacher_interview.txt"
    corrected.write_text("Transcript corrected on 3 March.\n\n" + (DEMO / "w1_03_teacher_interview.txt").read_text(encoding="utf-8"),
                         encoding="utf-8")
    outcome = import_paths(project, [str(corrected)], ImportOptions(replace=True)).outcomes[0]
    assert outcome.status == "replaced" and not outcome.warnings
    coding = project.store.codings()[0]
    text = project.store.document_text(coding["document_id"])
    assert text[coding["start"]:coding["end"]] == result.quote and coding["placement"] in {"exact", "nearby"}


def test_actions_are_recorded_only_for_codes_counted_as_actions(coded):
    project, _ = coded
    (project.root / "codebook.yaml").write_text("codes:\n  - id: act\n    count_as: actions\n  - id: said\n", encoding="utf-8")
    code_document(project, "w1_01", "act", Location(turn=4), action="a1")
    assert project.store.codings()[0]["action"] == "a1"
    with pytest.raises(UsageError, match="counts mentions"):
        code_document(project, "w1_01", "said", Location(turn=4), action="a2")
