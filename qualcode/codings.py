"""Codings in and out: `qualcode codings import FILE` and `qualcode codings export -o FILE`.

A codings file (CSV, or JSON lines) has a row per coding: `document` (name, stem, or the sha256 of
its stored text), `coder`, `code` (id, or the path of labels joined with ` > `), and a place: `turn`
(from 1), `start`/`end` (offsets of the stored text), or `text` (the quote, found ignoring differences
in white space and line-break hyphenation). Export writes the same columns with `document_sha256`, so
importing into a project whose text differs is refused. Import is one unit of work: bad rows stop it
before anything is written; quotes found nowhere or in several places are listed, never guessed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .codebook import codebook_path
from .codebook_file import append_codes
from .coding import ACCEPTED, new_code_id, project_codebook
from .corpus import resolve_document
from .errors import InputFileError, UsageError
from .project import Project
from .script import quote_in

IMPORTED = "import"
COLUMNS = ("document", "document_sha256", "coder", "code", "code_id", "turn", "start", "end", "text", "status")


@dataclass(slots=True)
class ImportReport:
    imported: int = 0
    already: int = 0  # rows matching a coding the project has (same document, code, place, coder)
    created_codes: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # `file:line: why`


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_codings(project: Project, path: Path, mapping: dict[str, str] | None = None, coder: str | None = None,
                   create_codes: bool = False) -> ImportReport:
    unknown = sorted(set(mapping or {}) - set(COLUMNS))
    if unknown:
        raise UsageError(f"--map {unknown[0]}=…: our columns are {', '.join(COLUMNS)}")
    rows = _read_rows(path, mapping or {})
    store = project.store
    documents = {d["id"]: d for d in store.all_documents()}
    by_hash = {text_sha256(d["text"]): d for d in documents.values()}
    report = ImportReport()
    # Every row is checked before anything is written, the codebook file included.
    checked, problems = [], []
    codebook = project_codebook(project)
    for line, row in rows:
        document = _document(project, row, by_hash, documents, path, line)
        if row.get("document_sha256") and row["document_sha256"] != text_sha256(document["text"]):
            problems.append(f"{document['name']} (line {line})")
            continue
        if codebook.find(row.get("code", "")) is None and not create_codes:
            raise InputFileError(path, f"unknown code {row.get('code')!r}", line=line, hint="add it to the codebook, or pass --create-codes")
        who = row.get("coder") or coder
        if not who:
            raise InputFileError(path, "no coder", line=line, hint="the file needs a `coder` column, or pass --coder NAME")
        span = _place(store, document, row, path, line)
        if isinstance(span, str):
            report.unplaced.append(f"{path}:{line}: {span}")
        else:
            checked.append((document, row, who, span))
    if problems:
        raise UsageError(f"{path}: made on other text than this project's for {', '.join(dict.fromkeys(problems))}; "
                         "import it into the project it was exported from, or remove document_sha256 to place by quote")
    if create_codes:
        report.created_codes = _create_codes(project, [row["code"] for _, row, _, _ in checked if row.get("code")])
        codebook = project_codebook(project)
    existing = {(c["document_id"], c["code"], c["start"], c["end"], c["coder"]) for c in store.codings()}
    placed: dict[int, list[dict]] = {}
    for document, row, who, (start, end) in checked:
        code = codebook.find(row["code"])
        if (document["id"], code.id, start, end, who) in existing:
            report.already += 1  # imported before: a coding is not counted twice
            continue
        existing.add((document["id"], code.id, start, end, who))
        quote, before, after = quote_in(document["text"], start, end)
        placed.setdefault(document["id"], []).append({
            "start": start, "end": end, "code": code.id, "coder": who, "status": row.get("status") or ACCEPTED,
            "origin": IMPORTED, "codebook_version": codebook.version, "quote": quote, "before": before, "after": after})
    with store.unit_of_work():
        store.save_codebook_version(codebook.version, codebook.name, codebook.content())
        for document_id, new in placed.items():
            store.add_codings(document_id, documents[document_id]["name"], new, summary=f"{len(new)} coding(s) imported from {path.name}")
            report.imported += len(new)
    return report


def _read_rows(path: Path, mapping: dict[str, str]) -> list[tuple[int, dict]]:
    """(line, row) with our column names: `--map text=segment` reads the file's `segment` as `text`."""
    renamed = {theirs.casefold(): ours for ours, theirs in mapping.items()}
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        rows = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise InputFileError(path, f"cannot read ({error})", hint="save it as UTF-8 JSON lines") from None
        for number, text in enumerate(lines, 1):
            if text.strip():
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as error:
                    raise InputFileError(path, f"not JSON ({error.msg})", line=number, hint="one JSON object per line") from None
                rows.append((number, {renamed.get(k.casefold(), k.casefold()): "" if v is None else str(v) for k, v in record.items()}))
        return rows
    from .ingest.tables import read_table

    table = read_table(path)
    names = [renamed.get(h.casefold(), h.casefold()) for h in table.header]
    if "document" not in names or "code" not in names:
        raise InputFileError(path, "needs `document` and `code` columns", line=1, hint="rename them, or pass --map document=COLUMN")
    return [(line, dict(zip(names, cells))) for line, cells in table.rows]


