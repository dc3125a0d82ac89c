"""Quotes: exemplars chosen deterministically, and explainably, from accepted codings; authors' edits
checked against the transcript; every quote traceable to its document, turn, line and time.

A candidate is an accepted coding's words in one participant's turn (interviewers are never quoted),
trimmed to whole sentences within the length window. Choosing is a ranking, never a draw: pinned
quotes first, then confirmed ones, then those a coder starred while coding, then participants before group codes, quotes not used elsewhere,
lengths inside the window, speakers and sites not yet quoted under the theme (or in the table) before
those already quoted, lengths near the window's target, then document and place. Each choice says why. A choice is remembered with an id
(`Q12`) the author can confirm, pin, cut or edit; until then it is marked as machine-chosen.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from .errors import UsageError
from .models import PARTICIPANT
from .quote_text import locate, pieces
from .script import LineIndex, count_words
from .tally import Evidence, Occurrence, Spoken

CHOSEN, CONFIRMED, PINNED, CUT = "chosen", "confirmed", "pinned", "cut"
DECISIONS = (CONFIRMED, PINNED, CUT, CHOSEN)


@dataclass(frozen=True, slots=True)
class Window:
    """Quote lengths in words (settings `[quotes]`): outside the window a quote ranks after those in it."""

    shortest: int = 8
    longest: int = 60
    target: int = 25


@dataclass(frozen=True, slots=True)
class Quote:
    code: str  # the code it was coded with
    coding: int
    document: int
    document_name: str
    spans: tuple[tuple[int, int], ...]  # the fragments, as offsets of the stored text
    text: str  # as it prints
    person: int | None
    speaker: str  # speaker code (or label, before codes are given)
    turn: Spoken
    line: int
    words: int
    disconfirming: bool = False
    id: int | None = None
    status: str = CHOSEN
    reason: str = ""
    edited: bool = False
    starred: bool = False  # starred by a coder while coding: a candidate they pointed out

    @property
    def label(self) -> str:
        return f"Q{self.id}" if self.id is not None else "Q?"

    @property
    def machine_chosen(self) -> bool:
        return self.status == CHOSEN


@dataclass(slots=True)
class Candidates:
    """The quotes a project could use, by code, with the author's decisions applied."""

    by_code: dict[str, list[Quote]]
    problems: list[str] = field(default_factory=list)  # edited quotes that no longer match their transcript


# Candidates.

def candidates(evidence: Evidence, texts, window: Window, decisions: dict[tuple[str, int], dict],
               starred: set[int] = frozenset()) -> Candidates:
    """Every coding spoken by a participant as a quote; `texts(document)` gives (text, LineIndex);
    `decisions` are the stored rows for (code, coding) with `id`, `status`, `text` (an author's edit);
    `starred` the codings coders starred while coding."""
    per_coding: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in evidence.occurrences:
        if occurrence.coding is not None:
            per_coding[occurrence.coding].append(occurrence)
    by_code: dict[str, list[Quote]] = defaultdict(list)
    problems = []
    for coding, occurrences in per_coding.items():
        spoken = [o for o in occurrences if _quotable(evidence, o.turn)]
        if not spoken:
            continue
        text, lines = texts(spoken[0].document)
        main = max(spoken, key=lambda o: count_words(text[max(o.start, o.turn.start):min(o.end, o.turn.end)]))
        quote = _from_coding(evidence, main, text, lines, window)
        if quote is None:
            continue
        quote = replace(quote, starred=coding in starred)
        decided = decisions.get((main.code, coding))
        if decided is not None:
            quote = replace(quote, id=decided["id"], status=decided["status"])
            if decided["text"]:
                edited = _edited(quote, decided["text"], text, lines)
                if edited is None:
                    problems.append(f"{quote.label} ({quote.document_name}, turn {quote.turn.seq}): the edited wording no longer "
                                    "matches the transcript; edit it again or cut it")
                    continue
                quote = edited
        by_code[main.code].append(quote)
    return Candidates(dict(by_code), problems)


def _quotable(evidence: Evidence, turn: Spoken) -> bool:
    person = evidence.people.get(turn.person) if turn.person is not None else None
    return person is not None and (person.is_participant or person.is_group)


