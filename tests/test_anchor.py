"""Placing codings again in a replaced text: exact, nearby, diff, fuzzy, or orphaned, never guessed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.anchor import reanchor
from qualcode.models import ORPHANED
from qualcode.script import quote_in

TEXT = ("Interviewer: How was the coaching?\n\nParticipant: The cover list ate our time. We lost two sessions.\n"
        "Then it got better after Easter.\n\nInterviewer: And the feedback?\n\nParticipant: Honest, and kind.\n")


def coding(text: str, quote: str, number: int = 0, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    return {"id": number, "start": start, "end": end, **dict(zip(("quote", "before", "after"), quote_in(text, start, end)))}


def test_lines_inserted_above_move_every_coding_with_its_quote():
    codings = [coding(TEXT, q, n) for n, q in enumerate(["cover list ate our time", "after Easter", "Honest, and kind."])]
    new = "Note: transcript corrected.\nSecond note.\nThird note.\n\n" + TEXT
    placed = reanchor(TEXT, new, codings)
    assert [new[p.start:p.end] for p in placed] == [c["quote"] for c in codings]
    assert {p.placement for p in placed} == {"nearby"}


def test_a_quote_that_occurs_twice_goes_where_its_context_fits():
    text = "A: time matters.\nB: nothing.\nA: time matters.\nB: really.\n"
    second = coding(text, "time matters", occurrence=1)
    new = "Intro.\n" + text.replace("nothing", "nothing at all")
    place = reanchor(text, new, [second])[0]
    assert new[place.start:place.end] == "time matters" and new[place.end:].startswith(".\nB: really")


def test_corrected_words_inside_a_quote_keep_it_placed_by_diff_or_fuzzy():
    original = coding(TEXT, "The cover list ate our time. We lost two sessions.")
    new = TEXT.replace("lost two sessions", "lost three sessions")
    place = reanchor(TEXT, new, [original])[0]
    assert place.placement in {"diff", "fuzzy"} and "lost three sessions" in new[place.start:place.end]


def test_a_quote_that_is_gone_is_orphaned_and_keeps_its_text():
    original = coding(TEXT, "Honest, and kind.")
    new = TEXT.replace("Honest, and kind.", "We did not get any.")
    place = reanchor(TEXT, new, [original])[0]
    assert place.placement == ORPHANED and place.quote == "Honest, and kind."


def test_an_orphan_comes_back_only_where_its_own_quote_does():
    orphan = {**coding(TEXT, "Honest, and kind."), "placement": ORPHANED}
    orphan["start"] += 40  # its offsets belong to an older text
    orphan["end"] += 40
    near_miss = TEXT.replace("Honest, and kind.", "Honest, and kinder.")
    assert reanchor(TEXT, near_miss, [orphan])[0].placement == ORPHANED  # no fuzzy guess from a stale place
    back = "Preface.\n" + TEXT
    place = reanchor(near_miss, back, [orphan])[0]
    assert place.placement == "nearby" and back[place.start:place.end] == "Honest, and kind."


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_edits_elsewhere_never_move_a_coding_off_its_quote(data):
    text = TEXT.replace("The cover", "the cover")
    target = coding(text, "the cover list ate our time")
    new, start, end = text, target["start"], target["end"]
    for _ in range(data.draw(st.integers(1, 4))):
        # An insertion or a deletion anywhere outside the coded span (the span's own offsets follow it).
        position = data.draw(st.sampled_from([p for p in range(len(new) + 1) if not start < p < end]))
        if data.draw(st.booleans()):
            insert = data.draw(st.text(alphabet="abcdefghij .,\n", max_size=30))
            new = new[:position] + insert + new[position:]
            shift = len(insert) if position <= start else 0
        else:
            limit = start - position if position <= start else len(new) - position
            cut = data.draw(st.integers(0, max(0, min(limit, 20))))
            new = new[:position] + new[position + cut:]
            shift = -cut if position < start else 0
        start, end = start + shift, end + shift
    place = reanchor(text, new, [target])[0]
    assert new[place.start:place.end] == target["quote"]
