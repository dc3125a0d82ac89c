"""Text edits and the offset maps they induce, so every stored span can follow a change of text.

Anonymising, reversing and withdrawing rewrite a document's text by replacing spans. Turns (and, as
they arrive, codings, quotes and memos) are character spans of that text; `apply_edits` returns the
new text together with an `OffsetMap` that carries any old position to its new place.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the half-open span `start:end` of the old text by `replacement`."""

    start: int
    end: int
    replacement: str


class OffsetMap:
    """Old position -> new position under a set of non-overlapping edits.

    A position at or after an edit's end moves by the edit's change of length. A position strictly
    inside a replaced span goes to the start of the replacement when it opens a span (`side="start"`)
    and to its end when it closes one, so a span around a redaction keeps the whole replacement.
    """

    def __init__(self, edits: list[Edit]):
        self._edits = edits
        self._ends = [e.end for e in edits]
        self._shift = [0, *accumulate(len(e.replacement) - (e.end - e.start) for e in edits)]

    def __call__(self, position: int, side: str = "start") -> int:
        done = bisect_right(self._ends, position)  # edits ending at or before the position
        moved = position + self._shift[done]
        if done < len(self._edits) and self._edits[done].start < position:
            inside = self._edits[done]
            new_start = inside.start + self._shift[done]
            return new_start if side == "start" else new_start + len(inside.replacement)
        return moved

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self(start, "start"), self(end, "end")


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap, list[Edit]]:
    """The new text, the map from old offsets, and the edits as they sit in the new text.

    Edits must not overlap (touching is fine); each keeps its place in the result, which is what
    reversing needs: the new-text edit `(start, start + len(replacement), old)` undoes it.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for before, after in zip(ordered, ordered[1:]):
        if after.start < before.end:
            raise ValueError(f"overlapping edits at {before.start}:{before.end} and {after.start}:{after.end}")
    pieces, position, shift, placed = [], 0, 0, []
    for edit in ordered:
        pieces.append(text[position:edit.start])
        pieces.append(edit.replacement)
        new_start = edit.start + shift
        placed.append(Edit(new_start, new_start + len(edit.replacement), text[edit.start:edit.end]))
        shift += len(edit.replacement) - (edit.end - edit.start)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), OffsetMap(ordered), placed
