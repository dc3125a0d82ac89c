"""`qualcode codebook add|rename|move|merge|retire`: the codebook file edited, and codings following.

Each edit rewrites the file keeping its comments and layout, and changes the codings it affects in the
same unit of work (the file is written last, so a failure leaves both as they were).
"""

from __future__ import annotations

from .codebook import ID, Codebook, codebook_path, load_codebook
from .codebook_file import Lift, SetFields, append_codes, change_codebook, edit_code, move_code
from .coding import new_code_id
from .errors import UsageError
from .models import Code
from .project import Project


def _code(codebook: Codebook, reference: str, option: str = "") -> Code:
    return codebook.resolve(reference, option)


def add(project: Project, label: str, parent: str | None = None, code_id: str | None = None) -> str:
    path = codebook_path(project)
    codebook = load_codebook(path)
    parent_id = _code(codebook, parent, "--parent").id if parent else None
    _check_new_id(codebook, code_id)
    _check_label(codebook, label, parent_id)
    new_id = code_id or new_code_id(label, parent_id, set(codebook.codes))
    with project.store.unit_of_work():
        project.store.log_change("codebook-add", new_id, label)
        append_codes(path, [{"id": new_id, "label": label, "parent": parent_id}])
    return new_id


def _check_label(codebook: Codebook, label: str, parent_id: str | None, code_id: str | None = None) -> None:
    """A label must say something, and not be another code's label or alias under the same parent."""
    if not label.strip():
        raise UsageError("a code needs a label: some words saying what it is")
    folded = label.strip().casefold()
    for other in codebook.children(parent_id):
        if other.id != code_id and folded in {other.label.casefold(), *(a.casefold() for a in other.aliases)}:
            raise UsageError(f"{label!r} is already {other.id}'s label or alias there; give this code another label")


def _check_new_id(codebook: Codebook, code_id: str | None) -> None:
    if code_id is None:
        return
    if not ID.fullmatch(code_id):
        raise UsageError(f"--id {code_id}: letters, digits, `.`, `_`, `-` only (e.g. barriers.time)")
    if code_id in codebook.codes:
        raise UsageError(f"--id {code_id}: the codebook has that id already")


def rename(project: Project, reference: str, label: str | None = None, code_id: str | None = None) -> Code:
    """A new label (codings unchanged: they refer to the id), or a new id (codings follow)."""
    path = codebook_path(project)
    codebook = load_codebook(path)
    code = _code(codebook, reference)
    if code_id != code.id:
        _check_new_id(codebook, code_id)
    values = {k: v for k, v in (("label", label), ("id", code_id)) if v is not None}
    if not values:
        raise UsageError("give the new label, or --id NEW_ID")
    if label is not None:
        _check_label(codebook, label, code.parent, code.id)
    edits = [SetFields(code.id, values)]
    if code_id and code_id != code.id:
        edits += _within_now(codebook, code.id, code_id)
    store = project.store
    with store.unit_of_work():
        if code_id and code_id != code.id:
            store.recode(code.id, code_id)
        store.log_change("codebook-rename", code.id, ", ".join(f"{k} -> {v}" for k, v in values.items()))
        change_codebook(path, edits)
    return load_codebook(path).codes[code_id or code.id]


def _within_now(codebook: Codebook, old: str, new: str) -> list[SetFields]:
    """Codes whose `within:` named the old id name the new one (or, if that is themselves, nothing)."""
    return [SetFields(c.id, {"within": None if c.id == new else new}) for c in codebook.codes.values() if c.within == old]


def move(project: Project, reference: str, parent: str | None) -> str:
    path = codebook_path(project)
    codebook = load_codebook(path)
    code = _code(codebook, reference)
    parent_id = _code(codebook, parent, "--parent").id if parent else None
    if parent_id is not None and (parent_id == code.id or parent_id in codebook.descendants(code.id)):
        raise UsageError(f"cannot move {code.id} under itself or a code beneath it")
    if parent_id == code.parent:
        raise UsageError(f"{code.id} is already {'under ' + parent_id if parent_id else 'at the top level'}; nothing to move")
    with project.store.unit_of_work():
        project.store.log_change("codebook-move", code.id, f"under {parent_id or 'the top'}")
        move_code(path, code.id, parent_id)
    return load_codebook(path).path(code.id)


def merge(project: Project, reference: str, into: str) -> int:
    """Every coding of a code becomes one of another; the first code leaves the file (its children move
    up). Returns how many codings moved."""
    path = codebook_path(project)
    codebook = load_codebook(path)
    code, target = _code(codebook, reference), _code(codebook, into, "into")
    if code.id == target.id:
        raise UsageError("merge two different codes")
    store = project.store
    with store.unit_of_work():
        moved = store.recode(code.id, target.id)
        store.log_change("codebook-merge", code.id, f"into {target.id}, {moved} coding(s)")
        change_codebook(path, [Lift(code.id), *_within_now(codebook, code.id, target.id)])
    return moved


def retire(project: Project, reference: str) -> str:
    """Keep a code (and its codings) but stop using it: autocode skips it."""
    path = codebook_path(project)
    code = _code(load_codebook(path), reference)
    with project.store.unit_of_work():
        project.store.log_change("codebook-retire", code.id)
        edit_code(path, code.id, retired=True)
    return code.id