def _from_coding(evidence: Evidence, occurrence: Occurrence, text: str, lines: LineIndex, window: Window) -> Quote | None:
    start, end = max(occurrence.start, occurrence.turn.start), min(occurrence.end, occurrence.turn.end)
    start, end = _whole_words(text, start, end, occurrence.turn)
    start, end = _stripped(text, start, end)
    if end <= start:
        return None
    start, end = _trimmed(text, start, end, window)
    words = " ".join(text[start:end].split())
    person = evidence.people.get(occurrence.turn.person)
    return Quote(occurrence.code, occurrence.coding, occurrence.document,
                 evidence.document_names.get(occurrence.document, str(occurrence.document)), ((start, end),), words,
                 occurrence.turn.person, person.name if person else "", occurrence.turn, lines.line(start), count_words(words),
                 occurrence.disconfirming)


def _whole_words(text: str, start: int, end: int, turn: Spoken) -> tuple[int, int]:
    """A span that starts or ends inside a word takes the whole word: a quote never cuts one in half."""
    while turn.start < start < end and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while start < end < turn.end and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _trimmed(text: str, start: int, end: int, window: Window) -> tuple[int, int]:
    """A long coding's first whole sentences that fit the window (at least its first sentence)."""
    if count_words(text[start:end]) <= window.longest:
        return start, end
    from .nlp import sentence_bounds

    sentences = sentence_bounds([text[start:end]])[0]
    stop, words = None, 0
    for first, last in sentences:
        words += count_words(text[start + first:start + last])
        if stop is not None and words > window.longest:
            break
        stop = start + last
    return start, stop if stop is not None else end


def _edited(quote: Quote, wording: str, text: str, lines: LineIndex) -> Quote | None:
    """The author's wording, if every piece of it is the speaker's own, in order, in the quoted turn."""
    found = locate(wording, text, quote.turn.start, quote.turn.end)
    if found is None:
        return None
    return replace(quote, spans=tuple(found.spans), text=" ".join(wording.split()), line=lines.line(found.spans[0][0]),
                   words=count_words(wording), edited=True)


# Choosing.

@dataclass(slots=True)
class Balance:
    """Who and where has been quoted so far (in a theme, or across a table)."""

    attribute: str
    speakers: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    places: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    used: set[tuple[int, tuple]] = field(default_factory=set)

    def take(self, quote: Quote, evidence: Evidence) -> None:
        self.speakers[quote.speaker] += 1
        self.places[_place(evidence, quote, self.attribute)] += 1
        self.used.add((quote.document, quote.spans))


def choose(quotes: list[Quote], evidence: Evidence, window: Window, balance: Balance, count: int) -> list[Quote]:
    """Up to `count` quotes by the ranking, each with the reason it was chosen; `balance` is updated."""
    chosen: list[Quote] = []
    left = [q for q in quotes if q.status != CUT]
    while left and len(chosen) < count:
        best = min(left, key=lambda q: _rank(q, evidence, window, balance))
        # One passage coded twice (two descriptors, one action twice) is still one quote here.
        left = [q for q in left if (q.document, q.spans) != (best.document, best.spans)]
        chosen.append(replace(best, reason=_reason(best, evidence, window, balance)))
        balance.take(best, evidence)
    return chosen


def _rank(quote: Quote, evidence: Evidence, window: Window, balance: Balance) -> tuple:
    person = evidence.people.get(quote.person)
    return (quote.status != PINNED, quote.status != CONFIRMED, not quote.starred, bool(person and person.is_group),
            (quote.document, quote.spans) in balance.used, not window.shortest <= quote.words <= window.longest,
            balance.speakers.get(quote.speaker, 0), balance.places.get(_place(evidence, quote, balance.attribute), 0),
            abs(quote.words - window.target), quote.document_name, quote.spans, quote.coding)


def _reason(quote: Quote, evidence: Evidence, window: Window, balance: Balance) -> str:
    if quote.status in (PINNED, CONFIRMED):
        return f"{quote.status} by the author"
    person = evidence.people.get(quote.person)
    parts = ["starred while coding"] if quote.starred else []
    parts += ["group code" if person and person.is_group else "participant", f"{quote.words} words"
             + ("" if window.shortest <= quote.words <= window.longest else f" (outside {window.shortest}-{window.longest})")]
    parts.append("speaker not yet quoted here" if not balance.speakers.get(quote.speaker) else "speaker quoted here already")
    place = _place(evidence, quote, balance.attribute)
    if place != "?":
        parts.append(f"{balance.attribute} {place} {'new' if not balance.places.get(place) else 'quoted already'}")
    return "machine-chosen: " + ", ".join(parts)


