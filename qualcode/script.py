"""The stored text model: blocks merged into turns and written as a readable script.

One turn per block `Label: content`, a blank line between turns, each paragraph of a turn on its own
line. Turns record where their label and content sit in the text, so every later location (a coding,
a quote, a redaction) is a plain character span of this one string.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from .models import Block, Script, Span, Turn

TURN_SEPARATOR = "\n\n"
LABEL_SEPARATOR = ": "


# Invisible characters that split a word without showing (a PDF's soft hyphen, a zero-width space, a
# combining grapheme joiner): left in, `Mar\u00adgaret` would hide a name from every search and from
# anonymising. Joiners matter in some scripts, so they go only between Latin letters; full-width Latin
# letters and digits (`Ｗｈｉｔ`) become the ordinary ones.
_INVISIBLE = {**dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u034f")),
              **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code - 0xFEE0).isalnum()}}
_LATIN_JOINER = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])[\u200c\u200d](?=[A-Za-z\u00c0-\u024f])")


def visible(text: str) -> str:
    """Text without the invisible characters that can sit inside a word, full-width letters made ordinary."""
    return _LATIN_JOINER.sub("", text.translate(_INVISIBLE))


def normalise(text: str) -> str:
    """NFC, LF line ends, no byte-order marks, soft hyphens or zero-width spaces: the form every stored text takes."""
    text = visible(text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text)


def normalise_label(label: str) -> str:
    """The form two labels must share to be one speaker: case, spaces and a trailing colon ignored."""
    return re.sub(r"\s+", "", label).rstrip(":").casefold()


def merge_blocks(blocks: Iterable[Block]) -> list[Block]:
    """Join consecutive blocks of one speaker (and one survey question); unlabelled blocks continue the last turn."""
    merged: list[Block] = []
    for block in blocks:
        text = _clean(block.text)
        if merged and _continues(merged[-1], block):
            previous = merged[-1]
            joiner = " " if block.inline else "\n"
            joined = f"{previous.text}{joiner}{text}" if previous.text and text else previous.text or text
            merged[-1] = replace(
                previous,
                text=joined,
                time_start=previous.time_start if previous.time_start is not None else block.time_start,
                time_end=block.time_end if block.time_end is not None else previous.time_end,
            )
        elif text or block.label is not None:
            merged.append(replace(block, text=text))
    return merged


def _continues(previous: Block, block: Block) -> bool:
    if block.label is None:
        return block.question == previous.question
    return (
        previous.label is not None
        and normalise_label(previous.label) == normalise_label(block.label)
        and previous.question == block.question
    )


def _clean(text: str) -> str:
    """One paragraph per line, no blank lines (they separate turns), no stray spaces at line ends."""
    lines = (" ".join(line.split()) for line in normalise(text).split("\n"))
    return "\n".join(line for line in lines if line)


def clean_label(label: str) -> str:
    """A label as stored: one line, single spaces, no trailing colon."""
    return " ".join(normalise(label).split()).rstrip(":").strip()


def build_script(blocks: Iterable[Block]) -> Script:
    """Write merged blocks as the stored text and record each turn's offsets (turn numbers from 1)."""
    parts: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for seq, block in enumerate(merge_blocks(blocks), start=1):
        if parts:
            parts.append(TURN_SEPARATOR)
            offset += len(TURN_SEPARATOR)
        label_start = label_end = None
        label = clean_label(block.label) if block.label is not None else None
        if label:
            label_start, label_end = offset, offset + len(label)
            parts.append(label + (LABEL_SEPARATOR if block.text else ":"))
            offset = label_end + (len(LABEL_SEPARATOR) if block.text else 1)
        parts.append(block.text)
        turns.append(Turn(seq, label or None, label_start, label_end, offset, offset + len(block.text),
                          block.time_start, block.time_end, block.question))
        offset += len(block.text)
    return Script("".join(parts), turns)


def paragraph_spans(script: Script) -> list[Span]:
    """Each line of each turn's content, as spans of the stored text."""
    spans = []
    for turn in script.turns:
        position = turn.start
        for line in script.content(turn).split("\n"):
            if line:
                spans.append(Span(position, position + len(line), turn.seq))
            position += len(line) + 1
    return spans


def sentence_spans(script: Script) -> list[Span]:
    """Sentences within each paragraph line (a sentence never crosses a line or turn)."""
    from .nlp import sentence_bounds

    paragraphs = paragraph_spans(script)
    bounds = sentence_bounds([script.text[p.start:p.end] for p in paragraphs])
    return [Span(p.start + start, p.start + end, p.turn_seq) for p, found in zip(paragraphs, bounds) for start, end in found]


class LineIndex:
    """1-based line numbers of offsets in one text, by binary search over where its lines start."""

    def __init__(self, text: str):
        self._starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def count_words(text: str) -> int:
    return len(text.split())


CONTEXT = 40  # characters of text kept on each side of a coding's quote, to place it again


def quote_in(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The quote at a span of a text, and the context before and after it."""
    return text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def context(text: str, start: int, end: int, width: int = 50) -> tuple[str, str]:
    """Up to `width` characters of text before and after a span, on one line, cut back to whole words."""
    before = text[max(0, start - width):start].replace("\n", " ")
    after = text[end:end + width].replace("\n", " ")
    before = before.split(" ", 1)[-1] if start > width else before
    after = after.rsplit(" ", 1)[0] if end + width < len(text) else after
    return before, after


class TextCache:
    """Documents' texts with their line indexes, each read once, for listings over many rows."""

    def __init__(self, read):
        self._read = read  # document id -> text
        self._seen: dict[int, tuple[str, LineIndex]] = {}

    def __call__(self, document_id: int) -> tuple[str, LineIndex]:
        if document_id not in self._seen:
            text = self._read(document_id)
            self._seen[document_id] = text, LineIndex(text)
        return self._seen[document_id]


def format_time(seconds: float | None) -> str:
    """A turn's time as hh:mm:ss (empty when the transcript has none)."""
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
