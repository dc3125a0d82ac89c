"""Speaker labels in running text: every style transcribers use, found without configuration.

Styles: `Name:`, `NAME:`, `Interviewer 1:`, `Interviewer1 :`, `Q:`/`A:`, `**Name:**`, `[Name] text`,
`[Name]: text`, `[id1]`, `[Name] 00:01:02` (Zoom), `00:01:02 Name:`, `[00:01:02] Name:`,
`Name (00:01:02):` (Rev), `Name [00:01:02]:`, and a label alone on its line above the speech (with or
without a time after it, as Otter writes). A user pattern (a regex with a `label` group, optionally
`time`) replaces them all.

A candidate is taken as a speaker when its style says so (markup, brackets), when it comes back, when
it carries a time, or when it is shaped like a name; once a style is established in a document, its
one-off labels (a speaker who talks once, a typo) count too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import UsageError
from ..models import Block
from ..script import clean_label, normalise_label

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL = r"(?P<label>[^\W\d_][\w'’.\-]*(?:[ \t][\w'’.\-()]+){0,4}?)"
_TIME_PREFIX = re.compile(rf"[\[(]?(?P<time>{_TIME})[\])]?[ \t]+")
_COLON = re.compile(rf"{_LABEL}(?:[ \t]*[\[(](?P<time>{_TIME})[\])])?[ \t]*:(?:[ \t]+|$)")
_MARKDOWN = re.compile(rf"(?P<mark>\*\*|__){_LABEL}[ \t]*:?[ \t]*(?P=mark)[ \t]*:?(?:[ \t]+|$)")
_BRACKET = re.compile(rf"\[(?P<label>[^\[\]\n]{{1,40}})\]:?(?:[ \t]+[\[(]?(?P<time>{_TIME})[\])]?)?(?:[ \t]+|$)")
_ALONE = re.compile(rf"{_LABEL}(?:[ \t]+[\[(]?(?P<time>{_TIME})[\])]?)?[ \t]*:?[ \t]*$")
_LABEL_TEXT = re.compile(rf"{_LABEL}$")

# Words that end in a colon in ordinary prose or head a list: never speakers.
_PROSE_WORDS = {
    "note", "notes", "nb", "ps", "example", "e.g", "i.e", "eg", "ie", "see", "source", "update", "edit", "tip",
    "warning", "re", "http", "https", "mailto", "first", "firstly", "second", "secondly", "third", "thirdly",
    "finally", "also", "however", "therefore", "background", "methodology", "method", "methods", "summary",
    "aim", "aims", "objective", "objectives", "result", "results", "conclusion", "conclusions", "date", "time",
    "location", "venue", "present", "attendees", "title", "subject", "topic", "duration", "transcript",
    "key", "recommendation", "recommendations", "finding", "findings", "participants", "chapter", "step",
    "section", "appendix", "table", "figure", "from", "to", "sent", "cc", "bcc", "tel", "email", "e-mail",
    "phone", "dear", "editor", "author", "authors", "abstract", "introduction", "keywords", "question", "answer",
}
# Words that begin a sentence, not a name: `In 2019:`, `The first one:`, `My view is:`.
_FUNCTION_WORDS = {
    "the", "a", "an", "in", "on", "at", "to", "of", "for", "from", "by", "with", "as", "and", "but", "or", "so",
    "if", "when", "what", "how", "why", "which", "that", "this", "these", "those", "there", "here", "then", "my",
    "our", "your", "their", "his", "her", "its", "we", "i", "you", "they", "it", "he", "she", "all", "some", "not",
    "after", "before", "during", "because", "just", "now", "today", "is", "was", "are", "were",
}
# Words in the bracketed placeholders transcribers and anonymisers leave: `[College name]`, `[Town]`.
_PLACEHOLDER_WORDS = {
    "name", "names", "pause", "sec", "secs", "seconds", "school", "town", "city", "village", "place", "area",
    "organisation", "organization", "company", "college", "university", "redacted", "removed", "anonymised",
    "anonymized", "deleted", "omitted", "address", "number", "date", "colleague", "child", "pupil", "student",
}
# Short replies that stand alone on a line above more speech: never speakers.
_INTERJECTIONS = {
    "yes", "yeah", "yep", "no", "nope", "okay", "ok", "right", "sure", "mm", "mhm", "hmm", "um", "uh", "er",
    "thanks", "thank you", "exactly", "absolutely", "great", "good", "fine", "well", "so", "true", "indeed",
}
# Bracketed transcriber notes.
_ANNOTATIONS = {
    "laughs", "laughter", "laughing", "inaudible", "unclear", "crosstalk", "cross talk", "pause", "long pause",
    "silence", "music", "noise", "overlapping", "overtalk", "coughs", "sighs", "interruption", "indistinct",
    "redacted", "name", "applause", "background noise", "break", "end", "start", "...", "sic",
}


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a source document; `label` (and `time`) are set when markup (a bold run, a table column) says who speaks."""

    number: int
    text: str
    label: str | None = None
    time: float | None = None