def _place(evidence: Evidence, quote: Quote, attribute: str) -> str:
    return evidence.value(attribute, quote.turn) or "?"


# Phrases.

_CLAUSE = re.compile(r"[^.;:!?,—–]+")


def inline_phrase(quote: Quote, longest: int = 12) -> str:
    """A short run of the speaker's own words for a sentence of the report: the longest clause of at most
    `longest` words (at least five) between the quote's cuts and additions, else its first words with the
    rest marked as cut, `[...]`."""
    runs = pieces(quote.text) or [quote.text]
    clauses = [c.strip(" ,;:") for run in runs for c in _CLAUSE.findall(run) if 5 <= count_words(c) <= longest]
    if clauses:
        return max(clauses, key=count_words)
    words = runs[0].split()
    return " ".join(words[:longest]) + (" [...]" if len(words) > longest or len(runs) > 1 else "")


def window_from(settings) -> Window:
    shortest, longest, target = (settings[f"quotes.{name}"] for name in ("shortest", "longest", "target"))
    if not all(isinstance(n, int) and n > 0 for n in (shortest, longest, target)) or not shortest <= target <= longest:
        raise UsageError("[quotes] shortest <= target <= longest in qualcode.toml, in words (e.g. 8, 25, 60)")
    return Window(shortest, longest, target)


# An author's decisions.

def quote_number(reference: str) -> int:
    text = reference.strip().upper().removeprefix("Q")
    if not text.isdigit():
        raise UsageError(f"{reference}: a quote id is Q and a number, e.g. Q12 (see a bank's trace CSV)")
    return int(text)


def _stored(project, reference: str) -> dict:
    row = project.store.quote(quote_number(reference))
    if row is None:
        raise UsageError(f"{reference}: no such quote; quote ids are in the trace CSV written with each bank or table")
    return row


def decide(project, reference: str, status: str, wording: str | None = None) -> str:
    """Confirm, pin or cut a quote, or confirm it with new wording checked against the transcript."""
    if status not in DECISIONS:
        raise UsageError(f"{status}: a quote is confirmed, pinned, cut or chosen")
    store = project.store
    row = _stored(project, reference)
    text = row["text"]
    if wording is not None:
        document = store.document_text(row["document_id"])
        turn = _quoted_turn(store, row, document)
        if not wording.strip() or turn is None or locate(wording, document, turn["start"], turn["end"]) is None:
            raise UsageError(f"Q{row['id']}: {wording!r} is not the speaker's words in order; keep their words, mark cuts "
                             "as [...] and additions in [brackets] (`qualcode quote show` prints the transcript's)")
        text = " ".join(wording.split())
    detail = status + (f": {text}" if wording is not None else "")
    with store.unit_of_work():
        store.decide_quote(row["id"], status, text, detail)
    return f"Q{row['id']} {status}" + (" with the new wording" if wording is not None else "")


def _quoted_turn(store, row: dict, text: str) -> dict | None:
    """The turn a stored quote comes from, as `candidates` chooses it: of the participants' (and group
    codes') turns the coding covers, the one with the most of its words."""
    speakers = {p["id"] for p in store.people_rows() if p["role"] == PARTICIPANT or p["is_group"]}
    covered = [t for t in store.turn_rows(row["document_id"])
               if t["start"] < row["end"] and t["end"] > row["start"] and t["person_id"] in speakers]
    return max(covered, key=lambda t: count_words(text[max(t["start"], row["start"]):min(t["end"], row["end"])]), default=None)


def describe(project, reference: str) -> str:
    from .script import format_time

    store = project.store
    row = _stored(project, reference)
    document = store.document_text(row["document_id"])
    turns = [t for t in store.turn_rows(row["document_id"]) if t["start"] < row["end"] and t["end"] > row["start"]]
    name = next(d["name"] for d in store.document_refs() if d["id"] == row["document_id"])
    where = ", ".join(f"turn {t['seq']}" + (f" at {format_time(t['time_start'])}" if t["time_start"] is not None else "") for t in turns)
    lines = [f"Q{row['id']}  {row['code']}  {row['status']}", f"{name}, {where}",
             f"coded text: {' '.join(document[row['start']:row['end']].split())}"]
    if row["text"]:
        lines.append(f"author's wording: {row['text']}")
    if row["reason"]:
        lines.append(f"first chosen: {row['reason']}")
    return "\n".join(lines) + "\n"
