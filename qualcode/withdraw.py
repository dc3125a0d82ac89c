"""Withdrawal: a participant's words leave the project; everything else stays as it was.

Their turns read `[withdrawn]` (label, number and times kept, so the conversation still reads in order),
their survey answers' closed attributes are cleared, redactions and codings inside their words go with them
(and memos on those codings), any run of five or more of their words quoted in what people wrote (the log,
memos, quote wordings, summaries, comments) becomes `[withdrawn]`, the change is logged, and the old text
is zeroed on disk (secure delete, write-ahead log emptied).
"""

from __future__ import annotations

import re
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
    documents, count, said = [], 0, []
    with store.unit_of_work():
        for (document_id, name), turns in groupby(rows, key=lambda r: (r["document_id"], r["document"])):
            text = store.document_text(document_id)
            edits = [Edit(t["start"], t["end"], WITHDRAWN) for t in turns
                     if t["person_id"] == person and text[t["start"]:t["end"]] != WITHDRAWN]
            said += [text[e.start:e.end] for e in edits]
            if edits:
                new_text, mapping, _ = apply_edits(text, edits)
                spans = [(e.start, e.end) for e in edits]
                store.remap_document(document_id, new_text, mapping, spans, dropped=spans)  # their codings go too
                store.log_change("withdraw", name, f"{code}: {len(edits)} turn(s)")
                documents.append(name)
                count += len(edits)
        store.clear_speaker_attributes(person)
        store.drop_memos_on_gone_codings()
        _scrub_written(store, said)
    store.flush_to_disk()
    return Withdrawal(person, documents, count)


_RUN = 5  # words in a row that make a quote of someone's turn
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _scrub_written(store, said: list[str]) -> None:
    """Runs of five or more of the withdrawn person's words, wherever people wrote them down."""
    from .anonymise.common import save_written_texts, written_texts

    shingles = set()
    for text in said:
        words = [w.casefold() for w in _WORD.findall(text)]
        shingles.update(tuple(words[i:i + _RUN]) for i in range(len(words) - _RUN + 1))
    if not shingles:
        return
    texts = written_texts(store)
    save_written_texts(store, {kind: {key: _without(text, shingles) for key, text in items.items()} for kind, items in texts.items()})


def _without(text: str, shingles: set[tuple[str, ...]]) -> str:
    words = list(_WORD.finditer(text))
    covered = [False] * len(words)
    for i in range(len(words) - _RUN + 1):
        if tuple(w.group().casefold() for w in words[i:i + _RUN]) in shingles:
            covered[i:i + _RUN] = [True] * _RUN
    edits, i = [], 0
    while i < len(words):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and covered[j + 1]:
            j += 1
        edits.append(Edit(words[i].start(), words[j].end(), WITHDRAWN))
        i = j + 1
    return apply_edits(text, edits)[0] if edits else text
