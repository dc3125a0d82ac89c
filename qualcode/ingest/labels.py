"""Speaker labels in running text: every style transcribers use, found without configuration.

Styles: `Name:`, `NAME:`, `Interviewer 1:`, `Interviewer1 :`, `Q:`/`A:`, `**Name:**`, `[Name] text`,
`[id1]`, `[Name] 00:01:02` (Zoom), `00:01:02 Name:` and `[00:01:02] Name:`, and a label alone on its
line above the speech. A user pattern (a regex with a `label` group, optionally `time`) replaces them all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import UsageError
from ..models import Block
from ..script import normalise_label

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL = r"(?P<label>[^\W\d_][\w'’.\-]*(?:[ \t][\w'’.\-()]+){0,4}?)"
_TIME_PREFIX = re.compile(rf"[\[(]?(?P<time>{_TIME})[\])]?[ \t]+")
_COLON = re.compile(rf"{_LABEL}[ \t]*:(?:[ \t]+|$)")
_MARKDOWN = re.compile(rf"(?P<mark>\*\*|__){_LABEL}[ \t]*:?[ \t]*(?P=mark)[ \t]*:?(?:[ \t]+|$)")
_BRACKET = re.compile(rf"\[(?P<label>[^\[\]\n]{{1,40}})\](?:[ \t]+[\[(]?(?P<time>{_TIME})[\])]?)?(?:[ \t]+|$)")
_ALONE = re.compile(rf"{_LABEL}(?:[ \t]+[\[(]?(?P<time>{_TIME})[\])]?)?[ \t]*$")

# Words that end in a colon in ordinary prose, and bracketed transcriber notes: never speakers.
_PROSE_WORDS = {"note", "nb", "ps", "example", "e.g", "i.e", "eg", "ie", "see", "source", "update", "edit", "tip", "warning", "re", "http", "https", "mailto"}
_ANNOTATIONS = {
    "laughs", "laughter", "laughing", "inaudible", "unclear", "crosstalk", "cross talk", "pause", "long pause",
    "silence", "music", "noise", "overlapping", "overtalk", "coughs", "sighs", "interruption", "indistinct",
    "redacted", "name", "applause", "background noise", "break", "end", "start", "...", "sic",
}


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a source document; `label` is set when markup (a bold run, a table column) says who speaks."""

    number: int
    text: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class _Candidate:
    style: str  # colon | markdown | bracket | alone | markup | pattern
    label: str
    rest: str
    time: float | None


def parse_time(value: str | None) -> float | None:
    """`01:02:03.5`, `1:02` or `00:00:05,790` as seconds."""
    if not value:
        return None
    seconds = 0.0
    for part in value.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return round(seconds, 3)


def compile_label_pattern(pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise UsageError(f"label pattern {pattern!r} is not a valid regular expression: {error}") from None
    if "label" not in compiled.groupindex:
        raise UsageError(f"label pattern {pattern!r} needs a named group (?P<label>...)")
    return compiled


def parse_transcript(lines: list[SourceLine], *, label_pattern: str | None = None, known_labels: re.Pattern[str] | None = None) -> tuple[list[Block], str]:
    """Split lines into labelled blocks. Returns the blocks and the style that dominated."""
    pattern = compile_label_pattern(label_pattern) if label_pattern else None
    candidates = [_candidate(line, lines[i + 1] if i + 1 < len(lines) else None, pattern) for i, line in enumerate(lines)]
    accepted = _accepted_labels(candidates, known_labels)
    blocks: list[Block] = []
    styles: Counter[str] = Counter()
    label, time, body = None, None, []
    started = False
    for line, candidate in zip(lines, candidates):
        if candidate and (candidate.style, normalise_label(candidate.label)) in accepted:
            if started:
                blocks.append(_block(label, body, time))
            label, time = candidate.label, candidate.time
            body = [candidate.rest] if candidate.rest.strip() else []
            styles[candidate.style if candidate.time is None else candidate.style + "+time"] += 1
            started = True
        elif line.text.strip():
            if not started:
                label, time, started = None, None, True
            body.append(line.text)
    if started:
        blocks.append(_block(label, body, time))
    dominant = styles.most_common(1)[0][0] if styles else "none"
    return blocks, dominant


def _block(label: str | None, body: list[str], time: float | None) -> Block:
    text = "\n".join(part.strip() for part in body if part.strip())
    return Block(label=label, text=text, time_start=time)


def _candidate(line: SourceLine, following: SourceLine | None, pattern: re.Pattern[str] | None) -> _Candidate | None:
    if line.label is not None:
        return _Candidate("markup", line.label, line.text, None)
    text = line.text.strip()
    if not text:
        return None
    if pattern is not None:
        match = pattern.match(text)
        if not match or not match.group("label"):
            return None
        time = match.groupdict().get("time")
        return _Candidate("pattern", match.group("label").strip(), text[match.end():], parse_time(time))
    time = None
    prefix = _TIME_PREFIX.match(text)
    if prefix:
        time, text = parse_time(prefix.group("time")), text[prefix.end():]
    for style, regex in (("markdown", _MARKDOWN), ("bracket", _BRACKET), ("colon", _COLON)):
        match = regex.match(text)
        if match:
            label = match.group("label").strip()
            found_time = parse_time(match.groupdict().get("time")) if match.groupdict().get("time") else time
            return _Candidate(style, label, text[match.end():], found_time)
    if following is not None and following.text.strip() and following.label is None:
        match = _ALONE.match(text)
        if match:
            found_time = parse_time(match.group("time")) if match.group("time") else time
            return _Candidate("alone", match.group("label").strip(), "", found_time)
    return None


def _accepted_labels(candidates: list[_Candidate | None], known_labels: re.Pattern[str] | None) -> set[tuple[str, str]]:
    counts = Counter((c.style, normalise_label(c.label)) for c in candidates if c)
    accepted = set()
    for candidate in filter(None, candidates):
        key = (candidate.style, normalise_label(candidate.label))
        if _is_speaker(candidate, counts[key], known_labels):
            accepted.add(key)
    return accepted


def _is_speaker(candidate: _Candidate, count: int, known_labels: re.Pattern[str] | None) -> bool:
    label = candidate.label
    folded = label.casefold().rstrip(".")
    known = bool(known_labels and known_labels.fullmatch(label))
    if candidate.style in {"markup", "pattern", "markdown"}:
        return True
    if candidate.style == "bracket":
        return folded not in _ANNOTATIONS and not folded.startswith(("inaudible", "laugh", "unclear", "crosstalk"))
    if folded in _PROSE_WORDS:
        return False
    if candidate.style == "alone":
        # A short line above a paragraph is usually a heading; a speaker's label comes back.
        return known or (count >= 2 and _speaker_shaped(label))
    return known or count >= 2 or _speaker_shaped(label)


def _speaker_shaped(label: str) -> bool:
    """`Margaret Hale`, `COACH 2`, `Q`, `Teacher (Y3)`: every word capitalised or a number."""
    words = label.split()
    return len(words) <= 4 and all(word[0].isupper() or word[0].isdigit() or word[0] in "(" for word in words)


def leading_label(text: str) -> tuple[str, str] | None:
    """`Name: speech` at the start of one caption cue, judged on its own (no document to count in)."""
    match = _COLON.match(text.strip())
    if not match:
        return None
    label = match.group("label").strip()
    if label.casefold().rstrip(".") in _PROSE_WORDS or not _speaker_shaped(label):
        return None
    return label, text.strip()[match.end():]
