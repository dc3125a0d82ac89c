"""The coder's view of a document and the changes made from it: each saved at once, blind mode hiding
everyone else's codings and the machine's suggestions."""

from __future__ import annotations


import pytest

from qualcode import coder
from qualcode.errors import UsageError
from qualcode.project import open_project
from qualcode.quotebank import build_bank
from qualcode.sample import draw


def as_coder(project, name: str):
    return open_project(project.root, {"coder": name}, f"qualcode --coder {name} code")


def test_the_view_has_turns_with_speakers_and_line_numbers_and_the_suggestions(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    first, second = view.lines[:2]
    assert (first.seq, first.speaker, first.line, first.interviewer) == (1, "Interviewer", 1, True)
    assert (second.seq, second.speaker, second.line) == (2, "Margaret Hale", 3)
    assert view.content(second).startswith("[laughs] It's always a busy point")
    assert view.marks and all(m.suggested for m in view.marks) and not view.blind
    assert {m.by for m in view.marks} >= {"keyword:head"}


def test_coding_flagging_starring_and_removing_are_saved_at_once(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    turn = view.lines[3]
    sentence = coder.sentences(view, turn)[1]
    mark = coder.apply(autocoded, view, "Cover", sentence.start, sentence.end)
    assert (mark.code, mark.status, view.text[mark.start:mark.end]) == ("time.cover", "accepted", "Twenty in September.")
    assert coder.toggle(autocoded, view, mark.id, "disconfirming") is True
    assert coder.toggle(autocoded, view, mark.id, "starred") is True
    fresh = as_coder(autocoded, "someone else")  # another connection: what is on disk
    [row] = [r for r in fresh.store.codings() if r["id"] == mark.id]
    assert (row["disconfirming"], row["starred"], row["origin"], row["codebook_version"]) == (1, 1, "manual", view.codebook.version)
    assert coder.toggle(autocoded, view, mark.id, "disconfirming") is False
    coder.remove(autocoded, view, mark.id)
    assert not any(r["id"] == mark.id for r in fresh.store.codings())
    assert [c["action"] for c in fresh.store.log_entries()[0].changes][-4:] == ["disconfirming", "starred", "undisconfirming", "uncode"]
    fresh.close()


def test_suggestions_are_accepted_or_rejected_in_place(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    first, second = [m for m in view.marks if m.suggested][:2]
    coder.decide(autocoded, view, first.id, True)
    coder.decide(autocoded, view, second.id, False)
    rows = {r["id"]: r for r in autocoded.store.codings()}
    assert rows[first.id]["status"] == "accepted" and rows[second.id]["status"] == "rejected"
    assert view.mark(first.id).status == "accepted" and second.id not in {m.id for m in view.marks}
    with pytest.raises(UsageError, match="not a suggestion"):
        coder.decide(autocoded, view, first.id, True)
    with pytest.raises(UsageError, match="reject it instead"):
        coder.remove(autocoded, view, [m for m in view.marks if m.suggested][0].id)


def test_words_select_a_span_of_the_turn_ignoring_case_and_spacing(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    turn = view.lines[3]
    start, end = coder.words_in(view, turn, "gosh,   NINETEEN years")
    assert view.text[start:end] == "gosh, nineteen years"
    with pytest.raises(UsageError, match="not in turn 4"):
        coder.words_in(view, turn, "protected time")


def test_a_new_code_is_added_to_the_codebook_and_applied(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    turn = view.lines[3]
    mark = coder.apply(autocoded, view, "", turn.start, turn.end, new_label="Time and capacity > Mentors remembered")
    assert mark.code == "time.mentors_remembered" and mark.path == "Time and capacity > Mentors remembered"
    assert "mentors_remembered" in (autocoded.root / "codebook.yaml").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="select some text"):
        coder.apply(autocoded, view, "time.cover", 5, 5)


def test_next_uncoded_turn_skips_the_interviewer_and_wraps_round(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    first = coder.next_line(view, -1, coder.uncoded(view))
    assert view.lines[first].seq == 2
    turn = view.lines[first]
    coder.apply(autocoded, view, "time.cover", turn.start, turn.end)
    assert view.lines[coder.next_line(view, -1, coder.uncoded(view))].seq == 4
    suggested = coder.next_line(view, first, coder.with_suggestion(view))
    assert any(m.suggested for m in view.marks_on(view.lines[suggested]))


def test_blind_mode_shows_only_the_coders_own_codings(autocoded):
    ann = as_coder(autocoded, "ann")
    mine = coder.open_view(ann, "w1_01")
    turn = mine.lines[3]
    coder.apply(ann, mine, "time.cover", turn.start, turn.end)
    bob = as_coder(autocoded, "bob")
    seen = coder.open_view(bob, "w1_01")
    assert not seen.blind and any(m.coder == "ann" for m in seen.marks)
    blind = coder.open_view(bob, "w1_01", blind=True)
    assert blind.blind and blind.marks == []
    coder.apply(bob, blind, "time.protected", turn.start, turn.end)
    assert [m.coder for m in blind.marks] == ["bob"]
    with pytest.raises(UsageError, match="not yours to see"):
        blind.mark(mine.marks[0].id)
    ann.close(), bob.close()


def test_blind_by_default_while_the_document_is_in_a_sample_not_yet_measured(autocoded):
    sample = draw(autocoded, 1.0, seed=3)
    assert coder.open_view(autocoded, "w1_01").blind
    autocoded.store.save_round(sample.id, ["a", "b"], "turn", "v", {})
    assert not coder.open_view(autocoded, "w1_01").blind


def test_a_starred_coding_ranks_before_the_machines_choices(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    participant_turns = [line for line in view.lines if not line.interviewer]
    marks = [coder.apply(autocoded, view, "time.cover", line.start, line.end) for line in participant_turns[:6]]
    plain = build_bank(autocoded, codes=["time.cover"], level=None, per_theme=1)
    coder.toggle(autocoded, view, marks[-1].id, "starred")
    starred = build_bank(autocoded, codes=["time.cover"], level=None, per_theme=1)
    [before], [after] = plain.quotes(), starred.quotes()
    assert before.quote.coding != marks[-1].id and after.quote.coding == marks[-1].id
    assert after.quote.reason.startswith("machine-chosen: starred while coding")


def test_a_new_code_with_an_existing_label_is_that_code_and_typos_are_refused(autocoded):
    view = coder.open_view(autocoded, "w1_01")
    turn = view.lines[3]
    mark = coder.apply(autocoded, view, "", turn.start, turn.end, new_label="Protected time for coaching")
    assert mark.code == "time.protected"  # no twin made
    before = (autocoded.root / "codebook.yaml").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="needs a label"):
        coder.apply(autocoded, view, "", turn.start, turn.end, new_label=" > ")
    assert (autocoded.root / "codebook.yaml").read_text(encoding="utf-8") == before


def test_a_coder_changes_only_their_own_codings_and_a_memo_goes_with_its_coding(autocoded):
    from qualcode.memo import add_memo

    ann = as_coder(autocoded, "ann")
    view = coder.open_view(ann, "w1_01")
    turn = view.lines[3]
    mark = coder.apply(ann, view, "time.cover", turn.start, turn.end)
    add_memo(ann, "why I coded it", coding=mark.id)
    bob = as_coder(autocoded, "bob")
    seen = coder.open_view(bob, "w1_01", blind=False)
    for change in (lambda: coder.remove(bob, seen, mark.id), lambda: coder.toggle(bob, seen, mark.id, "disconfirming")):
        with pytest.raises(UsageError, match="that is ann's coding"):
            change()
    assert coder.toggle(bob, seen, mark.id, "starred") is True  # pointing out a quote is anyone's
    coder.remove(ann, view, mark.id)
    assert ann.store.memos() == []
    ann.close(), bob.close()