def _document(project: Project, row: dict, by_hash: dict, documents: dict, path: Path, line: int) -> dict:
    reference = row.get("document", "").strip()
    if reference in by_hash:
        return by_hash[reference]
    try:
        return documents[resolve_document(project, reference)["id"]]
    except UsageError as error:
        raise InputFileError(path, str(error), line=line, hint="import that document first, or correct the name") from None


def _place(store, document: dict, row: dict, path: Path, line: int) -> tuple[int, int] | str:
    text = document["text"]
    if row.get("start") and row.get("end"):
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            raise InputFileError(path, "start and end must be whole numbers", line=line) from None
        if not 0 <= start < end <= len(text):
            raise InputFileError(path, f"span {start}:{end} is outside {document['name']} (0 to {len(text)})", line=line)
        return start, end
    if row.get("turn"):
        turns = {t["seq"]: t for t in store.turn_rows(document["id"])}
        turn = turns.get(int(row["turn"])) if row["turn"].isdigit() else None
        if turn is None:
            raise InputFileError(path, f"{document['name']} has no turn {row['turn']!r}", line=line)
        return turn["start"], turn["end"]
    if row.get("text"):
        if "labels" not in document:  # worked out once per document, not per row
            document["labels"] = [(t["label_start"], t["start"], t["label"]) for t in store.turn_rows(document["id"])
                                  if t["label_start"] is not None]
        return find_quote(text, row["text"], document["labels"])
    raise InputFileError(path, "no place for the coding", line=line, hint="give turn, start and end, or text")


# A hyphen breaking a word at the end of a line, white space, or one character.
_PIECES = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)|\s+|.", re.DOTALL)


def find_quote(text: str, quote: str, labels: list[tuple[int, int, str]] = ()) -> tuple[int, int] | str:
    """The one place a quote stands in a text, white space and line-break hyphenation aside; or why not.

    `labels` are the speaker labels of the text (start, end of `Label: `, and the label): a quote that
    spans turns may carry labels the stored text has merged away (`A: one.\nA: two.`), so when the quote
    is not found as it is, labels are left out on both sides."""
    quotes = [quote]
    if labels:
        names = "|".join(re.escape(label) for label in sorted({name for _, _, name in labels}, key=len, reverse=True))
        quotes.append(re.sub(rf"(?m)^\s*(?:{names})\s*:\s*", "", quote))
    texts = [_flat(text, ()), _flat(text, tuple((start, end) for start, end, _ in labels))]
    found: tuple[int, int] | str = "quote not found in the text"
    for flat, wanted in zip(texts, quotes):
        # A hyphen at a line break may join a word (`pre-\ncomputed` -> `precomputed`) or be its own (`pre-computed`).
        for keep in (False, True):
            found = _find(flat, _flattened(wanted, keep_hyphens=keep)[0].strip())
            if not isinstance(found, str) or "places" in found:
                return found if not isinstance(found, str) else f"{found} ({_preview(quote)})"
    return f"{found} ({_preview(quote)})"


