"""`qualcode sample`: the documents a second coder codes, drawn reproducibly, and the project they code in.

A sample is a seeded draw of a fraction of the documents, within each stratum (`--stratify site,wave`:
every combination of the attributes' values) so small strata are not lost: each stratum gives
round(fraction × its size) documents, and at least one. It is recorded (id, fraction, seed, strata,
documents), so the same seed draws the same documents and agreement is computed on the sample. A
package is a copy of the project holding only the sampled documents and the codebook: no one's codings,
memos, log, roster or key, and a project id of its own.
"""

from __future__ import annotations

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
    strata: dict[str, int]  # stratum -> documents drawn from it


def draw(project, fraction: float, seed: int, stratify: list[str] | None = None) -> Sample:
    from .tally import load_evidence

    if not 0 < fraction <= 1:
        raise UsageError(f"--fraction {fraction}: a share of the documents above 0 and at most 1, e.g. 0.2")
    store = project.store
    documents = store.document_refs()
    if not documents:
        raise UsageError("no documents to sample; import some first")
    evidence = load_evidence(store, None, codings_needed=False)
    for name in stratify or []:
        if name not in evidence.attributes():
            raise UsageError(f"--stratify {name}: no such attribute; known: {', '.join(evidence.attributes())}")
    first_turn = {}
    for turn in evidence.turns:  # a document's values: its own, else its first participant's
        person = evidence.people.get(turn.person) if turn.person is not None else None
        if turn.document not in first_turn and person is not None and person.is_participant:
            first_turn[turn.document] = turn
    strata: dict[str, list[int]] = defaultdict(list)
    for document in documents:
        turn = first_turn.get(document["id"])
        key = ", ".join(f"{name}={(evidence.value(name, turn) if turn else None) or '?'}" for name in stratify or []) or "all"
        strata[key].append(document["id"])
    rng = random.Random(seed)
    chosen, drawn = [], {}
    for key in sorted(strata):
        members = sorted(strata[key])
        count = max(1, round(fraction * len(members)))
        picked = rng.sample(members, count)
        chosen += picked
        drawn[key] = count
    names = {d["id"]: d["name"] for d in documents}
    with store.unit_of_work():
        sample_id = store.save_sample(fraction, seed, stratify or [], sorted(chosen))
    return Sample(sample_id, sorted(names[d] for d in chosen), drawn)


def package(project, folder: Path, sample_id: int | None = None) -> tuple[Path, int]:
    """Write the second coder's project to `folder` (which must not exist yet); returns it and the number of documents."""
    samples = project.store.samples()
    if not samples:
        raise UsageError("no sample recorded; draw one first with `qualcode sample --fraction 0.2 --seed N`")
    chosen = next((s for s in samples if s["id"] == sample_id), None) if sample_id is not None else samples[-1]
    if chosen is None:
        raise UsageError(f"--sample {sample_id}: no such sample; recorded: {', '.join(str(s['id']) for s in samples)}")
    if folder.exists():
        raise UsageError(f"{folder}: exists; give a new folder for the package")
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
        _strip(partial, chosen["documents"])
        partial.rename(folder)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise UsageError(f"{folder}: cannot write the package ({error.strerror or error}); choose a writable folder") from None
    return folder, len(chosen["documents"])


def _strip(folder: Path, documents: list[int]) -> None:
    from . import __version__
    from .store import Invocation, Store

    store = Store(folder / DATABASE_FILE, Invocation("qualcode", "qualcode sample --package", __version__))
    with store.unit_of_work():
        store.strip_for_package(documents)
    store.compact()
    store.close()
