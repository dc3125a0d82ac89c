"""Finding a quote as printed in a report in the transcript it came from.

Authors edit quotes lightly, and the conventions say how: a cut is `[...]` (a bare `...` is the
transcript's own pause, like any punctuation), a `[clarification]` is added in brackets, fillers (`um`, `er`, `you know`) may go,
an interviewer's prompt may be kept in brackets (`[Interviewer: And then?]`, which must be in the
transcript before the quote), and the first letter may change case. Everything else
must be the speaker's own words in their order. `locate` finds the fragments of such a quote in a text,
or says it is not there; white space, line breaks, curly or straight quotes and dashes never matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FILLERS = ("um", "umm", "uh", "er", "erm", "ah", "mm", "hmm", "like", "you know", "i mean", "sort of", "kind of")
_BRACKETED = re.compile(r"\[[^\]]*\]")
_PROMPT = re.compile(r"\[\s*(?:interviewer|int\d*|i|q|researcher|facilitator|moderator)\s*:\s*([^\]]+)\]", re.IGNORECASE)
_CUT = re.compile(r"\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]")
_WORD = re.compile(r"[\w'’-]+|[^\w\s]")
_SAME = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass(frozen=True, slots=True)
class Located:
    spans: list[tuple[int, int]]  # the fragments, in order, as offsets of the text
    cuts: int  # how many places the quote leaves words out


def pieces(quote: str, brackets_said: bool = False) -> list[str]:
    """The speaker's own words of a quote: the runs between cuts and bracketed insertions (with
    `brackets_said`, bracketed text other than a prompt is taken as the transcript's own: an anonymised
    transcript says `[coach's name]`)."""
    marked = _CUT.sub("\x00", quote)
    marked = _PROMPT.sub("\x00", marked) if brackets_said else _BRACKETED.sub("\x00", marked)
    return [p.strip(" ,;:\u00a0'\"‘’“”") for p in marked.split("\x00") if _WORD.search(p)]


def prompts(quote: str) -> list[str]:
    """Interviewers' prompts kept in brackets (`[Interviewer: And then?]`): they must be the
    interviewer's words too."""
    return [m.group(1).strip() for m in _PROMPT.finditer(quote)]


def locate(quote: str, text: str, start: int = 0, end: int | None = None) -> Located | None:
    """Where each piece of the quote is in text[start:end], in order; None if any is not there, or if a
    bracketed interviewer's prompt is not in the text before the quote."""
    end = len(text) if end is None else end
    found = _locate_pieces(quote, text, start, end)
    if found is None:
        return None
    if any(_find(prompt, text, 0, found.spans[0][0]) is None for prompt in prompts(quote)):
        return None
    return found


def _locate_pieces(quote: str, text: str, start: int, end: int) -> Located | None:
    """The quote with its bracketed text as the transcript's own words first, else as additions."""
    if _BRACKETED.search(_CUT.sub("", quote)):
        found = _in_order(pieces(quote, brackets_said=True), text, start, end)
        if found is not None:
            return found
    return _in_order(pieces(quote), text, start, end)


def _in_order(runs: list[str], text: str, start: int, end: int) -> Located | None:
    position, spans = start, []
    for piece in runs:
        found = _find(piece, text, position, end)
        if found is None:
            return None
        spans.append(found)
        position = found[1]
    if not spans:
        return None
    gaps = sum(1 for (_, a), (b, _) in zip(spans, spans[1:]) if text[a:b].strip(" \n.,;:'\"‘’“”-–—"))
    return Located(spans, gaps)


def _find(piece: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    match = _pattern(piece).search(text, start, end)
    return (match.start(), match.end()) if match else None


def _pattern(piece: str) -> re.Pattern:
    """The piece's words in order, with any white space, punctuation changes and fillers between them."""
    words = [w for w in _WORD.findall(piece.translate(_SAME)) if re.match(r"\w", w)]
    filler = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(FILLERS, key=len, reverse=True))
    between = rf"(?:[^\w]+(?:(?:{filler})(?=\W)[^\w]*)*)"
    parts = [_word(w, first=n == 0) for n, w in enumerate(words)]
    return re.compile(r"(?<!\w)" + between.join(parts) + r"(?!\w)")


def _word(word: str, first: bool) -> str:
    """A word as a pattern: apostrophes of any kind; the first letter of a piece in either case."""
    escaped = "".join("['’]" if c == "'" else re.escape(c) for c in word)
    if first and word[:1].isalpha():
        return f"[{re.escape(word[0].lower())}{re.escape(word[0].upper())}]" + escaped[len(re.escape(word[0])):]
    return escaped