@lru_cache(maxsize=16)
def _flat(text: str, skip: tuple[tuple[int, int], ...]) -> tuple[str, list[int]]:
    """`_flattened`, remembered: a codings file asks about the same few documents row after row."""
    return _flattened(text, list(skip))


def _find(flat: tuple[str, list[int]], wanted: str) -> tuple[int, int] | str:
    text, positions = flat
    if not wanted:
        return "empty quote"
    found = [m.start() for m in re.finditer(re.escape(wanted), text)]
    if not found:
        return "quote not found in the text"
    if len(found) > 1:
        return f"quote found in {len(found)} places; give turn or start/end"
    return positions[found[0]], positions[found[0] + len(wanted) - 1] + 1


def _flattened(text: str, skip: list[tuple[int, int]] = (), keep_hyphens: bool = False) -> tuple[str, list[int]]:
    """The text with every run of white space one space and words broken at a line end joined (keeping
    the hyphen if asked), `skip` spans left out, and where each of its characters stands in the original."""
    out, positions = [], []
    skipped = sorted(skip)
    for piece in _PIECES.finditer(text):
        chunk, at = piece.group(), piece.start()
        while skipped and skipped[0][1] <= at:
            skipped.pop(0)
        if skipped and skipped[0][0] <= at < skipped[0][1]:
            continue
        if chunk.startswith("-") and len(chunk) > 1:
            if keep_hyphens:
                out.append("-")
                positions.append(at)
            continue
        if chunk.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                positions.append(at)
            continue
        out.append(chunk)
        positions.append(at)
    return "".join(out), positions


def _preview(quote: str) -> str:
    words = " ".join(quote.split())
    return f"\u201c{words[:50]}\u2026\u201d" if len(words) > 50 else f"\u201c{words}\u201d"


def _create_codes(project: Project, references: list[str]) -> list[str]:
    """Codes named by a path (`Theme > Descriptor`) that the codebook lacks, added to its file, parents first."""
    codebook = project_codebook(project)
    known = {codebook.path(code_id).casefold(): code_id for code_id in codebook.codes}
    taken = set(codebook.codes)
    new: list[dict] = []
    for reference in dict.fromkeys(references):
        if codebook.find(reference) is not None:
            continue
        labels = [part.strip() for part in reference.split(">")]
        parent = None
        for depth, label in enumerate(labels):
            path = " > ".join(labels[:depth + 1]).casefold()
            if path not in known:
                known[path] = new_code_id(label, parent, taken)
                taken.add(known[path])
                new.append({"id": known[path], "label": label, "parent": parent})
            parent = known[path]
    if new:
        append_codes(codebook_path(project), new)
    return [code["id"] for code in new]


def export_codings(project: Project, coder: str | None = None) -> list[dict]:
    """Rows in the import format, with the hash of each document's text."""
    store = project.store
    codebook = project_codebook(project)
    hashes = {d["id"]: text_sha256(d["text"]) for d in store.all_documents()}
    turns = {}
    rows = []
    for coding in store.codings():
        if coder is not None and coding["coder"] != coder and coding["decided_by"] != coder:
            continue
        if coding["document_id"] not in turns:
            turns[coding["document_id"]] = store.turn_rows(coding["document_id"])
        turn = next((t["seq"] for t in turns[coding["document_id"]] if t["start"] <= coding["start"] and coding["end"] <= t["end"]), "")
        rows.append({"document": coding["document"], "document_sha256": hashes[coding["document_id"]],
                     "coder": coding["decided_by"] or coding["coder"], "code": codebook.path(coding["code"]) or coding["code"],
                     "code_id": coding["code"], "turn": turn, "start": coding["start"], "end": coding["end"], "text": coding["quote"],
                     "status": coding["status"]})
    return rows
