"""Search: keyword in context across the corpus, and coding what is found.

Modes: `lemma` (the default: `coach` finds `coaches`, `coaching`), `phrase` (the words as written,
case aside), `regex`, and `fuzzy` (one word and its near spellings in the corpus). Filters: document,
speaker label, speaker role, document attribute, and a code the hits must lie inside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .coding import ACCEPTED, project_codebook
from .corpus import parse_assignments, resolve_document
from .errors import UsageError
from .project import Project
from .script import LineIndex, context, quote_in

MODES = ("lemma", "phrase", "regex", "fuzzy")
_CONTEXT = 50


@dataclass(frozen=True, slots=True)
class Hit:
    document: str
    document_id: int
    turn: int
    speaker: str | None
    line: int
    start: int
    end: int
    before: str
    text: str
    after: str


@dataclass(frozen=True, slots=True)
class Filters:
    document: str | None = None
    speaker: str | None = None
    role: str | None = None
    attributes: tuple[str, ...] = ()  # key=value
    inside: str | None = None  # a code the hits must lie inside


def search(project: Project, query: str, mode: str = "lemma", filters: Filters = Filters(), fuzzy_cutoff: int = 85) -> list[Hit]:
    if mode not in MODES:
        raise UsageError(f"--mode {mode}: choose one of {', '.join(MODES)}")
    if not query.strip():
        raise UsageError("say what to search for, e.g. qualcode search 'protected time'")
    store = project.store
    wanted = parse_assignments(list(filters.attributes))
    only = resolve_document(project, filters.document)["id"] if filters.document else None
    inside = _inside_codes(project, filters.inside)
    documents = [d for d in store.all_documents() if (only is None or d["id"] == only) and _has(store.document_attributes(d["id"]), wanted)]
    finder = _finder(query, mode, [d["text"] for d in documents], fuzzy_cutoff)
    people = {p["id"]: p for p in store.people_for_codes()}
    hits = []
    for document in documents:
        text, lines = document["text"], None
        turns = [t for t in store.turn_rows(document["id"]) if _speaks(t, people, filters)]
        spans = [(t["start"] + s, t["start"] + e, t) for t, found in zip(turns, finder([text[t["start"]:t["end"]] for t in turns]))
                 for s, e in found]
        if inside is not None:
            coded = [(c["start"], c["end"]) for c in store.codings(document["id"]) if c["code"] in inside and c["status"] == ACCEPTED]
            spans = [span for span in spans if any(s <= span[0] and span[1] <= e for s, e in coded)]
        for start, end, turn in spans:
            lines = lines or LineIndex(text)
            before, after = context(text, start, end, _CONTEXT)
            hits.append(Hit(document["name"], document["id"], turn["seq"], turn["label"], lines.line(start), start, end, before,
                            text[start:end], after))
    return hits


def _has(attributes: dict[str, str], wanted: dict[str, str]) -> bool:
    folded = {k.casefold(): v.casefold() for k, v in attributes.items()}
    return all(folded.get(k.casefold()) == v.casefold() for k, v in wanted.items())


def _speaks(turn: dict, people: dict[int, dict], filters: Filters) -> bool:
    if filters.speaker and (turn["label"] or "").casefold() != filters.speaker.casefold():
        return False
    if filters.role:
        person = people.get(turn["person_id"]) if turn["person_id"] is not None else None
        roles = {person["role"], str(person["attributes"].get("role", ""))} if person else set()
        if filters.role.casefold() not in {r.casefold() for r in roles}:
            return False
    return True


def _inside_codes(project: Project, reference: str | None) -> set[str] | None:
    if reference is None:
        return None
    codebook = project_codebook(project)
    code = codebook.resolve(reference, "--in-code")
    return {code.id, *codebook.descendants(code.id)}


def _finder(query: str, mode: str, texts: list[str], cutoff: int):
    """A function from a list of turn texts to the (start, end) spans found in each."""
    if mode == "regex":
        try:
            pattern = re.compile(query, re.IGNORECASE)
        except re.error as error:
            raise UsageError(f"{query!r} is not a regular expression ({error}); use --mode phrase for plain words") from None
        return lambda turns: [[(m.start(), m.end()) for m in pattern.finditer(t) if m.end() > m.start()] for t in turns]
    if mode == "fuzzy":
        if len(query.split()) != 1:
            raise UsageError("--mode fuzzy looks for one word and its near spellings; use --mode lemma for phrases")
        from rapidfuzz import fuzz, process

        from .autocode import corpus_words

        vocabulary = sorted(corpus_words(texts))
        near = {vocabulary[i] for i, score in enumerate(process.cdist([query.casefold()], vocabulary, scorer=fuzz.ratio,
                                                                      score_cutoff=cutoff, workers=-1)[0]) if score}
        word = re.compile(r"[^\W\d_]+")
        return lambda turns: [[(m.start(), m.end()) for m in word.finditer(t) if m.group().casefold() in near] for t in turns]
    from .nlp import TermMatcher

    matcher = TermMatcher({"query": [(query, mode == "lemma")]})
    return lambda turns: [[(s, e) for _, s, e, _ in found] for found in matcher.find(turns)]


def check_code(project: Project, code_reference: str):
    code = project_codebook(project).resolve(code_reference)
    return code


def code_hits(project: Project, hits: list[Hit], code_reference: str, query: str) -> int:
    """Code every hit (accepted, by whoever runs the search); one unit of work. Returns how many."""
    store = project.store
    codebook = project_codebook(project)
    code = check_code(project, code_reference)
    existing = {(c["document_id"], c["start"], c["end"]) for c in store.codings(code=code.id)}
    by_document: dict[int, list[dict]] = {}
    for hit in hits:
        if (hit.document_id, hit.start, hit.end) in existing:
            continue
        text = store.document_text(hit.document_id)
        quote, before, after = quote_in(text, hit.start, hit.end)
        by_document.setdefault(hit.document_id, []).append({
            "start": hit.start, "end": hit.end, "code": code.id, "status": ACCEPTED, "origin": f"search:{query}",
            "codebook_version": codebook.version, "quote": quote, "before": before, "after": after})
    names = {hit.document_id: hit.document for hit in hits}
    with store.unit_of_work():
        store.save_codebook_version(codebook.version, codebook.name, codebook.content())
        for document_id, rows in by_document.items():
            store.add_codings(document_id, names[document_id], rows, summary=f"{len(rows)} search hit(s) for {query!r} coded {code.id}")
    return sum(len(rows) for rows in by_document.values())
