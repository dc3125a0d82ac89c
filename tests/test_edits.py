"""Edits and the offset maps that carry stored spans through them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.edits import Edit, apply_edits


def test_positions_move_by_the_change_in_length_before_them():
    text = "I asked Margaret about Kingsmead today."
    new, mapping, placed = apply_edits(text, [Edit(8, 16, "[name]"), Edit(23, 32, "_____ (school)")])
    assert new == "I asked [name] about _____ (school) today."
    assert mapping(0) == 0 and mapping(17) == 15 and mapping(len(text), "end") == len(new)
    assert new[mapping(33):] == text[33:]
    assert [(p.start, p.end, p.replacement) for p in placed] == [(8, 14, "Margaret"), (21, 35, "Kingsmead")]


def test_a_span_around_a_redaction_keeps_all_of_it_and_one_inside_collapses_to_its_edges():
    text = "xx Margaret yy"
    new, mapping, _ = apply_edits(text, [Edit(3, 11, "[name]")])
    assert new[slice(*mapping.span(0, len(text)))] == new
    assert mapping.span(5, 7) == (3, 9)  # inside the replaced name: the whole replacement


def test_overlapping_edits_are_refused():
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])


@st.composite
def edited_text(draw):
    text = draw(st.text(min_size=0, max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8, unique=True)))
    edits = [Edit(a, b, draw(st.text(max_size=5))) for a, b in zip(cuts[::2], cuts[1::2])]
    return text, edits


@given(edited_text())
def test_the_placed_edits_undo_the_change_and_untouched_text_maps_onto_itself(case):
    text, edits = case
    new, mapping, placed = apply_edits(text, edits)
    assert apply_edits(new, placed)[0] == text
    edited = set()
    for e in edits:
        edited.update(range(e.start, e.end))
    for position in range(len(text)):
        if position not in edited and not any(e.start < position < e.end for e in edits):
            assert new[mapping(position)] == text[position]
