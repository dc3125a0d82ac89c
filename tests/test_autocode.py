"""Autocode: each kind of rule, its filters and scope, as suggestions (golden cases on a small transcript)."""

from __future__ import annotations

from qualcode.autocode import autocode
from qualcode.coding import Location, code_document

from conftest import suggested, write_codebook

def test_keywords_match_on_lemmas_and_phrases(interview):
    write_codebook(interview, "  - id: cover\n    keywords: [cover, protected time, coach]\n")
    report = autocode(interview)
    assert suggested(interview, "cover") == ["coaching", "coaches", "covering", "coaching", "protected times", "cover"]
    assert report.suggested["cover"] == 6


def test_exact_keywords_patterns_and_fuzzy_variants(interview):
    write_codebook(interview, "  - id: exact\n    lemma: false\n    keywords: [coach]\n"
                          "  - id: list\n    patterns: ['cover list\\b']\n"
                          "  - id: feedback\n    keywords: [feedback]\n    fuzzy: 85\n")
    autocode(interview)
    assert suggested(interview, "exact") == []
    assert suggested(interview, "list") == ["cover list"]
    assert suggested(interview, "feedback") == ["feedback", "Feedbak"]


def test_scope_widens_to_sentence_paragraph_and_turn(interview):
    write_codebook(interview, "  - id: s\n    keywords: [budget]\n    scope: sentence\n"
                          "  - id: p\n    keywords: [cover list]\n    scope: paragraph\n"
                          "  - id: t\n    keywords: [confidence]\n    scope: turn\n")
    autocode(interview)
    assert suggested(interview, "s") == ["The budget is gone."]
    assert suggested(interview, "p") == ["Honestly the cover list ate everything."]
    assert suggested(interview, "t") == ["Feedbak was honest. It really helped my confidence."]


def test_speaker_question_and_within_filters(interview):
    write_codebook(interview, "  - id: asked\n    keywords: [coaching]\n    speakers: interviewers\n"
                          "  - id: said\n    keywords: [coaching]\n    speakers: participants\n"
                          "  - id: money\n    keywords: [hope]\n    question: funding\n"
                          "  - id: money_off\n    keywords: [hope]\n    question: weather\n"
                          "  - id: theme\n"
                          "  - id: inside\n    keywords: [honest]\n    within: theme\n")
    code_document(interview, "t", "theme", Location(turn=4))
    autocode(interview)
    assert suggested(interview, "asked") == ["coaching"] and len(suggested(interview, "said")) == 2
    assert suggested(interview, "money") == ["hope"] and suggested(interview, "money_off") == []
    assert suggested(interview, "inside") == ["honest"]


def test_suggestions_already_made_or_decided_are_not_made_again(interview):
    write_codebook(interview, "  - id: cover\n    keywords: [cover]\n")
    assert sum(autocode(interview).suggested.values()) == 2
    assert sum(autocode(interview).suggested.values()) == 0
    rows = interview.store.codings(code="cover")
    assert {r["origin"] for r in rows} == {"rule:cover/keyword:cover", "rule:cover/keyword:covering"}
    assert all(r["codebook_version"] for r in rows)


def test_corpus_words_are_lower_case_letters_only():
    from qualcode.autocode import corpus_words

    assert corpus_words(["Coaching, 2 times!", "Zoë's"]) == {"coaching", "times", "zoë", "s"}


def test_question_can_name_an_interview_schedule_item(interview):
    (interview.root / "schedule.txt").write_text("Q1: How has the coaching gone?\nQ2: What about the money next year?\n", encoding="utf-8")
    interview.settings.values["project.schedule"] = "schedule.txt"
    write_codebook(interview, "  - id: future\n    keywords: [hope, budget]\n    question: Q2\n"
                              "  - id: past\n    keywords: [hope, budget]\n    question: Q1\n")
    autocode(interview)
    assert suggested(interview, "future") == ["budget", "hope"] and suggested(interview, "past") == []
