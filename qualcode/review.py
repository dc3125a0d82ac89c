"""Reviewing suggestions: a machine's suggestion becomes a coding only when a person accepts it.

Suggestions are chosen by code (with the codes under it), rule and document; they are accepted or
rejected in bulk, or one at a time, where a suggestion can also be widened or narrowed (match ->
sentence -> paragraph -> turn) before it is accepted. Every decision records who and when, and is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .coding import ACCEPTED, REJECTED, SUGGESTED, project_codebook
from .corpus import resolve_document
from .errors import UsageError
from .models import Script, Turn
from .project import Project
from .script import LineIndex, TextCache, context, paragraph_spans, quote_in, sentence_spans

_CONTEXT = 60


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    document: str
    document_id: int
    code: str
    path: str
    rule: str
    start: int
    end: int
    line: int
    before: str  # context on one line
    text: str
    after: str


@dataclass(frozen=True, slots=True)
class Selection:
    code: str | None = None
    rule: str | None = None  # a substring of the origin, e.g. `keyword:cover` or a code id
    document: str | None = None


def suggestions(project: Project, selection: Selection = Selection()) -> list[Suggestion]:
    """The suggestions waiting for a decision, in document order."""
    store = project.store
    codebook = project_codebook(project)
    codes = None
    if selection.code is not None:
        code = codebook.resolve(selection.code)
        codes = {code.id, *codebook.descendants(code.id)}
    document_id = resolve_document(project, selection.document)["id"] if selection.document else None
    found, texts = [], TextCache(store.document_text)
    for row in store.codings(document_id=document_id, status=SUGGESTED):
        if codes is not None and row["code"] not in codes or selection.rule and selection.rule not in row["origin"]:
            continue
        text, lines = texts(row["document_id"])
        start, end = row["start"], row["end"]
        found.append(Suggestion(row["id"], row["document"], row["document_id"], row["code"], codebook.path(row["code"]) or row["code"],
                                row["origin"], start, end, lines.line(start), *_around(text, start, end)))
    if selection.rule and not found and not any(selection.rule in r["origin"] for r in store.codings(status=SUGGESTED)):
        raise UsageError(f"--rule {selection.rule}: no suggestion comes from such a rule; `qualcode review --list` shows the rules")
    return found


def _around(text: str, start: int, end: int) -> tuple[str, str, str]:
    before, after = context(text, start, end, _CONTEXT)
    return before, text[start:end], after


def decide(project: Project, chosen: list[Suggestion], accept: bool) -> int:
    """Accept or reject these suggestions, in one unit of work; returns how many."""
    return decide_codings(project, [(s.id, s.document, s.code) for s in chosen], accept)


def decide_codings(project: Project, chosen: list[tuple[int, str, str]], accept: bool) -> int:
    """Accept or reject suggestions given as (coding id, document name, code), in one unit of work."""
    store = project.store
    if not chosen:
        return 0
    with store.unit_of_work():
        store.decide_codings([coding_id for coding_id, _, _ in chosen], ACCEPTED if accept else REJECTED)
        for document in dict.fromkeys(name for _, name, _ in chosen):
            codes = sorted({code for _, name, code in chosen if name == document})
            store.log_change("accept" if accept else "reject", document,
                             f"{sum(1 for _, name, _ in chosen if name == document)} suggestion(s): " + ", ".join(codes))
    return len(chosen)


def wider(project: Project, suggestion: Suggestion) -> tuple[int, int]:
    """The next larger unit around a suggestion: its sentence, then paragraph, then turn (itself at the top)."""
    store = project.store
    text = store.document_text(suggestion.document_id)
    turn = next(t for t in store.turn_rows(suggestion.document_id) if t["start"] <= suggestion.start and suggestion.end <= t["end"])
    script = Script(text, [Turn(turn["seq"], turn["label"], None, None, turn["start"], turn["end"])])
    for spans in (sentence_spans(script), paragraph_spans(script), script.turns):
        for unit in spans:
            if unit.start <= suggestion.start and suggestion.end <= unit.end and (unit.start, unit.end) != (suggestion.start, suggestion.end):
                return unit.start, unit.end
    return suggestion.start, suggestion.end


def move(project: Project, suggestion: Suggestion, start: int, end: int) -> Suggestion:
    """The suggestion over another span of its document, saved at once."""
    store = project.store
    text = store.document_text(suggestion.document_id)
    with store.unit_of_work():
        store.move_coding(suggestion.id, start, end, *quote_in(text, start, end), suggestion.document)
    return Suggestion(suggestion.id, suggestion.document, suggestion.document_id, suggestion.code, suggestion.path, suggestion.rule,
                      start, end, LineIndex(text).line(start), *_around(text, start, end))


Answer = str  # accept | reject | wider | narrower | skip | quit


def walk(project: Project, ask: Callable[[Suggestion, int, int], Answer], selection: Selection = Selection()) -> tuple[int, int]:
    """Go through suggestions one at a time; every answer is saved as it is given, so quitting loses
    nothing and a later walk resumes with what is left. `wider` takes in the sentence, paragraph or
    turn around the suggestion; `narrower` goes back a step. Returns (accepted, rejected)."""
    waiting = suggestions(project, selection)
    accepted = rejected = 0
    for number, suggestion in enumerate(waiting, 1):
        earlier: list[tuple[int, int]] = []
        while (answer := ask(suggestion, number, len(waiting))) in {"wider", "narrower"}:
            if answer == "wider":
                span = wider(project, suggestion)
                if span != (suggestion.start, suggestion.end):
                    earlier.append((suggestion.start, suggestion.end))
                    suggestion = move(project, suggestion, *span)
            elif earlier:
                suggestion = move(project, suggestion, *earlier.pop())
        if answer == "quit":
            break
        if answer in {"accept", "reject"}:
            decide(project, [suggestion], answer == "accept")
            accepted += answer == "accept"
            rejected += answer == "reject"
    return accepted, rejected
