"""Memos and the research diary: notes on the project, a document, a code or a coding, and dated
diary entries (an informal conversation, a decision). Part of the audit trail; exported to Markdown
or Word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from .coding import project_codebook
from .corpus import resolve_document
from .errors import UsageError
from .files import refuse_existing, write_whole
from .project import Project

KINDS = ("project", "document", "code", "coding", "diary")


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    kind: str
    about: str  # what it is on: a document's name, a code's path, `coding 12`, or the date of a diary entry
    title: str
    text: str
    coder: str
    created_at: str


def add_memo(project: Project, text: str, *, document: str | None = None, code: str | None = None, coding: int | None = None,
             diary: bool = False, dated: str | None = None, title: str = "") -> int:
    if not text.strip():
        raise UsageError("write the memo's text, e.g. qualcode memo add 'Cover came up in every school'")
    targets = [name for name, given in (("--document", document), ("--code", code), ("--coding", coding), ("--diary", diary)) if given]
    if len(targets) > 1:
        raise UsageError(f"a memo is on one thing: choose one of {', '.join(targets)}")
    if dated is not None and not diary:
        raise UsageError("--date goes with --diary")
    store = project.store
    kind, target = "project", ""
    if document:
        kind, target = "document", str(resolve_document(project, document)["id"])
    elif code:
        found = project_codebook(project).resolve(code)
        kind, target = "code", found.id
    elif coding is not None:
        if not any(c["id"] == coding for c in store.codings()):
            raise UsageError(f"--coding {coding}: no such coding; `qualcode index --json` gives their ids")
        kind, target = "coding", str(coding)
    elif diary:
        kind, dated = "diary", _date(dated)
    with store.unit_of_work():
        return store.add_memo(kind, target, title.strip(), text.strip(), dated)


def _date(text: str | None) -> str:
    if text is None:
        return Date.today().isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise UsageError(f"--date {text}: write it as YYYY-MM-DD")
    try:
        return Date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"--date {text}: no such day") from None


def memos(project: Project, kind: str | None = None) -> list[Memo]:
    if kind is not None and kind not in KINDS:
        raise UsageError(f"--kind {kind}: choose one of {', '.join(KINDS)}")
    store = project.store
    names = {str(d["id"]): d["name"] for d in store.document_refs()}
    codebook = project_codebook(project)
    found = []
    for row in store.memos():
        if kind is not None and row["kind"] != kind:
            continue
        about = {"document": names.get(row["target"], row["target"]), "code": codebook.path(row["target"]) or row["target"],
                 "coding": f"coding {row['target']}", "diary": row["dated"] or "", "project": "the project"}[row["kind"]]
        found.append(Memo(row["id"], row["kind"], about, row["title"], row["text"], row["coder"], row["created_at"]))
    return found


def export_memos(project: Project, output: Path, force: bool = False, guard=None) -> int:
    """Memos and diary entries as Markdown or Word, in date order, after the leak check. Returns how many."""
    from .export import UNCHECKED_NOTE, Guard, leak_check

    chosen = memos(project)
    suffix = output.suffix.lower()
    if suffix not in {".md", ".docx"}:
        raise UsageError(f"-o {output}: choose a .md or .docx file")
    refuse_existing(output, force)
    guard = guard or Guard()
    leak_check(project, output, _markdown(chosen), guard)
    note = UNCHECKED_NOTE if guard.unchecked else ""
    if suffix == ".md":
        write_whole(output, lambda path: path.write_text(_markdown(chosen, note), encoding="utf-8"))
    else:
        write_whole(output, lambda path: _docx(chosen, path, note))
    return len(chosen)


def _heading(memo: Memo) -> str:
    what = "Diary" if memo.kind == "diary" else f"Memo on {memo.about}"
    when = memo.about if memo.kind == "diary" else memo.created_at[:10]
    return f"{what}{': ' + memo.title if memo.title else ''} ({when}, {memo.coder})"


def _markdown(chosen: list[Memo], note: str = "") -> str:
    return ("# Memos and research diary\n\n" + "".join(f"## {_heading(m)}\n\n{m.text}\n\n" for m in chosen)
            + (f"{note}\n" if note else ""))


def _docx(chosen: list[Memo], path: Path, note: str = "") -> None:
    import docx

    document = docx.Document()
    document.add_heading("Memos and research diary", level=1)
    for memo in chosen:
        document.add_heading(_heading(memo), level=2)
        for paragraph in memo.text.split("\n\n"):
            document.add_paragraph(paragraph)
    if note:
        document.add_paragraph(note)
    document.save(str(path))
