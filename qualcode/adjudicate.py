"""Disagreements between coders, and adjudicating them into a consensus coder tallies can use.

A disagreement is a code present in a turn for some coders and not others (among the units `agree`
compares). Adjudication walks them: each decision is saved as it is made (one unit of work), as a
coding by the coder `consensus` over the turn's words: accepted where the code belongs there, rejected
where it does not, so a walk can stop and resume. Turns where every coder agreed the code is present
become consensus codings when the walk starts. `tally --coder consensus` then counts these codings.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError
from .script import format_time, quote_in
from .tally import CONSENSUS, evidence_sources, load_evidence

ORIGIN = "adjudicated"


@dataclass(frozen=True, slots=True)
class Disagreement:
    code: str
    path: str
    document_id: int
    document: str
    turn: int  # its number in the document
    time: str
    start: int
    end: int
    text: str
    coded_by: list[str]
    not_by: list[str]
    codes: dict[str, list[str]]  # each coder's codes in this turn (ids), to see what was used instead


def _units(project, coders: list[str]):
    """Per (code, document, turn): which coders coded it there; and the turns in the sample (or all)."""
    from .coding import project_codebook

    store = project.store
    samples = store.samples()
    documents = set(samples[-1]["documents"]) if samples else {d["id"] for d in store.document_refs()}
    respondents = set(samples[-1]["respondents"]) if samples and samples[-1]["respondents"] is not None else None
    known = project_codebook(project).codes  # codes taken out of the codebook are not disputed any more
    seen: dict[tuple[str, int, int], set[str]] = {}
    turns = {}
    sources = evidence_sources(store)  # read once for every coder
    for coder in coders:
        evidence = load_evidence(store, coder, sources=sources)
        for occurrence in evidence.occurrences:
            if occurrence.document in documents and occurrence.code in known \
                    and (respondents is None or occurrence.turn.person in respondents):
                seen.setdefault((occurrence.code, occurrence.document, occurrence.turn.id), set()).add(coder)
                turns[occurrence.turn.id] = occurrence.turn
    return seen, turns


def disagreements(project, coders: list[str]) -> list[Disagreement]:
    """Every code × turn some of the coders put there and others did not, in document and turn order."""
    if len(coders) < 2 or len(set(coders)) < len(coders):
        raise UsageError("--coders: name two or more different coders, e.g. --coders anna,ben")
    return _disagreements(project, coders, *_units(project, coders))


def _disagreements(project, coders: list[str], seen: dict, turns: dict) -> list[Disagreement]:
    from .coding import project_codebook

    codebook = project_codebook(project)
    store = project.store
    names = {d["id"]: d["name"] for d in store.document_refs()}
    texts: dict[int, str] = {}
    in_turn: dict[tuple[int, int], dict[str, list[str]]] = {}
    for (code, document, turn_id), who in seen.items():
        for coder in who:
            in_turn.setdefault((document, turn_id), {}).setdefault(coder, []).append(code)
    found = []
    for (code, document, turn_id), who in seen.items():
        if len(who) == len(coders):
            continue
        turn = turns[turn_id]
        if document not in texts:
            texts[document] = store.document_text(document)
        text = texts[document]
        found.append(Disagreement(code, codebook.path(code) or code, document, names[document], turn.seq, format_time(turn.time),
                                  turn.start, turn.end, " ".join(text[turn.start:turn.end].split()),
                                  sorted(who, key=coders.index), [c for c in coders if c not in who],
                                  {c: sorted(in_turn[document, turn_id].get(c, [])) for c in coders}))
    return sorted(found, key=lambda d: (d.document, d.turn, d.path))


def _decided(store) -> set[tuple[str, int, int, int]]:
    return {(c["code"], c["document_id"], c["start"], c["end"]) for c in store.codings() if c["coder"] == CONSENSUS}


def pending(project, coders: list[str]) -> list[Disagreement]:
    """The disagreements not yet decided; turns every coder agreed on become consensus codings first."""
    from .coding import ACCEPTED, project_codebook

    store = project.store
    seen, turns = _units(project, coders)
    decided = _decided(store)
    codebook = project_codebook(project)
    agreed = [(code, turns[turn_id]) for (code, _, turn_id), who in seen.items() if len(who) == len(coders)]
    fresh = [(code, turn) for code, turn in agreed if (code, turn.document, turn.start, turn.end) not in decided]
    if fresh:
        with store.unit_of_work():
            store.save_codebook_version(codebook.version, codebook.name, codebook.content())
            names = {d["id"]: d["name"] for d in store.document_refs()}
            for code, turn in fresh:
                _save(store, code, turn.document, names[turn.document], turn.start, turn.end, ACCEPTED, codebook.version,
                      f"{ORIGIN}:agreed")
    return [d for d in _disagreements(project, coders, seen, turns) if (d.code, d.document_id, d.start, d.end) not in decided]


def decide(project, disagreement: Disagreement, belongs: bool) -> None:
    """The code belongs in this turn (a consensus coding), or not (a rejected one): saved at once."""
    from .coding import ACCEPTED, REJECTED, project_codebook

    store = project.store
    codebook = project_codebook(project)
    with store.unit_of_work():
        store.save_codebook_version(codebook.version, codebook.name, codebook.content())
        _save(store, disagreement.code, disagreement.document_id, disagreement.document, disagreement.start, disagreement.end,
              ACCEPTED if belongs else REJECTED, codebook.version,
              f"{ORIGIN}:{'+'.join(disagreement.coded_by)}/{'+'.join(disagreement.not_by)}")


def _save(store, code: str, document_id: int, name: str, start: int, end: int, status: str, version: str, origin: str) -> None:
    quote, before, after = quote_in(store.document_text(document_id), start, end)
    store.add_codings(document_id, name, [{"start": start, "end": end, "code": code, "status": status, "origin": origin,
                                           "codebook_version": version, "quote": quote, "before": before, "after": after,
                                           "coder": CONSENSUS}])
