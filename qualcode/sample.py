"""`qualcode sample`: the documents a second coder codes, drawn reproducibly, and the project they code in.

A sample is a seeded draw of a fraction of the documents (or of a survey's respondents), within each stratum (`--stratify site,wave`:
every combination of the attributes' values) so small strata are not lost: each stratum gives
round(fraction × its size) documents, and at least one. It is recorded (id, fraction, seed, strata,
documents), so the same seed draws the same documents and agreement is computed on the sample. A
package is a copy of the project holding only the sampled documents and the codebook: no one's codings,
memos, log, roster or key, and a project id of its own.
"""

from __future__ import annotations

import math
import random
import shutil
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .settings import DATABASE_FILE, EXPORTS_DIR, PROJECT_FILE


@dataclass(frozen=True, slots=True)
class Sample:
    id: int
    documents: list[str]
    strata: dict[str, int]  # stratum -> documents (or respondents) drawn from it
    respondents: list[str] | None = None  # for a respondent sample: their speaker codes (or labels)


def draw(project, fraction: float, seed: int, stratify: list[str] | None = None, respondents: bool = False) -> Sample:
    """Draw documents (or, with `respondents`, the people answering a survey) within strata, and record the draw."""
    from .tally import load_evidence

    if not 0 < fraction <= 1:
        raise UsageError(f"--fraction {fraction}: a share of the documents above 0 and at most 1, e.g. 0.2")
    if not 0 <= seed < 2**63:
        raise UsageError(f"--seed {seed}: a whole number from 0 to {2**63 - 1}")
    store = project.store
    documents = store.document_refs()
    if not documents:
        raise UsageError("no documents to sample; import some first")
    evidence = load_evidence(store, None, codings_needed=False)
    for name in stratify or []:
        if name not in evidence.attributes():
            raise UsageError(f"--stratify {name}: no such attribute; known: {', '.join(evidence.attributes())}")
    first_turn = {}  # what a member's values are read from: a document's first participant turn, a respondent's first answer
    for turn in evidence.turns:
        person = evidence.people.get(turn.person) if turn.person is not None else None
        member = (turn.person if turn.question is not None else None) if respondents else turn.document
        if member is not None and member not in first_turn and person is not None and (person.is_participant or respondents):
            first_turn[member] = turn
    members = sorted(first_turn) if respondents else [d["id"] for d in documents]
    if respondents and not members:
        raise UsageError("--respondents: no survey respondents in this project; sample documents instead (leave it out)")
    strata: dict[str, list[int]] = defaultdict(list)
    for member in members:
        turn = first_turn.get(member)
        key = ", ".join(f"{name}={(evidence.value(name, turn) if turn else None) or '?'}" for name in stratify or []) or "all"
        strata[key].append(member)
    rng = random.Random(seed)
    chosen, drawn = [], {}
    for key in sorted(strata):
        count = max(1, math.floor(fraction * len(strata[key]) + 0.5))  # half up: 2.5 documents is 3
        chosen += rng.sample(sorted(strata[key]), count)
        drawn[key] = count
    names = {d["id"]: d["name"] for d in documents}
    if respondents:
        people = sorted(chosen)
        picked = set(chosen)
        held = sorted({t.document for t in evidence.turns if t.person in picked and t.question is not None})
        with store.unit_of_work():
            sample_id = store.save_sample(fraction, seed, stratify or [], held, people)
        return Sample(sample_id, [names[d] for d in held], drawn, [evidence.people[p].name for p in people])
    with store.unit_of_work():
        sample_id = store.save_sample(fraction, seed, stratify or [], sorted(chosen))
    return Sample(sample_id, sorted(names[d] for d in chosen), drawn)


def package(project, folder: Path, sample_id: int | None = None, guard=None) -> tuple[Path, int]:
    """Write the second coder's project to `folder` (which must not exist yet), after the leak check of
    what it will hold; returns it and the number of documents."""
    samples = project.store.samples()
    if not samples:
        raise UsageError("no sample recorded; draw one first with `qualcode sample --fraction 0.2 --seed N`")
    chosen = next((s for s in samples if s["id"] == sample_id), None) if sample_id is not None else samples[-1]
    if chosen is None:
        raise UsageError(f"--sample {sample_id}: no such sample; recorded: {', '.join(str(s['id']) for s in samples)}")
    if folder.exists():
        raise UsageError(f"{folder}: exists; give a new folder for the package")
    _check(project, chosen["documents"], folder, guard)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        partial.mkdir(parents=True)
        (partial / EXPORTS_DIR).mkdir()
        shutil.copy2(project.root / PROJECT_FILE, partial / PROJECT_FILE)
        codebook = project.settings["project.codebook"]
        if (project.root / codebook).is_file():
            (partial / codebook).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(project.root / codebook, partial / codebook)
        with sqlite3.connect(partial / DATABASE_FILE) as copy:
            project.store.conn.backup(copy)
        copy.close()
        _strip(partial, chosen["documents"], chosen["id"])
        partial.rename(folder)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise UsageError(f"{folder}: cannot write the package ({error.strerror or error}); choose a writable folder") from None
    return folder, len(chosen["documents"])


def _check(project, documents: list[int], folder: Path, guard) -> None:
    """A package is an export: the sampled documents' text, names and attributes go through the leak check."""
    from .checks.leaks import check_leaks
    from .export import Guard

    guard = guard or Guard()
    if guard.unchecked:
        with project.store.unit_of_work():
            project.store.log_change("unchecked-export", str(folder), "written with --no-leak-check")
        return
    names = {d["name"] for d in project.store.document_refs() if d["id"] in documents}
    copied = {PROJECT_FILE, project.settings["project.codebook"], "codebook versions"}  # also in the package
    found = [leak for leak in check_leaks(project, guard.key) if leak.where.split(":")[0] in names | copied
             or leak.where == "document names" and any(leak.text.casefold() in name.casefold() for name in names)]
    if found:
        shown = ", ".join(repr(leak.text) for leak in found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
        raise UsageError(f"{folder}: not written: the sample holds identifying text ({shown}); anonymise the project first, "
                         "or pass --no-leak-check if the second coder may see it")


def _strip(folder: Path, documents: list[int], sample_id: int) -> None:
    from . import __version__
    from .store import Invocation, Store

    store = Store(folder / DATABASE_FILE, Invocation("qualcode", "qualcode sample --package", __version__))
    with store.unit_of_work():
        store.strip_for_package(documents, sample_id)
    store.compact()
    store.close()
