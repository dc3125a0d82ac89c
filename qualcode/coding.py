"""Coding by hand from the command line, and the coding index.

A coding is a span of a document's stored text with a code, who made it, how (`manual`, a rule, a
model, an import), its status (suggested, accepted, rejected), the codebook version it was made
under, and its quote with some context so it can be placed again when the text changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .codebook import Codebook, codebook_path, load_codebook
from .corpus import resolve_document
from .errors import UsageError
from .models import ORPHANED, Code, Script, Turn
from .project import Project
from .script import TextCache, quote_in, sentence_spans

ACCEPTED, SUGGESTED, REJECTED = "accepted", "suggested", "rejected"
MANUAL = "manual"
FLAGS = ("disconfirming",)


@dataclass(frozen=True, slots=True)
class Location:
    """Where to code: a turn, a sentence of a turn, or character offsets of the stored text."""

    turn: int | None = None
    sentence: int | None = None
    span: str | None = None  # "START:END"


@dataclass(frozen=True, slots=True)
class CodingResult:
    document: str
    code: str
    start: int
    end: int
    quote: str
    changed: int  # codings added or removed
    created_code: bool = False


def project_codebook(project: Project) -> Codebook:
    return load_codebook(codebook_path(project))


def code_document(project: Project, reference: str, code_reference: str, where: Location, *, remove: bool = False,
                  flags: tuple[str, ...] = (), action: str | None = None, new_code: bool = False,
                  parent: str | None = None) -> CodingResult:
    """Add (or remove) a code at one place of a document. With `new_code`, a code the codebook lacks is
    added to the codebook file first (inductive coding), under `parent`. `action` names the action a
    coding of a code counted as actions records (codings with one id are one action)."""
    unknown = [f for f in flags if f not in FLAGS]
    if unknown:
        raise UsageError(f"--flag {unknown[0]}: the flags are {', '.join(FLAGS)}")
    store = project.store
    document = resolve_document(project, reference)
    text = store.document_text(document["id"])
    start, end = _span(store, document, text, where)
    codebook = project_codebook(project)
    code = codebook.find(code_reference)
    created = False
    if len(codebook.named(code_reference)) > 1:
        raise UsageError(f"{code_reference!r} names {len(codebook.named(code_reference))} codes ("
                         + ", ".join(c.id for c in codebook.named(code_reference)) + "); use the id")
    if code is None:
        if remove or not new_code:
            raise UsageError(f"no code {code_reference!r} in the codebook; `qualcode codebook show` lists them"
                             + ("" if remove else ", or pass --new to add it"))
        code = add_code(project, code_reference, parent)
        codebook, created = project_codebook(project), True
    if action is not None and code.count_as != "actions":
        raise UsageError(f"--action: {code.id} counts mentions; give it `count_as: actions` in the codebook to record actions")
    if remove:
        with store.unit_of_work():
            ids = [c["id"] for c in store.codings(document["id"], code.id) if c["start"] < end and start < c["end"]]
            if ids:
                store.remove_codings(ids, document["name"], f"{code.id} at {start}:{end}")
        return CodingResult(document["name"], code.id, start, end, text[start:end], len(ids))
    record_coding(project, document, text, codebook, code, start, end, disconfirming="disconfirming" in flags, action=action)
    return CodingResult(document["name"], code.id, start, end, quote_in(text, start, end)[0], 1, created)


def record_coding(project: Project, document: dict, text: str, codebook: Codebook, code: Code, start: int, end: int, *,
                  disconfirming: bool = False, action: str | None = None) -> int:
    """Save one coding by hand (with the codebook version it was made under) as one unit of work."""
    store = project.store
    with store.unit_of_work():
        store.save_codebook_version(codebook.version, codebook.name, codebook.content())
        quote, before, after = quote_in(text, start, end)
        [coding_id] = store.add_codings(document["id"], document["name"], [{
            "start": start, "end": end, "code": code.id, "status": ACCEPTED, "origin": MANUAL, "codebook_version": codebook.version,
            "disconfirming": disconfirming, "action": action, "quote": quote, "before": before, "after": after}])
    return coding_id


def _span(store, document: dict, text: str, where: Location) -> tuple[int, int]:
    if where.span is not None:
        if where.turn is not None or where.sentence is not None:
            raise UsageError("give --span on its own, or --turn (with --sentence)")
        match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", where.span)
        if not match or not int(match[1]) < int(match[2]) <= len(text):
            raise UsageError(f"--span {where.span}: give START:END offsets within the text (0 to {len(text)}), START before END")
        return int(match[1]), int(match[2])
    if where.turn is None:
        raise UsageError("say where: --turn N (with --sentence K), or --span START:END")
    turns = {t["seq"]: t for t in store.turn_rows(document["id"])}
    turn = turns.get(where.turn)
    if turn is None:
        raise UsageError(f"{document['name']} has turns 1 to {max(turns, default=0)}; `qualcode show {document['name']}` numbers them")
    if where.sentence is None:
        return turn["start"], turn["end"]
    sentences = sentence_spans(Script(text, [Turn(turn["seq"], turn["label"], None, None, turn["start"], turn["end"])]))
    if not 1 <= where.sentence <= len(sentences):
        raise UsageError(f"turn {where.turn} has sentences 1 to {len(sentences)}")
    chosen = sentences[where.sentence - 1]
    return chosen.start, chosen.end


def add_code(project: Project, label: str, parent: str | None = None) -> Code:
    """Add a code to the codebook file (keeping its comments and order), under `parent` or at the top."""
    from .codebook_file import append_codes

    path = codebook_path(project)
    codebook = project_codebook(project)
    if parent is not None:
        codebook.resolve(parent, "--parent")
    parent_id = codebook.find(parent).id if parent else None
    code_id = new_code_id(label, parent_id, set(codebook.codes))
    append_codes(path, [{"id": code_id, "label": label, "parent": parent_id}])
    return load_codebook(path).codes[code_id]


def new_code_id(label: str, parent: str | None, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:40] or "code"
    base = f"{parent}.{slug}" if parent else slug
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def _turn_at(turns: list[dict], offset: int) -> dict | None:
    """The turn a character offset falls in (its label included)."""
    found = None
    for turn in turns:
        if (turn["label_start"] if turn["label_start"] is not None else turn["start"]) <= offset:
            found = turn
    return found


@dataclass(frozen=True, slots=True)
class IndexEntry:
    code: str
    path: str
    document: str
    turn: int | None
    line: int
    time: float | None
    start: int
    end: int
    quote: str
    coder: str  # who accepted it (a suggestion), or who made it
    status: str
    placement: str


def coding_index(project: Project, code: str | None = None, orphaned: bool = False) -> list[IndexEntry]:
    """Code -> document -> locations (turn, line, time) with the quoted text, in codebook order."""
    store = project.store
    codebook = project_codebook(project)
    chosen = None
    if code is not None:
        found = codebook.find(code)
        if found is None:
            raise UsageError(f"no code {code!r} in the codebook; `qualcode codebook show` lists them")
        chosen = {found.id, *codebook.descendants(found.id)}
    order = {code_id: n for n, code_id in enumerate(codebook.codes)}
    entries, texts, turns = [], TextCache(store.document_text), {}
    for coding in store.codings():
        if chosen is not None and coding["code"] not in chosen or orphaned and coding["placement"] != ORPHANED:
            continue
        document_id = coding["document_id"]
        if document_id not in turns:
            turns[document_id] = store.turn_rows(document_id)
        turn = _turn_at(turns[document_id], coding["start"]) if coding["placement"] != ORPHANED else None  # its place is gone
        entries.append(IndexEntry(coding["code"], codebook.path(coding["code"]) or f"{coding['code']} (not in the codebook)",
                                  coding["document"], turn["seq"] if turn else None, texts(document_id)[1].line(coding["start"]),
                                  turn["time_start"] if turn else None, coding["start"], coding["end"], coding["quote"],
                                  coding["decided_by"] or coding["coder"], coding["status"],
                                  coding["placement"]))
    return sorted(entries, key=lambda e: (order.get(e.code, len(order)), e.document, e.start))

