"""Placing codings again when a document's text is replaced (a corrected transcript imported with --replace).

Each coding carries its quote and some context. It is placed by, in order: its old position, if the
quote is still there; the quote found elsewhere (the occurrence whose context fits best, then the one
nearest where the text around it moved); the text the diff maps its old span to, if close enough to
the quote; the best fuzzy alignment of the quote near there. What cannot be placed is orphaned, never
moved at a guess or dropped; an orphan is placed again only where its exact quote turns up. Edits that qualcode makes itself (anonymising, withdrawal) do not need
this: `edits.OffsetMap` carries spans exactly.
"""

from __future__ import annotations

from bisect import bisect_right
from difflib import SequenceMatcher

from .models import ORPHANED, Placement
from .script import CONTEXT, quote_in

FUZZY_CUTOFF = 85  # rapidfuzz similarity a changed quote must keep to stay placed


class _Moves:
    """Old offset -> new offset through the blocks two texts share (computed only when needed)."""

    def __init__(self, old: str, new: str):
        blocks = SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
        self._blocks = [(a, b, size) for a, b, size in blocks if size]
        self._starts = [a for a, _, _ in self._blocks]

    def __call__(self, position: int) -> int:
        index = bisect_right(self._starts, position) - 1
        if index < 0:
            return position if not self._blocks else max(0, self._blocks[0][1] - (self._blocks[0][0] - position))
        a, b, size = self._blocks[index]
        return b + min(position - a, size)


def reanchor(old_text: str, new_text: str, codings: list[dict]) -> list[Placement]:
    moves: list[_Moves] = []  # the diff is worked out once, and only if a coding needs it

    def moved(position: int) -> int:
        if not moves:
            moves.append(_Moves(old_text, new_text))
        return moves[0](position)

    placements = []
    for coding in codings:
        start, end, quote = coding["start"], coding["end"], coding["quote"]
        if coding.get("placement") == ORPHANED:
            placements.append(_find_orphan(coding, new_text))
        elif new_text[start:end] == quote and quote:
            placements.append(Placement(coding["id"], start, end, *quote_in(new_text, start, end), "exact"))
        else:
            placements.append(_place(coding, new_text, moved))
    return placements


def _find_orphan(coding: dict, text: str) -> Placement:
    """An orphan's offsets belong to a text long gone, so only its quote (where its context fits best)
    can place it again, e.g. when a later correction puts the passage back."""
    quote = coding["quote"]
    found = _occurrences(text, quote)
    if not found:
        return Placement(coding["id"], coding["start"], coding["end"], quote, coding["before"], coding["after"], ORPHANED)
    best = max(found, key=lambda at: _context_fit(text, at, at + len(quote), coding))
    return Placement(coding["id"], best, best + len(quote), *quote_in(text, best, best + len(quote)), "nearby")


def _place(coding: dict, text: str, moved) -> Placement:
    quote = coding["quote"]
    found = _occurrences(text, quote)
    if len(found) == 1:
        return Placement(coding["id"], found[0], found[0] + len(quote), *quote_in(text, found[0], found[0] + len(quote)), "nearby")
    if found:
        target = moved(coding["start"])
        best = max(found, key=lambda at: (_context_fit(text, at, at + len(quote), coding), -abs(at - target)))
        return Placement(coding["id"], best, best + len(quote), *quote_in(text, best, best + len(quote)), "nearby")
    from rapidfuzz import fuzz

    moved_start, moved_end = moved(coding["start"]), moved(coding["end"])
    if moved_end > moved_start and fuzz.ratio(text[moved_start:moved_end], quote) >= FUZZY_CUTOFF:
        return Placement(coding["id"], moved_start, moved_end, *quote_in(text, moved_start, moved_end), "diff")
    window_start = max(0, moved_start - len(quote) - CONTEXT)
    window = text[window_start:moved_end + len(quote) + CONTEXT]
    aligned = fuzz.partial_ratio_alignment(quote, window, score_cutoff=FUZZY_CUTOFF) if quote and window else None
    if aligned is not None:
        start, end = window_start + aligned.dest_start, window_start + aligned.dest_end
        return Placement(coding["id"], start, end, *quote_in(text, start, end), "fuzzy")
    return Placement(coding["id"], coding["start"], coding["end"], quote, coding["before"], coding["after"], ORPHANED)


def _occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote) if quote else -1
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _context_fit(text: str, start: int, end: int, coding: dict) -> int:
    """How many characters of the coding's context still stand beside this occurrence."""
    before, after = coding["before"], coding["after"]
    here_before, here_after = text[max(0, start - len(before)):start], text[end:end + len(after)]
    return _common_suffix(before, here_before) + _common_prefix(after, here_after)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
