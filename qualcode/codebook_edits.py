"""`qualcode codebook add|rename|move|merge|retire`: the codebook file edited, and codings following.

Each edit rewrites the file keeping its comments and layout, and changes the codings it affects in the
same unit of work (the file is written last, so a failure leaves both as they were).
"""

from __future__ import annotations

from .codebook import ID, Codebook, codebook_path, load_codebook
from .codebook_file import append_codes, edit_code, move_code, remove_code
from .coding import new_code_id
from .errors import UsageError
from .models import Code
from .project import Project


def _code(codebook: Codebook, reference: str, option: str = "") -> Code:
    code = codebook.find(reference)
    if code is None:
        raise UsageError(f"{option}{' ' if option else ''}{reference}: no such code; `qualcode codebook show` lists them")
    return code


def add(project: Project, label: str, parent: str | None = None, code_id: str | None = None) -> str:
    path = codebook_path(project)
    codebook = load_codebook(path)
    parent_id = _code(codebook, parent, "--parent").id if parent else None
    _check_new_id(codebook, code_id)
    if any(c.label.casefold() == label.strip().casefold() for c in codebook.children(parent_id)):
        raise UsageError(f"{label!r} is a code there already; give the new one another label")
    new_id = code_id or new_code_id(label, parent_id, set(codebook.codes))
    with project.store.unit_of_work():
        project.store.log_change("codebook-add", new_id, label)
        append_codes(path, [{"id": new_id, "label": label, "parent": parent_id}])
    return new_id


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
    values = {k: v for k, v in (("label", label), ("id", code_id)) if v}
    if not values:
        raise UsageError("give the new label, or --id NEW_ID")
    store = project.store
    with store.unit_of_work():
        if code_id and code_id != code.id:
            store.recode(code.id, code_id)
        store.log_change("codebook-rename", code.id, ", ".join(f"{k} -> {v}" for k, v in values.items()))
        edit_code(path, code.id, **values)
    return load_codebook(path).codes[code_id or code.id]


def move(project: Project, reference: str, parent: str | None) -> str:
    path = codebook_path(project)
    codebook = load_codebook(path)
    code = _code(codebook, reference)
    parent_id = _code(codebook, parent, "--parent").id if parent else None
    if parent_id is not None and (parent_id == code.id or parent_id in codebook.descendants(code.id)):
        raise UsageError(f"cannot move {code.id} under itself or a code beneath it")
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
        remove_code(path, code.id)
    return moved


def retire(project: Project, reference: str) -> str:
    """Keep a code (and its codings) but stop using it: autocode skips it."""
    path = codebook_path(project)
    code = _code(load_codebook(path), reference)
    with project.store.unit_of_work():
        project.store.log_change("codebook-retire", code.id)
        edit_code(path, code.id, retired=True)
    return code.id
