"""Memos and the research diary."""

from __future__ import annotations

import shutil

import docx
import pytest

from qualcode.anonymise import anonymise, reverse
from qualcode.coding import Location, code_document
from qualcode.errors import UsageError
from qualcode.export import UNCHECKED_NOTE, Guard
from qualcode.memo import add_memo, export_memos, memos

from conftest import DEMO, REPO


@pytest.fixture
def noted(demo):
    project, key = demo
    shutil.copy(REPO / "codebooks" / "pathways.yaml", project.root / "codebook.yaml")
    coding = code_document(project, "w1_01", "time.cover", Location(turn=4))
    add_memo(project, "Cover came up in every school.", title="Cover")
    add_memo(project, "Margaret Hale spoke about her own mentor.", document="w1_01")
    add_memo(project, "Keep it to lost sessions.", code="time.cover")
    add_memo(project, "First coded by hand.", coding=project.store.codings()[0]["id"])
    add_memo(project, "Talked to the LA officer at the conference; agreed to add a wave.", diary=True, dated="2025-03-02")
    return project, key, coding


def test_memos_on_every_kind_of_thing_in_date_order(noted):
    project, _, _ = noted
    found = memos(project)
    assert [(m.kind, m.about) for m in found][0] == ("diary", "2025-03-02")
    assert {(m.kind, m.about) for m in found[1:]} == {("project", "the project"), ("document", "w1_01_coach_interview.txt"),
                                                       ("code", "Time and capacity > Cover eating into coaching"),
                                                       ("coding", f"coding {project.store.codings()[0]['id']}")}
    assert [m.kind for m in memos(project, "diary")] == ["diary"]


def test_export_to_markdown_and_word(noted, tmp_path):
    project, _, _ = noted
    with pytest.raises(UsageError, match="would contain identifying text \\('Margaret Hale'\\)"):
        export_memos(project, tmp_path / "memos.md")  # a memo names the coach; nothing is written
    assert not (tmp_path / "memos.md").exists()
    assert export_memos(project, tmp_path / "memos.md", guard=Guard(unchecked=True)) == 5
    text = (tmp_path / "memos.md").read_text(encoding="utf-8")
    assert text.startswith("# Memos and research diary\n\n## Diary (2025-03-02, tester)") and "## Memo on the project: Cover" in text
    assert text.endswith(UNCHECKED_NOTE + "\n")
    export_memos(project, tmp_path / "memos.docx", guard=Guard(unchecked=True))
    paragraphs = docx.Document(str(tmp_path / "memos.docx")).paragraphs
    assert paragraphs[1].text == "Diary (2025-03-02, tester)" and paragraphs[-1].text == UNCHECKED_NOTE


def test_memos_are_anonymised_and_restored(noted):
    project, key, _ = noted
    anonymise(project, key, DEMO / "terms.csv")
    texts = [m.text for m in memos(project)]
    assert not any("Margaret" in t for t in texts) and any("[coach's name] spoke" in t for t in texts)
    reverse(project, key)
    assert any(t == "Margaret Hale spoke about her own mentor." for t in (m.text for m in memos(project)))


@pytest.mark.parametrize("kwargs, problem", [({"text": " "}, "write the memo"), ({"document": "w1_01", "code": "time.cover"}, "on one thing"),
                                             ({"date": "2025-13-40", "diary": True}, "no such day"),
                                             ({"date": "2025-01-01"}, "--date goes with --diary"), ({"coding": 999}, "--coding 999"),
                                             ({"code": "nope"}, "--code nope")])
def test_bad_memos(noted, kwargs, problem):
    project, _, _ = noted
    text = kwargs.pop("text", "A memo.")
    if "date" in kwargs:
        kwargs["dated"] = kwargs.pop("date")
    with pytest.raises(UsageError, match=problem):
        add_memo(project, text, **kwargs)


def test_memo_titles_and_quote_reasons_are_anonymised_and_restored(noted):
    project, key, _ = noted
    add_memo(project, "a note", title="Margaret Hale's view")
    with project.store.unit_of_work():
        project.store.remember_quotes([("time.cover", project.store.codings()[0]["id"], "machine-chosen: site St Aidan's new")])
    anonymise(project, key, DEMO / "terms.csv")
    assert not any("Margaret" in (m["title"] or "") for m in project.store.memos())
    assert not any("Aidan" in reason for reason in project.store.quote_reasons().values())
    reverse(project, key)
    assert any(m["title"] == "Margaret Hale's view" for m in project.store.memos())
    assert "machine-chosen: site St Aidan's new" in project.store.quote_reasons().values()
