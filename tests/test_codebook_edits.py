"""Editing the codebook from the command line: the file keeps its comments, codings follow."""

from __future__ import annotations

import shutil

import pytest

from qualcode.codebook import load_codebook
from qualcode.codebook_edits import add, merge, move, rename, retire
from qualcode.coding import Location, code_document
from qualcode.errors import UsageError

from conftest import REPO


@pytest.fixture
def coded(demo):
    project, _ = demo
    shutil.copy(REPO / "codebooks" / "pathways.yaml", project.root / "codebook.yaml")
    code_document(project, "w1_01", "time.cover", Location(turn=4))
    return project


def codebook(project):
    return load_codebook(project.root / "codebook.yaml")


def test_add_rename_move_and_retire_keep_comments(coded):
    assert add(coded, "Mentoring", parent="practice") == "practice.mentoring"
    renamed = rename(coded, "time.cover", "Cover for absence")
    assert renamed.label == "Cover for absence" and coded.store.codings()[0]["code"] == "time.cover"
    assert move(coded, "time.cover", "relationships") == "The coaching relationship > Cover for absence"
    retire(coded, "practice.mentoring")
    text = (coded.root / "codebook.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Codebook for the Pathways") and "# Themes -> descriptors." in text
    assert codebook(coded).codes["practice.mentoring"].retired


def test_a_new_id_and_a_merge_carry_the_codings(coded):
    rename(coded, "time.cover", code_id="time.cover_absence")
    assert coded.store.codings()[0]["code"] == "time.cover_absence"
    assert merge(coded, "time.cover_absence", "time.workload") == 1
    assert coded.store.codings()[0]["code"] == "time.workload" and "time.cover_absence" not in codebook(coded).codes
    merge(coded, "time", "practice")  # a theme merged: its descriptors move up, to the top
    assert codebook(coded).codes["time.workload"].parent is None


@pytest.mark.parametrize("edit, problem", [
    (lambda p: add(p, "X", parent="nope"), "--parent nope"),
    (lambda p: add(p, "X", code_id="time.cover"), "has that id already"),
    (lambda p: add(p, "X", code_id="bad id!"), "letters, digits"),
    (lambda p: rename(p, "time.cover"), "give the new label"),
    (lambda p: move(p, "time", "time.cover"), "under itself"),
    (lambda p: merge(p, "time.cover", "time.cover"), "two different codes"),
    (lambda p: retire(p, "nope"), "no such code"),
])
def test_bad_edits_change_nothing(coded, edit, problem):
    before = (coded.root / "codebook.yaml").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match=problem):
        edit(coded)
    assert (coded.root / "codebook.yaml").read_text(encoding="utf-8") == before


def test_a_shared_label_is_refused_on_add_and_called_ambiguous_when_coding(coded):
    add(coded, "Coach turnover", parent="time")
    with pytest.raises(UsageError, match="is already time.coach_turnover.s label or alias there"):
        add(coded, "coach turnover", parent="time")
    add(coded, "Coach turnover", parent="practice")
    with pytest.raises(UsageError, match="names 2 codes"):
        code_document(coded, "w1_01", "Coach turnover", Location(turn=4))


def test_within_references_follow_a_new_id_and_a_merge(coded):
    path = coded.root / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: w\n    label: Within cover\n    within: time.cover\n",
                    encoding="utf-8")
    rename(coded, "time.cover", code_id="time.absence")
    assert codebook(coded).codes["w"].within == "time.absence"
    merge(coded, "time.absence", "time.workload")
    assert codebook(coded).codes["w"].within == "time.workload"


@pytest.mark.parametrize("edit, problem", [
    (lambda p: rename(p, "time.cover", "Workload and competing demands"), "already time.workload's label or alias there"),
    (lambda p: move(p, "time.cover", "time"), "time.cover is already under time; nothing to move"),
    (lambda p: add(p, "   "), "a code needs a label"),
])
def test_edits_that_would_confuse_are_refused(coded, edit, problem):
    with pytest.raises(UsageError, match=problem):
        edit(coded)


def test_memos_on_a_code_follow_it(coded):
    from qualcode.memo import add_memo

    add_memo(coded, "Cover came up everywhere", code="time.cover")
    merge(coded, "time.cover", "time.workload")
    assert [m["target"] for m in coded.store.memos()] == ["time.workload"]
