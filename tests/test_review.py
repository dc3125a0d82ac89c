"""Reviewing suggestions: choosing them, deciding in bulk, and one at a time with wider and narrower."""

from __future__ import annotations

import pytest

from qualcode.autocode import autocode
from qualcode.errors import UsageError
from qualcode.review import Selection, decide, suggestions, walk

from conftest import write_codebook


@pytest.fixture
def waiting(interview):
    write_codebook(interview, "  - id: time\n    codes:\n      - id: time.cover\n        keywords: [cover]\n"
                          "  - id: money\n    keywords: [budget, funding]\n")
    autocode(interview)
    return interview


def test_selecting_by_code_rule_and_document(waiting):
    assert [s.code for s in suggestions(waiting, Selection(code="time"))] == ["time.cover", "time.cover"]
    assert [s.text for s in suggestions(waiting, Selection(rule="keyword:covering"))] == ["covering"]
    assert len(suggestions(waiting, Selection(document="t"))) == 4
    with pytest.raises(UsageError, match="--code nope"):
        suggestions(waiting, Selection(code="nope"))


def test_bulk_decisions_are_saved_with_who_and_logged(waiting):
    chosen = suggestions(waiting, Selection(code="money"))
    assert decide(waiting, chosen, accept=True) == 2
    rows = waiting.store.codings(code="money")
    assert {(r["status"], r["decided_by"]) for r in rows} == {("accepted", "tester")}
    assert any(c["action"] == "accept" for c in waiting.store.log_entries(1)[0].changes)
    assert suggestions(waiting, Selection(code="money")) == []


def test_walk_widens_narrows_accepts_rejects_and_stops(waiting):
    answers = iter(["wider", "wider", "narrower", "accept", "reject", "quit"])
    seen = []

    def ask(suggestion, number, total):
        seen.append((suggestion.text, number, total))
        return next(answers)

    assert walk(waiting, ask) == (1, 1)
    assert [text for text, _, _ in seen[:4]] == ["covering", "The coaches were covering classes, so coaching stopped.",
                                                 "The coaches were covering classes, so coaching stopped. We had no protected "
                                                 "times at all.",
                                                 "The coaches were covering classes, so coaching stopped."]
    accepted = [r for r in waiting.store.codings() if r["status"] == "accepted"]
    assert [r["quote"] for r in accepted] == ["The coaches were covering classes, so coaching stopped."]
    assert len(suggestions(waiting)) == 2  # the rest waits for the next walk


def test_an_unknown_rule_is_an_error(waiting):
    with pytest.raises(UsageError, match="--rule nosuch"):
        suggestions(waiting, Selection(rule="nosuch"))
