"""The coder's view of one document, and the changes made while reading it, each saved as it is made.

Both coding screens (the full-screen one and the line-mode `--plain` one) work through this module:
it says what a coder sees (turns with speaker codes and line numbers, the codings on them, pending
suggestions) and makes each change (code, uncode, flag, star, memo, accept, reject) as its own unit of
work, so quitting or a crash loses nothing. In blind mode a coder sees only their own codings: no one
else's and no machine suggestions, since both would steer a second coder whose agreement is measured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .codebook import Codebook
from .coding import REJECTED, SUGGESTED, add_code, project_codebook, record_coding
from .corpus import resolve_document
from .errors import UsageError
from .models import INTERVIEWER, Script, Span, Turn
from .project import Project
from .review import decide_codings
from .script import LineIndex, sentence_spans


@dataclass(frozen=True, slots=True)
class Mark:
    """A coding as the coder sees it."""

    id: int
    code: str
    path: str
    start: int
    end: int
    coder: str
    status: str  # accepted | suggested
    origin: str
    disconfirming: bool
    starred: bool

    @property
    def suggested(self) -> bool:
        return self.status == SUGGESTED

    @property
    def by(self) -> str:
        """Who made it: the coder, or for a suggestion the rule (`keyword:cover`)."""
        return self.origin.rpartition("/")[2] if self.suggested else self.coder


@dataclass(frozen=True, slots=True)
class Line:
    """A turn as the coder reads it."""

    seq: int
    speaker: str  # the person's speaker code, else the label as written, else ""
    start: int  # content offsets in the stored text
    end: int
    line: int  # where the turn starts in the stored text (1-based)
    time: float | None
    interviewer: bool = False


@dataclass(slots=True)
class View:
    document_id: int
    document: str
    text: str
    lines: list[Line]
    marks: list[Mark]  # the codings this coder may see, in text order
    codebook: Codebook
    coder: str
    blind: bool

    def content(self, line: Line) -> str:
        return self.text[line.start:line.end]

    def marks_on(self, line: Line) -> list[Mark]:
        return [m for m in self.marks if m.start < max(line.end, line.start + 1) and line.start < m.end]

    def mark(self, mark_id: int) -> Mark:
        found = next((m for m in self.marks if m.id == mark_id), None)
        if found is None:
            raise UsageError(f"coding {mark_id} is not on this document (or not yours to see in blind mode)")
        return found


def open_view(project: Project, reference: str, blind: bool | None = None) -> View:
    """The document as this coder sees it; `blind` None means blind while the document is in the latest
    sample and no agreement round has been run on that sample."""
    store = project.store
    document = resolve_document(project, reference)
    if blind is None:
        blind = in_unmeasured_sample(project, document["id"])
    text = store.document_text(document["id"])
    index = LineIndex(text)
    lines = [Line(row["seq"], row["person_code"] or row["label"] or "", row["start"], row["end"],
                  index.line(row["label_start"] if row["label_start"] is not None else row["start"]), row["time_start"],
                  row["role"] == INTERVIEWER)
             for row in store.turn_rows(document["id"])]
    view = View(document["id"], document["name"], text, lines, [], project_codebook(project), project.store.invocation.coder, blind)
    refresh(project, view)
    return view


def in_unmeasured_sample(project: Project, document_id: int) -> bool:
    samples = project.store.samples()
    if not samples:
        return False
    latest = samples[-1]
    measured = any(r["sample_id"] == latest["id"] for r in project.store.rounds())
    return document_id in latest["documents"] and not measured


def refresh(project: Project, view: View) -> None:
    """Read the document's codings again (after a change, or another coder's)."""
    marks = []
    for row in project.store.codings(document_id=view.document_id):
        if row["status"] == REJECTED:
            continue
        owner = row["decided_by"] or row["coder"]
        if view.blind and (row["status"] == SUGGESTED or owner != view.coder):
            continue
        marks.append(Mark(row["id"], row["code"], view.codebook.path(row["code"]) or f"{row['code']} (not in the codebook)",
                          row["start"], row["end"], owner, row["status"],
                          row["origin"], bool(row["disconfirming"]), bool(row["starred"])))
    view.marks = marks


def matching_codes(codebook: Codebook, typed: str) -> list:
    """The codes whose id, path or aliases hold the typed text (any case), in codebook order."""
    wanted = typed.casefold().strip()
    return [c for c in codebook.codes.values() if wanted in " ".join((c.id, codebook.path(c.id), *c.aliases)).casefold()]


# Selections within a turn.

def sentences(view: View, line: Line) -> list[Span]:
    return sentence_spans(Script(view.text, [Turn(line.seq, None, None, None, line.start, line.end)]))


def words_in(view: View, line: Line, words: str) -> tuple[int, int]:
    """The span of some words of a turn, found ignoring case and spacing (the first place they occur)."""
    pieces = words.split()
    if not pieces:
        raise UsageError("type some words of the turn to select them")
    pattern = r"\s+".join(re.escape(piece) for piece in pieces)
    found = re.compile(pattern, re.IGNORECASE).search(view.text, line.start, line.end)
    if found is None:
        raise UsageError(f"{words!r} is not in turn {line.seq}; type words as they are in it")
    return found.start(), found.end()


def next_line(view: View, after: int, wanted) -> int | None:
    """The index of the next turn after `after` (wrapping round) for which `wanted(line)` holds."""
    count = len(view.lines)
    for step in range(1, count + 1):
        index = (after + step) % count
        if wanted(view.lines[index]):
            return index
    return None


def uncoded(view: View):
    """Turns with words and no coding yet (an interviewer's turns are not waiting to be coded)."""
    return lambda line: line.end > line.start and not line.interviewer and not any(not m.suggested for m in view.marks_on(line))


def with_suggestion(view: View):
    return lambda line: any(m.suggested for m in view.marks_on(line))


# Changes, each one unit of work.

def apply(project: Project, view: View, reference: str, start: int, end: int, *, disconfirming: bool = False,
          new_label: str | None = None) -> Mark:
    """Code a span of the document with a code (or, with `new_label`, a new code added to the codebook
    file first: `Label`, or `Parent > Label` to place it)."""
    if not 0 <= start < end <= len(view.text):
        raise UsageError("select some text first: a turn, a sentence or words of it")
    if new_label is not None:
        code = _new_or_existing(project, view, new_label)
    else:
        code = view.codebook.resolve(reference, "")
    document = {"id": view.document_id, "name": view.document}
    coding_id = record_coding(project, document, view.text, view.codebook, code, start, end, disconfirming=disconfirming)
    refresh(project, view)
    return view.mark(coding_id)


def _new_or_existing(project: Project, view: View, typed: str):
    """The code a label names if there is one (typing an existing label twice makes no twin), else a new
    code added to the codebook file: `Label`, or `Parent > Label` to place it."""
    named = view.codebook.named(typed.strip())
    if len(named) == 1:
        return named[0]
    parent, _, label = typed.strip().rpartition(" > ")
    if not any(c.isalnum() for c in label):
        raise UsageError("a new code needs a label, e.g. `Protected time` or `Barriers > Protected time`")
    code = add_code(project, label.strip(), parent.strip() or None)
    view.codebook = project_codebook(project)
    return code


def _own(view: View, mark: Mark) -> None:
    """A coder changes their own codings (and decides suggestions); another coder's are theirs to change."""
    if not mark.suggested and mark.coder != view.coder:
        raise UsageError(f"that is {mark.coder}'s coding; only they can change it (code the place yourself instead)")


def remove(project: Project, view: View, mark_id: int) -> None:
    mark = view.mark(mark_id)
    if mark.suggested:
        raise UsageError("that is a suggestion: reject it instead")
    _own(view, mark)
    with project.store.unit_of_work():
        project.store.remove_codings([mark.id], view.document, f"{mark.code} at {mark.start}:{mark.end}")
    refresh(project, view)


def toggle(project: Project, view: View, mark_id: int, what: str) -> bool:
    """Flag a coding as disconfirming (or star it as a candidate quote), or take the flag off; returns the new state."""
    mark = view.mark(mark_id)
    if mark.suggested:
        raise UsageError("accept the suggestion first")
    if what == "disconfirming":
        _own(view, mark)  # a star only points out a quote: anyone may star any coding
    value = not (mark.disconfirming if what == "disconfirming" else mark.starred)
    with project.store.unit_of_work():
        project.store.mark_coding(mark.id, what, value, view.document)
    refresh(project, view)
    return value


def decide(project: Project, view: View, mark_id: int, accept: bool) -> None:
    """Accept or reject a pending suggestion."""
    mark = view.mark(mark_id)
    if not mark.suggested:
        raise UsageError("that coding is not a suggestion")
    decide_codings(project, [(mark.id, view.document, mark.code)], accept)
    refresh(project, view)
