"""The NLP pieces (offline spaCy): sentences, everyday words, term matching on lemmas."""

from __future__ import annotations

from qualcode.nlp import TermMatcher, sentence_bounds, vocabulary


def test_a_sentence_starts_at_punctuation_that_opens_it():
    text = 'It slipped. _____ (school) did best. He said "yes." Then (quietly) left.'
    assert [text[s:e] for s, e in sentence_bounds([text])[0]] == [
        "It slipped.", "_____ (school) did best.", 'He said "yes."', "Then (quietly) left."]


def test_everyday_words_are_names_people_also_use_as_words():
    words = vocabulary().everyday({"will", "may", "hope", "frank", "margaret", "tom", "sarah", "that"})
    assert words == {"will", "may", "hope", "frank", "that"}


def test_terms_match_on_lower_case_lemmas_or_as_written():
    matcher = TermMatcher({"cover": [("cover", True), ("protected time", True)], "tests": [("SATs", False)]})
    found = matcher.find(["Coaching was Covered. We had protected times and sats."])[0]
    assert [(key, text) for key, _, _, text in found] == [("cover", "Covered"), ("cover", "protected times"), ("tests", "sats")]
