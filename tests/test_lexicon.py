"""Anonymisation settings, the terms file, and the lexicon of declared names."""

from __future__ import annotations

import re

import pytest

from qualcode.anonymise.lexicon import AnonymiseSettings, build_lexicon, merge_terms, name_like_label, people_to_find, read_terms
from qualcode.errors import InputFileError, UsageError
from qualcode.settings import DEFAULT_INTERVIEWER_LABELS, DEFAULTS
from qualcode.speakers import interviewer_regex

INTERVIEWERS = interviewer_regex(DEFAULT_INTERVIEWER_LABELS)


def settings(**changes) -> AnonymiseSettings:
    return AnonymiseSettings.from_values({**DEFAULTS, **{f"anonymise.{k}": v for k, v in changes.items()}}, "qualcode.toml")


def test_person_replacements_use_only_the_values_their_template_names():
    assert settings().person_replacement("coach", None) == "[coach's name]"
    assert settings().person_replacement(None, "C3") == "[name]"
    coded = settings(**{"replacements.person": "[{code}]"})
    assert coded.person_replacement(None, "P3") == "[P3]" and coded.person_replacement("coach", None) == "[name]"
    assert settings().replacement_for("person") == "[name]" and settings().replacement_for("school") == "_____ (school)"
    assert settings().replacement_for("charity") == "[charity]"


@pytest.mark.parametrize("changes, problem", [
    ({"regions": ["XX"]}, "anonymise.regions"),
    ({"fuzzy_threshold": 30}, "fuzzy_threshold"),
    ({"document_name": "doc-{x}"}, "anonymise.document_name"),
    ({"replacements.person": "[{nickname}]"}, "anonymise.replacements.person"),
    ({"identifying_attributes": "school"}, "identifying_attributes"),
])
def test_bad_settings_are_refused_with_the_setting_named(changes, problem):
    with pytest.raises(UsageError, match=re.escape(problem)):
        settings(**changes)


def test_terms_file_and_merging(tmp_path):
    sheet = tmp_path / "terms.csv"
    sheet.write_text("term,category,replacement\nSt Aidan's,school,\nNorthmoor,Place,[local authority]\n", encoding="utf-8")
    terms = read_terms(sheet)
    assert [(t.term, t.category, t.replacement) for t in terms] == [
        ("St Aidan's", "school", ""), ("Northmoor", "place", "[local authority]")]
    merged = merge_terms([{"term": "northmoor", "category": "place", "replacement": ""}, {"term": "Kingsmead", "category": "school",
                                                                                         "replacement": ""}], terms)
    assert [(t["term"], t["replacement"]) for t in merged] == [("Kingsmead", ""), ("Northmoor", "[local authority]"), ("St Aidan's", "")]
    sheet.write_text("term,category\nOldham,\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=":2: category"):
        read_terms(sheet)


@pytest.mark.parametrize("label, expected", [("Dan", True), ("Margaret Ellis", True), ("Zoë", True), ("Participant 3", False),
                                             ("Interviewer", False), ("R_3kT", False), ("P5", False), ("Teacher A", False)])
def test_labels_that_are_names(label, expected):
    assert name_like_label(label, INTERVIEWERS) is expected


def test_labels_and_aliases_that_are_labels_are_not_names_to_find():
    roster = [{"person_id": 1, "name": "Claire Evans", "aliases": ["Interviewer", "Q", "Claire"]}]
    people = [{"id": 1, "role": "interviewer", "attributes": {}}, {"id": 2, "role": "participant", "attributes": {"role": "coach"}}]
    speakers = [{"label": "Dan", "person_id": 2}, {"label": "Participant 1", "person_id": 2}]
    named = people_to_find(roster, people, speakers, {1: "INT1", 2: "A1"}, INTERVIEWERS)
    assert [(n.names, n.role, n.code) for n in named] == [(("Claire Evans", "Claire"), "interviewer", "INT1"), (("Dan",), "coach", "A1")]
    lexicon = build_lexicon(named, [{"term": "Hope Trust", "category": "organisation", "replacement": ""}], settings(),
                            lambda words: {w for w in words if w in {"hope", "trust"}})
    assert ("interviewer",) not in lexicon.all_phrases() and ("hope", "trust") in lexicon.everyday
