"""Reviewing doubtful finds: names that are also words, kept in the text until a person decides.

`redact` replaces them (the original goes to the key); `keep` records them as not identifying, with
the person's reason; `walk` goes through them one at a time. Every decision is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..edits import Edit, apply_edits
from ..errors import UsageError
from ..key import locate, read_key, write_key
from ..project import Project
from ..script import TextCache, context
from .common import APPLIED, PENDING, REJECTED, check_key_state, new_state

@dataclass(frozen=True, slots=True)
class Pending:
    id: int
    document: str
    line: int
    text: str
    before: str  # context on one line, whole words
    after: str
    category: str
    detector: str
    reason: str
    replacement: str


def pending(project: Project, ids: set[int] | None = None) -> list[Pending]:
    """Doubtful finds waiting for a person's decision (all, or those with these ids), with line and context."""
    store = project.store
    found: list[Pending] = []
    texts = TextCache(store.document_text)
    for row in store.redactions(status=PENDING):
        if ids is not None and row["id"] not in ids:
            continue
        text, lines = texts(row["document_id"])
        start, end = row["start"], row["end"]
        before, after = context(text, start, end)
        found.append(Pending(row["id"], row["document"], lines.line(start), text[start:end], before, after,
                             row["category"], row["detector"], row["reason"], row["replacement"]))
    return found


def _chosen(store, ids: list[int] | None) -> list[dict]:
    chosen = [r for r in store.redactions(status=PENDING) if ids is None or r["id"] in ids]
    unknown = sorted(set(ids or []) - {r["id"] for r in chosen})
    if unknown:
        raise UsageError(f"no pending find with id {', '.join(map(str, unknown))}; `qualcode anonymise review` lists them")
    return chosen


def keep(project: Project, ids: list[int] | None, reason: str) -> int:
    """Record these doubtful finds (None: all) as not identifying, with why; they stay as written."""
    store = project.store
    chosen = _chosen(store, ids)
    if not reason.strip():
        raise UsageError("say why they are not identifying: --reason 'Will is a verb here'")
    with store.unit_of_work():
        for row in chosen:
            store.decide_redaction(row["id"], REJECTED, reason)
            store.log_change("keep", row["document"], f"{row['category']} at {row['start']}: {reason}")
    return len(chosen)


def redact(project: Project, ids: list[int] | None, key_path: Path | None = None, passphrase: str | None = None) -> int:
    """Redact these doubtful finds (None: all); what they replace goes to the key."""
    store = project.store
    chosen = _chosen(store, ids)
    path, key = _key(project, key_path, passphrase)
    _redact_rows(store, chosen, key, path, passphrase)
    store.compact()
    return len(chosen)


def _key(project: Project, key_path: Path | None, passphrase: str | None) -> tuple[Path, dict]:
    path = locate(key_path, project.settings["key"], project.root)
    key = read_key(path, project.store.project_id(), passphrase)
    check_key_state(project.store, key, path)
    return path, key


def _redact_rows(store, rows: list[dict], key: dict, path: Path, passphrase: str | None) -> dict:
    """One unit of work: the finds replaced, the originals and a new state written to the key (returned)."""
    redactions = dict(key.get("redactions", {}))
    with store.unit_of_work():
        for document_id in sorted({r["document_id"] for r in rows}):
            mine = sorted((r for r in rows if r["document_id"] == document_id), key=lambda r: r["start"])
            new_text, mapping, undo = apply_edits(store.document_text(document_id),
                                                  [Edit(r["start"], r["end"], r["replacement"]) for r in mine])
            store.remap_document(document_id, new_text, mapping, [(r["start"], r["end"]) for r in mine])
            ids = store.add_redactions(document_id, [{**{k: r[k] for k in ("category", "detector", "replacement", "reason")},
                                                      "start": u.start, "end": u.end, "status": APPLIED,
                                                      "decided_by": store.invocation.coder} for r, u in zip(mine, undo)])
            redactions.update({str(i): u.replacement for i, u in zip(ids, undo)})  # what undoing puts back
            store.log_change("redact", mine[0]["document"], f"{len(mine)} reviewed find(s)")
        key = {**key, "redactions": redactions, "state": new_state(store)}
        write_key(path, key, passphrase)
    return key


Answer = tuple[str, str]  # ("redact" | "keep" | "skip" | "quit", reason for keeping)


def walk(project: Project, ask: Callable[[Pending, int, int], Answer], key_path: Path | None = None,
         passphrase: str | None = None) -> int:
    """Decide doubtful finds one at a time: `ask(find, number, total)` answers. Each decision is saved as
    it is made (the key is read once and rewritten with each redaction); the store is rebuilt once at
    the end. Returns how many were decided."""
    store = project.store
    ids = [r["id"] for r in store.redactions(status=PENDING)]
    if not ids:
        return 0
    key_and_path = _key(project, key_path, passphrase)  # a wrong key is said before the first question
    decided = 0
    for number, find_id in enumerate(ids, 1):
        current = pending(project, {find_id})  # read again: an earlier redaction may have moved its context
        if not current:
            continue
        choice, reason = ask(current[0], number, len(ids))
        if choice == "quit":
            break
        if choice == "keep":
            decided += keep(project, [find_id], reason)
        elif choice == "redact":
            path, key = key_and_path
            key_and_path = path, _redact_rows(store, _chosen(store, [find_id]), key, path, passphrase)
            store.flush_to_disk()
            decided += 1
    if decided:
        store.compact()
    return decided
