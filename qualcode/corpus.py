"""The imported corpus: naming documents, their attributes, and what `documents` and `show` present."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .models import DocumentSummary, Script, Turn, TurnView
from .project import Project
from .script import LineIndex, paragraph_spans, sentence_spans

UNITS = ("turn", "paragraph", "sentence")



def resolve_document(project: Project, reference: str) -> dict:
    """A document by its name or id, else a unique stem (name without suffix), else a unique prefix."""
    found = _matches(project.store.document_refs(), reference)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise UsageError(f"{reference!r} names {len(found)} documents: " + ", ".join(r["name"] for r in found) + "; use the full name or the id")
    raise UsageError(f"no document {reference!r}; `qualcode documents` lists them")


def _matches(refs: list[dict], reference: str) -> list[dict]:
    """The documents a reference names under the first rule that names any: exact, then stem, then prefix."""
    for rule in (
        lambda r: r["name"] == reference or str(r["id"]) == reference,
        lambda r: Path(r["name"]).stem == reference or Path(r["name"]).name == reference,
        lambda r: r["name"].startswith(reference),
    ):
        found = [r for r in refs if rule(r)]
        if found:
            return found
    return []


def documents(project: Project) -> list[DocumentSummary]:
    return project.store.document_summaries()


def turns(project: Project, reference: str) -> tuple[dict, list[TurnView]]:
    document = resolve_document(project, reference)
    return document, project.store.turn_views(document["id"])


def units(project: Project, reference: str, unit: str = "turn", turn_range: str | None = None) -> tuple[dict, list[TurnView]]:
    """A document's turns, or its paragraphs or sentences as spans labelled with their turn's speaker;
    all of them, or those of the turns in `turn_range` (`3`, `3-8`, `10-`)."""
    if unit not in UNITS:
        raise UsageError(f"--by {unit}: choose one of {', '.join(UNITS)}")
    first, last = parse_turn_range(turn_range)
    document, views = turns(project, reference)
    views = [v for v in views if first <= v.seq <= last]
    if unit == "turn":
        return document, views
    text = project.store.document_text(document["id"])
    script = Script(text, [Turn(v.seq, v.speaker_label, None, None, v.start, v.end) for v in views])
    spans = paragraph_spans(script) if unit == "paragraph" else sentence_spans(script)
    by_seq = {v.seq: v for v in views}
    lines = LineIndex(text)
    return document, [
        TurnView(span.turn_seq, by_seq[span.turn_seq].speaker_label, by_seq[span.turn_seq].role, span.start, span.end,
                 lines.line(span.start), by_seq[span.turn_seq].time_start, by_seq[span.turn_seq].time_end,
                 by_seq[span.turn_seq].question, text[span.start:span.end])
        for span in spans
    ]


def parse_turn_range(text: str | None) -> tuple[int, float]:
    """`3` -> (3, 3); `3-8` -> (3, 8); `10-` -> (10, inf); None -> everything."""
    if text is None:
        return 1, float("inf")
    start, dash, end = text.strip().partition("-")
    try:
        first = int(start)
        last = (int(end) if end else float("inf")) if dash else first
    except ValueError:
        raise UsageError(f"--turns {text}: give a turn number or a range, e.g. 3, 3-8 or 10-") from None
    if first < 1 or last < first:
        raise UsageError(f"--turns {text}: turns are numbered from 1, and a range runs upwards, e.g. 3-8")
    return first, last


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """`key=value` pairs from the command line."""
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"attribute {pair!r}: write it as key=value, e.g. --attr wave=1")
        result[key.strip()] = value.strip()
    return result


def apply_attributes(project: Project, sheet: dict[str, dict[str, str]]) -> tuple[int, list[str]]:
    """Rows are matched to documents as commands match them (name, id, stem, prefix)."""
    refs = project.store.document_refs()
    unknown, matched = [], {}
    for reference, attributes in sheet.items():
        found = _matches(refs, reference)
        if len(found) == 1:
            matched[found[0]["id"]] = (found[0]["name"], attributes)
        else:
            unknown.append(reference)
    with project.store.unit_of_work():
        for document_id, (name, attributes) in matched.items():
            project.store.set_document_attributes(document_id, name, attributes)
    return len(matched), unknown


def set_attributes(project: Project, reference: str, assignments: list[str]) -> None:
    document = resolve_document(project, reference)
    attributes = parse_assignments(assignments)
    with project.store.unit_of_work():
        project.store.set_document_attributes(document["id"], document["name"], attributes)
