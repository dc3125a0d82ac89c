"""Withdrawal: a participant's words leave the project; everything else stays as it was.

Their turns read `[withdrawn]` (label, number and times kept, so the conversation still reads in order),
their survey answers' closed attributes are cleared, redactions and codings inside their words go with them, the change is logged, and the old text is zeroed
on disk (secure delete, write-ahead log emptied).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .edits import Edit, apply_edits
from .errors import UsageError
from .project import Project

WITHDRAWN = "[withdrawn]"


@dataclass(frozen=True, slots=True)
class Withdrawal:
    person: int
    documents: list[str]
    turns: int


def withdraw(project: Project, code: str) -> Withdrawal:
    """Withdraw the one person who has this speaker code."""
    store = project.store
    people = store.people_with_code(code)
    if not people:
        raise UsageError(f"no person has the code {code!r}; `qualcode speakers` lists the codes")
    if len(people) > 1:
        raise UsageError(f"{code!r} is shared by {len(people)} people (a group, tuple or role code); "
                         "give members individual codes before withdrawing one")
    person = people[0]
    rows = store.spoken_turns(person)
    documents, count = [], 0
    with store.unit_of_work():
        for (document_id, name), turns in groupby(rows, key=lambda r: (r["document_id"], r["document"])):
            text = store.document_text(document_id)
            edits = [Edit(t["start"], t["end"], WITHDRAWN) for t in turns
                     if t["person_id"] == person and text[t["start"]:t["end"]] != WITHDRAWN]
            if edits:
                new_text, mapping, _ = apply_edits(text, edits)
                spans = [(e.start, e.end) for e in edits]
                store.remap_document(document_id, new_text, mapping, spans, dropped=spans)  # their codings go too
                store.log_change("withdraw", name, f"{code}: {len(edits)} turn(s)")
                documents.append(name)
                count += len(edits)
        store.clear_speaker_attributes(person)
    store.flush_to_disk()
    return Withdrawal(person, documents, count)
