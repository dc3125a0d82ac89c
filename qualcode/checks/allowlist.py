"""The allowlist: leak-check hits accepted on purpose (a locality named in attributions, `Will` as a verb
in one document), each recorded with who accepted it, when and why."""

from __future__ import annotations

from ..errors import UsageError
from ..project import Project


def allow(project: Project, text: str, reason: str, scope: str = "") -> bool:
    """Accept `text` everywhere, or only in one document or export file (`scope`). False if already allowed."""
    if not text.strip():
        raise UsageError("say which text to allow, e.g. `qualcode check allow Oldham --reason 'locality named in attributions'`")
    if not reason.strip():
        raise UsageError(f"say why {text!r} may stay: --reason '…' (it is recorded with your name)")
    if scope.strip() and not _known_place(project, scope.strip()):
        raise UsageError(f"--in {scope}: not a place the leak check reports; use a document name, a file such as "
                         "exports/quotes.docx, or one of: document names, speaker codes, log, reasons")
    store = project.store
    with store.unit_of_work():
        return store.allow(text.strip(), scope.strip(), reason.strip())


def disallow(project: Project, text: str, scope: str = "") -> bool:
    store = project.store
    with store.unit_of_work():
        return store.disallow(text.strip(), scope.strip())


def entries(project: Project) -> list[dict]:
    return project.store.allowlist()


def _known_place(project: Project, scope: str) -> bool:
    """A `where` of the leak check: a document (or its attributes), a project file, or a named place."""
    documents = {d["name"] for d in project.store.document_refs()}
    document = scope.split(":", 1)[0]
    return scope in {"document names", "speaker codes", "log", "reasons", "memos", "export file names"} or document in documents \
        or (project.root / scope).is_file()
