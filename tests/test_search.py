"""Search: keyword in context by lemma, phrase, regex and fuzzy; filters; coding the hits."""

from __future__ import annotations

import pytest

from qualcode.coding import Location, code_document
from qualcode.errors import UsageError
from qualcode.search import Filters, code_hits, search

from conftest import write_codebook


def texts(hits):
    return [h.text for h in hits]


def test_modes(interview):
    assert texts(search(interview, "coach")) == ["coaching", "coaches", "coaching"]
    assert texts(search(interview, "coaches", mode="phrase")) == ["coaches"]
    assert texts(search(interview, r"cover\w*", mode="regex")) == ["covering", "cover"]
    assert texts(search(interview, "feedback", mode="fuzzy")) == ["feedback", "Feedbak"]
    hit = search(interview, "budget")[0]
    assert (hit.turn, hit.line, hit.speaker) == (6, 12, "Jo") and hit.before.endswith("Jo: The ") and hit.after.startswith(" is gone")


def test_filters_by_speaker_role_attribute_and_code(interview):
    write_codebook(interview, "  - id: money\n")
    assert texts(search(interview, "coach", filters=Filters(role="interviewer"))) == ["coaching"]
    assert texts(search(interview, "coach", filters=Filters(speaker="Jo"))) == ["coaches", "coaching"]
    assert search(interview, "coach", filters=Filters(attributes=("wave=2",))) == []
    code_document(interview, "t", "money", Location(turn=6))
    assert texts(search(interview, "hope", filters=Filters(inside="money"))) == ["hope"]
    assert search(interview, "coach", filters=Filters(inside="money")) == []


def test_coding_the_hits_once(interview):
    write_codebook(interview, "  - id: cover\n")
    hits = search(interview, "cover")
    assert code_hits(interview, hits, "cover", "cover") == 2
    assert code_hits(interview, hits, "cover", "cover") == 0
    assert {c["origin"] for c in interview.store.codings()} == {"search:cover"}


@pytest.mark.parametrize("query, mode, problem", [("x", "bad", "--mode bad"), ("(", "regex", "not a regular expression"),
                                                  ("two words", "fuzzy", "one word"), (" ", "lemma", "say what")])
def test_bad_searches(interview, query, mode, problem):
    with pytest.raises(UsageError, match=problem):
        search(interview, query, mode)
