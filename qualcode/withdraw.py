"""Withdrawal: a participant's words leave the project; everything else stays as it was.

Their turns read `[withdrawn]` (label, number and times kept, so the conversation still reads in order),
their survey answers' closed attributes are cleared, the change is logged, and the old text is zeroed
on disk (secure delete, write-ahead log emptied).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .errors import UsageError
from .models import Block
from .project import Project
from .script import build_script

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
            turns = list(turns)
            text = store.document_text(document_id)
            blocks, changed = [], 0
            for turn in turns:
                content = text[turn["start"]:turn["end"]]
                if turn["person_id"] == person and content != WITHDRAWN:
                    content, changed = WITHDRAWN, changed + 1
                blocks.append(Block(turn["label"], content, turn["time_start"], turn["time_end"], turn["question"]))
            if changed:
                script = build_script(blocks)
                if [t.seq for t in script.turns] != [t["seq"] for t in turns]:  # turns must keep their numbers
                    raise RuntimeError(f"withdrawing from {name} would renumber its turns")
                store.rewrite_document(document_id, name, script, f"{code}: {changed} turn(s) withdrawn")
                documents.append(name)
                count += changed
        store.clear_speaker_attributes(person)
    store.flush_to_disk()
    return Withdrawal(person, documents, count)