@dataclass(frozen=True, slots=True)
class _Candidate:
    style: str  # colon | markdown | bracket | alone | markup | pattern
    label: str
    rest: str
    time: float | None

    @property
    def key(self) -> tuple[str, str]:
        return self.style, normalise_label(self.label)


def parse_time(value: str | None) -> float | None:
    """`01:02:03.5`, `1:02` or `00:00:05,790` as seconds."""
    if not value:
        return None
    seconds = 0.0
    for part in value.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return round(seconds, 3)


def looks_like_label(text: str) -> bool:
    """Short enough and shaped like a speaker label (for labels that markup, not punctuation, sets apart)."""
    text = clean_label(text)
    return bool(text) and len(text) <= 40 and bool(_LABEL_TEXT.match(text))


def compile_label_pattern(pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise UsageError(f"label pattern {pattern!r} is not a valid regular expression: {error}") from None
    if "label" not in compiled.groupindex:
        raise UsageError(f"label pattern {pattern!r} needs a named group (?P<label>...)")
    return compiled


def parse_transcript(lines: list[SourceLine], *, label_pattern: str | None = None,
                     interviewer_labels: re.Pattern[str] | None = None) -> tuple[list[Block], str]:
    """Split lines into labelled blocks. Returns the blocks and the style that dominated."""
    pattern = compile_label_pattern(label_pattern) if label_pattern else None
    candidates = [_candidate(line, lines[i + 1] if i + 1 < len(lines) else None, pattern) for i, line in enumerate(lines)]
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    accepted = _accepted(candidates, interviewer_labels, len(filled), filled[0] if filled else None)
    blocks: list[Block] = []
    styles: Counter[str] = Counter()
    label, time, body, started = None, None, [], False
    speech_due = False  # the line under a label standing alone is speech, whatever it looks like
    for line, candidate in zip(lines, candidates):
        if candidate and candidate.key in accepted and not speech_due:
            if started:
                blocks.append(_block(label, body, time))
            label, time, started = candidate.label, candidate.time, True
            body = [candidate.rest] if candidate.rest.strip() else []
            styles[candidate.style if candidate.time is None else candidate.style + "+time"] += 1
            speech_due = candidate.style == "alone"
        elif line.text.strip():
            if not started:
                label, time, started = None, None, True
            body.append(line.text)
            speech_due = False
    if started:
        blocks.append(_block(label, body, time))
    dominant = styles.most_common(1)[0][0] if styles else "none"
    return blocks, dominant


def _block(label: str | None, body: list[str], time: float | None) -> Block:
    text = "\n".join(part.strip() for part in body if part.strip())
    return Block(label=label, text=text, time_start=time)


def _candidate(line: SourceLine, following: SourceLine | None, pattern: re.Pattern[str] | None) -> _Candidate | None:
    if line.label is not None:
        return _Candidate("markup", line.label, line.text, line.time)
    text = line.text.strip()
    if not text:
        return None
    if pattern is not None:
        match = pattern.match(text)
        if not match or not match.group("label"):
            return None
        return _Candidate("pattern", match.group("label").strip(), text[match.end():], parse_time(match.groupdict().get("time")))
    prefix_time = None
    prefix = _TIME_PREFIX.match(text)
    if prefix:
        prefix_time, text = parse_time(prefix.group("time")), text[prefix.end():]
    for style, regex in (("markdown", _MARKDOWN), ("bracket", _BRACKET), ("colon", _COLON)):
        match = regex.match(text)
        if match:
            time = parse_time(match.groupdict().get("time")) or prefix_time
            return _Candidate(style, match.group("label").strip(), text[match.end():], time)
    if following is not None and following.label is None and following.text.strip() and not _ends_sentence(text):
        match = _ALONE.match(text)
        if match:
            return _Candidate("alone", match.group("label").strip(), "", parse_time(match.group("time")) or prefix_time)
    return None


def _ends_sentence(text: str) -> bool:
    """`Hi back.` ends a sentence; `Int.` and `Dr.` are abbreviations that may end a label."""
    text = text.rstrip()
    return text[-1:] in "?!,;…" or (text.endswith(".") and len(text.split()[-1]) > 4)


def _accepted(candidates: list[_Candidate | None], interviewer_labels: re.Pattern[str] | None, n_lines: int,
              first_line: int | None) -> set[tuple[str, str]]:
    present = [c for c in candidates if c]
    counts = Counter(c.key for c in present)

    def interviewer(c: _Candidate) -> bool:
        return bool(interviewer_labels and interviewer_labels.fullmatch(c.label)) and len(c.label) > (1 if c.style == "alone" else 0)

    strong = {c.key for c in present if _strong(c, counts[c.key], interviewer(c))}
    # A style (with or without times) is established by a label that comes back, an interviewer's, or
    # an Otter-style label with its time; then that style's one-off labels count too.
    established = {(c.style, c.time is not None) for c in present if c.key in strong
                   and (counts[c.key] >= 2 or interviewer(c) or c.style in {"markup", "pattern", "markdown"}
                        or (c.style == "alone" and c.time is not None))}
    lower_case = all(not _speaker_shaped(c.label) for c in present if c.key in strong and c.style == "colon")
    weak = {c.key for c in present
            if (c.style, c.time is not None) in established and c.style in {"colon", "alone"} and _plausible(c)
            and (_speaker_shaped(c.label) or (c.style == "colon" and lower_case and len(c.label.split()) == 1))}
    # Short dialogues (each speaker once) are established by opening with a speaker, or by how much of
    # the text is labelled lines; a report opens with a title and labels few of its lines.
    first = candidates[first_line] if first_line is not None else None
    names = [c for c in present if c.style == "colon" and _plausible(c) and _speaker_shaped(c.label)]
    brackets = [c for c in present if c.style == "bracket" and _bracketed_speaker(c.label)]
    for found in (names, brackets):
        opens = first is not None and first in found
        if established or opens and len(found) >= 2 or len(found) >= max(2, n_lines / 2):
            weak |= {c.key for c in found}
        elif opens:
            weak.add(first.key)
    return strong | weak


def _strong(candidate: _Candidate, count: int, interviewer: bool) -> bool:
    """Taken on its own evidence, before the document's established styles are known."""
    if candidate.style in {"markup", "pattern"}:
        return True
    if candidate.style == "bracket":
        return _bracketed_speaker(candidate.label) and (count >= 2 or candidate.time is not None)
    if interviewer:
        return True
    if not _plausible(candidate):
        return False
    if candidate.style == "markdown":
        return True
    if candidate.style == "alone":
        # A short line above a paragraph is usually a heading; a speaker's label comes back, or has a time.
        return _speaker_shaped(candidate.label) and (count >= 2 or candidate.time is not None)
    return count >= 2 and (_speaker_shaped(candidate.label) or len(candidate.label.split()) == 1)


def _bracketed_speaker(label: str) -> bool:
    """`[Ann]`, `[id1]`; not `[laughs]`, `[College name]`, `[2 sec pause]`."""
    folded = label.casefold().rstrip(".")
    words = set(re.findall(r"\w+", folded))
    return not (folded in _ANNOTATIONS or words & _PLACEHOLDER_WORDS or folded[:1].isdigit()
                or folded.startswith(("inaudible", "laugh", "unclear", "crosstalk")))


def is_prose_lead(label: str) -> bool:
    """`Note:`, `Key findings:`, `In 2019:`, `The first one:`: how prose, not a speaker, begins."""
    words = clean_label(label).casefold().rstrip(".").split()
    if not words:
        return True
    if " ".join(words) in _PROSE_WORDS or words[0].rstrip(".") in _PROSE_WORDS:
        return True
    return len(" ".join(words)) > 1 and words[0] in _FUNCTION_WORDS


def _plausible(candidate: _Candidate) -> bool:
    """Could be a speaker label: not a prose lead-in, not an interjection, not too long."""
    words = candidate.label.casefold().rstrip(".").split()
    if is_prose_lead(candidate.label):
        return False
    if candidate.style == "alone" and " ".join(words) in _INTERJECTIONS:
        return False
    return len(words) <= (4 if _speaker_shaped(candidate.label) else 2)


def _speaker_shaped(label: str) -> bool:
    """`Margaret Hale`, `COACH 2`, `Q`, `Teacher (Y3)`, `田中`: no word starts with a lower-case letter."""
    words = label.split()
    return len(words) <= 4 and all(not word[0].islower() for word in words)


def leading_label(text: str) -> tuple[str, str] | None:
    """`Name: speech` at the start of one caption cue, judged on its own (no document to count in)."""
    match = _COLON.match(text.strip())
    if not match:
        return None
    candidate = _Candidate("colon", match.group("label").strip(), text.strip()[match.end():], None)
    if not (_plausible(candidate) and _speaker_shaped(candidate.label)):
        return None
    return candidate.label, candidate.rest
