"""`anonymise --reverse`: everything anonymising replaced, put back exactly, with the key.

Text, document names and paths, labels, attributes (those still equal to their stand-ins), the
roster, log lines and reasons. Every redaction is checked against the key before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..edits import Edit, apply_edits
from ..errors import UsageError
from ..key import locate, read_key
from ..project import Project
from .common import ACCEPTED, APPLIED, check_key_state, restore_people, save_written_texts, unmasked, written_texts


@dataclass(slots=True)
class ReverseReport:
    documents: list[str] = field(default_factory=list)  # restored names
    restored: int = 0  # spans put back


def reverse(project: Project, key_path: Path | None, passphrase: str | None = None) -> ReverseReport:
    path = locate(key_path, project.settings["key"], project.root)
    if not path.exists():
        raise UsageError(f"{path}: no such key; reversing needs the key the project was anonymised with")
    store = project.store
    key = read_key(path, store.project_id(), passphrase)
    check_key_state(store, key, path)
    documents = [d for d in store.all_documents() if d["anonymised_at"] is not None]
    if not documents:
        raise UsageError("nothing to reverse: no document is anonymised")
    plans = [_reversal(store, d, key, path) for d in documents]
    report = ReverseReport()
    with store.unit_of_work():
        for document, (entry, edits) in zip(documents, plans):
            decided = [r for r in store.redactions(document["id"], APPLIED) if r["decided_by"]]
            new_text, mapping, _ = apply_edits(document["text"], edits)
            store.remap_document(document["id"], new_text, mapping, [(e.start, e.end) for e in edits])
            # A person's decision to redact outlives the reversal: it is applied again next time.
            store.add_redactions(document["id"], [{**r, "start": mapping(r["start"]), "end": mapping(r["end"], "end"),
                                                   "status": ACCEPTED} for r in decided])
            _restore_document(store, document, entry, key.get("pseudonyms", {}))
            store.log_change("reverse", entry["name"], f"{len(edits)} span(s) restored")
            report.documents.append(entry["name"])
            report.restored += len(edits)
        restore_people(store, key)
        for shown, name in key.get("coders", {}).items():
            store.rename_coder(shown, name)
        texts = written_texts(store)
        for kind, originals in key.get("log", {}).items():
            if kind in texts:
                texts[kind].update({i: text for i, text in originals.items() if i in texts[kind]})
        save_written_texts(store, texts)
    store.compact()
    return report


def _reversal(store, document: dict, key: dict, path: Path) -> tuple[dict, list[Edit]]:
    """The key's record of a document and the edits that undo its redactions; refused if they do not fit."""
    entry = key.get("documents", {}).get(str(document["id"]))
    if entry is None:
        raise UsageError(f"{path}: has no record of {document['name']}; use the key this project was anonymised with")
    edits = []
    for redaction in store.redactions(document["id"], APPLIED):
        original = key.get("redactions", {}).get(str(redaction["id"]))
        if original is None or document["text"][redaction["start"]:redaction["end"]] != redaction["replacement"]:
            raise UsageError(f"{path}: does not match {document['name']} (redaction {redaction['id']}); "
                             "use the key written when this project was last anonymised")
        edits.append(Edit(redaction["start"], redaction["end"], original))
    return entry, edits


def _restore_document(store, document: dict, entry: dict, pseudonyms: dict) -> None:
    people = {t["seq"]: t["person_id"] for t in store.turn_rows(document["id"])}
    # Attributes as they are now, per person (withdrawal clears a respondent's): the originals come back
    # only where the stand-ins are still there.
    now = {s["person_id"]: s["attributes"] for s in store.speaker_rows(document["id"])}
    speakers = [{"label": s["label"], "attributes": s["attributes"], "person_id": None} for s in entry["speakers"]]
    speaker_of_turn = {}
    for seq, index in entry["turn_speakers"].items():
        # The person is today's (labels may have been linked since), the label the original.
        speakers[index]["person_id"] = speakers[index]["person_id"] or people.get(int(seq))
        speaker_of_turn[int(seq)] = index
    if any(s["person_id"] is None for s in speakers):
        raise UsageError(f"{document['name']}: its speakers no longer match the key's record; restore the project from a backup")
    for speaker in speakers:
        speaker["attributes"] = unmasked(now.get(speaker["person_id"], {}), speaker["attributes"], pseudonyms)
    store.replace_speakers(document["id"], speakers, speaker_of_turn)
    store.set_questions(document["id"], {int(seq): q for seq, q in entry["questions"].items()})
    store.replace_document_attributes(document["id"], unmasked(store.document_attributes(document["id"]), entry["attributes"], pseudonyms))
    if store.document_named(entry["name"]) not in (None, document["id"]):
        raise UsageError(f"cannot restore the name {entry['name']!r}: another document has it now; rename or remove that one first")
    store.set_document_identity(document["id"], entry["name"], entry["source_path"], entry["relpath"], anonymised=False)
