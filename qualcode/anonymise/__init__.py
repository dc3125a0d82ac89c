"""Anonymisation: speaker codes for labels, neutral document names, identifying speech redacted, and a
key kept outside the project as the only way back.

`anonymise` rewrites the stored text in place. Each replaced span is a row in `redactions` (where, what
replaced it, which detector found it, who ran it, when); the text it replaced goes to the key under
the row's id, with the original document names, source paths, labels, attributes, roster and log
lines. `reverse` puts all of it back exactly. Doubtful finds (a name that is also a word) are kept and
listed for review (`review`, `decide`). Everything runs in one unit of work, and the store file is
compacted afterwards so no replaced text remains on disk.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..codes import site_letters_in_use
from ..edits import Edit, apply_edits
from ..errors import UsageError
from ..key import locate, read_key, write_key
from ..models import REDACT, REVIEW, Detection
from ..project import Project
from ..roster import RosterReport, link_labels
from ..script import LineIndex, normalise_label
from ..settings import DATABASE_FILE, PROJECT_FILE
from ..speakers import CodeAllocation, allocate_codes
from .detect import Detector, case_is_informative, resolve_overlaps
from .lexicon import AnonymiseSettings, detector_for, merge_terms, read_terms

APPLIED, PENDING, REJECTED = "applied", "pending", "rejected"
SPEAKER = "speaker"
_NER_CATEGORIES = {"PERSON": "person", "PER": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}


@dataclass(slots=True)
class AnonymiseReport:
    key: Path
    documents: list[str] = field(default_factory=list)  # newly anonymised, by their new names
    redacted: Counter = field(default_factory=Counter)  # category -> redactions made now
    review: int = 0  # doubtful finds waiting for a decision (all of them, not only new)
    removed_backups: list[str] = field(default_factory=list)
    ambiguous_labels: list[str] = field(default_factory=list)
    settings_naming: list[str] = field(default_factory=list)  # `qualcode.toml: Kingsmead`: names anonymising cannot touch


@dataclass(frozen=True, slots=True)
class Pending:
    id: int
    document: str
    line: int
    text: str
    before: str  # up to 50 characters of context each side, whole words, on one line
    after: str
    category: str
    detector: str
    reason: str
    replacement: str


def settings_for(project: Project) -> AnonymiseSettings:
    return AnonymiseSettings.from_values(project.settings.values, str(project.root / PROJECT_FILE))


def anonymise(project: Project, key_path: Path | None, terms_path: Path | None = None, passphrase: str | None = None,
              on_document: Callable[[int, int], None] | None = None) -> AnonymiseReport:
    """Anonymise every document not yet anonymised, and redact newly declared names in those that are."""
    settings = settings_for(project)
    path = locate(key_path, project.settings["key"], project.root)
    new_terms = read_terms(terms_path) if terms_path else []
    store = project.store
    key = read_key(path, store.project_id(), passphrase)
    check_key_state(store, key, path)
    report = AnonymiseReport(path)
    with store.unit_of_work():
        # Names come back from the key for the length of this transaction: new labels and a new wave's
        # roster are matched against them; they leave again before it commits.
        _bring_back_identities(store, key)
        linking = RosterReport()
        link_labels(store, linking)
        report.ambiguous_labels = linking.ambiguous
        allocation = allocate_codes(project, key)
        key = {**allocation.key, "terms": merge_terms(key.get("terms", []), new_terms), "state": _new_state(store)}
        detector = detector_for(project, settings, store.roster_entries(), allocation.codes, key["terms"])
        documents = store.documents_to_anonymise()
        names = _neutral_names(documents, key, settings, allocation.seed)
        work = _Work(store, detector, settings, allocation, key)
        detector.learn_variants(text for d in documents for text in _speech(store, d["id"], d["text"]))
        suggestions = _entity_suggestions(store, documents, settings)
        for done, document in enumerate(documents, 1):
            work.document(document, names, suggestions.get(document["id"], []), report)
            if on_document:
                on_document(done, len(documents))
        work.people()
        work.log()
        report.settings_naming = [f"{name}: {text[d.start:d.end]}" for name, text in settings_files(project)
                                  for d in detector.find(text) if d.decision == REDACT]
        store.clear_roster()
        write_key(path, work.key, passphrase)  # last: a key that cannot be written leaves the project unchanged
    store.compact()
    report.removed_backups = _remove_backups(project)
    report.review = len(store.redactions(status=PENDING))
    return report


def settings_files(project: Project) -> list[tuple[str, str]]:
    """The project's own text files people write in: `qualcode.toml` (`[codes.sites]` may name schools)
    and the codebook (which may quote speech). Anonymising leaves them alone; they are checked."""
    found = []
    for name in (PROJECT_FILE, project.settings["project.codebook"]):
        path = project.root / name
        if path.is_file():
            found.append((name, path.read_text(encoding="utf-8", errors="replace")))
    return found


def check_key_state(store, key: dict, path: Path) -> None:
    """A key goes with one copy of a project: the one it was last anonymised with. A copy of the project
    (same id) anonymised with the same key file since, or another key, must not be mixed with it."""
    project_state, key_state = store.key_state(), key.get("state")
    if project_state is None and key.get("documents"):
        raise UsageError(f"{path}: this key already holds an anonymisation of another copy of this project; "
                         "use a new key file for this copy")
    if project_state is not None and key_state != project_state:
        raise UsageError(f"{path}: not the key this copy of the project was last anonymised with (another copy has "
                         "written it since, or it is another key); use the matching key")


def _new_state(store) -> str:
    token = secrets.token_hex(8)
    store.set_key_state(token)
    return token


def _bring_back_identities(store, key: dict) -> None:
    """Roster names and people's original attributes, from the key; a person entered again on a new
    roster (same name and site) is merged into the one the key knows."""
    known = {int(pid): entry for pid, entry in key.get("roster", {}).items()}
    current = store.person_attributes()
    for pid, attributes in key.get("people", {}).items():
        store.set_person_attributes(int(pid), unmasked(current.get(int(pid), {}), attributes, key.get("pseudonyms", {})))
    store.restore_roster(known)
    by_name = {(normalise_label(e["name"]), _sites(key.get("people", {}).get(str(pid), {}))): pid for pid, e in known.items()}
    for entry in store.roster_entries():
        first = by_name.get((normalise_label(entry["name"]), _sites(entry["attributes"])))
        if entry["person_id"] not in known and first is not None:
            aliases = list(dict.fromkeys([*known[first]["aliases"], *entry["aliases"]]))
            store.merge_person(entry["person_id"], first)
            store.save_roster_entry(first, known[first]["name"], aliases, entry["attributes"])


def _sites(attributes: dict) -> tuple[str, ...]:
    return tuple(sorted(s.casefold() for s in attributes.get("site", [])))


def _speech(store, document_id: int, text: str) -> list[str]:
    """The spoken content of each turn (labels are replaced by codes, not searched)."""
    return [text[t["start"]:t["end"]] for t in store.turn_rows(document_id)]


def _neutral_names(documents: list[dict], key: dict, settings: AnonymiseSettings, seed: int) -> dict[int, str]:
    """Names for documents being anonymised: the one a document had before (anonymised, then reversed),
    else a new number in a seeded random order, so numbers say nothing about names or import order."""
    entries = key.get("documents", {})
    waiting = [d for d in documents if d["anonymised_at"] is None]
    taken = {d["name"] for d in documents}
    names = {}
    for document in waiting:
        earlier = entries.get(str(document["id"]), {}).get("neutral_name")
        if earlier and (earlier == document["name"] or earlier not in taken):
            names[document["id"]] = earlier
            taken.add(earlier)
    new = [d for d in waiting if d["id"] not in names]
    random.Random(f"{seed}:documents:{len(entries)}").shuffle(new)
    number = key.get("next_document", 1)
    for document in new:
        suffix = Path(document["name"]).suffix.lower()
        while (name := settings.document_name.format(n=number) + suffix) in taken:
            number += 1
        names[document["id"]] = name
        taken.add(name)
        number += 1
    key["next_document"] = number
    return names


def _entity_suggestions(store, documents: list[dict], settings: AnonymiseSettings) -> dict[int, list[Detection]]:
    """Named entities from an installed pipeline (`anonymise.ner_model`), as suggestions to review."""
    if not settings.ner_model:
        return {}
    from ..nlp import entity_spans

    spans = [(d["id"], t["start"], d["text"][t["start"]:t["end"]]) for d in documents for t in store.turn_rows(d["id"])]
    try:
        entities = entity_spans([text for _, _, text in spans], settings.ner_model)
    except (OSError, ValueError, ImportError) as error:
        raise UsageError(f"anonymise.ner_model {settings.ner_model!r}: cannot load it ({error}); install the pipeline, "
                         "or set ner_model = \"\" in qualcode.toml") from None
    found: dict[int, list[Detection]] = {}
    for (document_id, offset, _), ents in zip(spans, entities):
        for start, end, label in ents:
            category = _NER_CATEGORIES.get(label)
            if category:
                found.setdefault(document_id, []).append(Detection(
                    offset + start, offset + end, category, f"ner:{settings.ner_model}",
                    settings.replacement("name" if category == "person" else category), REVIEW, f"named entity ({label})"))
    return found


class _Work:
    """One anonymising run over the store, collecting what the key must hold."""

    def __init__(self, store, detector: Detector, settings: AnonymiseSettings, allocation: CodeAllocation, key: dict):
        self.store, self.detector, self.settings, self.codes = store, detector, settings, allocation.codes
        self.key = {**key, "documents": dict(key.get("documents", {})), "redactions": dict(key.get("redactions", {})),
                    "people": dict(key.get("people", {})), "pseudonyms": dict(key.get("pseudonyms", {})),
                    "log": {"commands": dict(key.get("log", {}).get("commands", {})), "changes": dict(key.get("log", {}).get("changes", {}))}}
        self.site_letters = site_letters_in_use(allocation.people, allocation.codes, allocation.scheme)
        self.exact: dict[str, str] = {}  # original document names and paths -> neutral names, for the log

    # -- documents ------------------------------------------------------------------------------

    def document(self, document: dict, names: dict[int, str], suggestions: list[Detection], report: AnonymiseReport) -> None:
        store, document_id = self.store, document["id"]
        first_time = document["anonymised_at"] is None
        turns = store.turn_rows(document_id)
        text = document["text"]
        entry = self.key["documents"].get(str(document_id)) or {}
        if first_time:
            entry = self._snapshot(document, entry, turns)
        found = self._finds(text, turns, first_time, store.redactions(document_id), suggestions)
        edits = sorted((d for d in found if d.decision == REDACT), key=lambda d: d.start)
        new_text, mapping, placed = apply_edits(text, [Edit(d.start, d.end, d.replacement) for d in edits])
        store.remap_document(document_id, new_text, mapping, [(d.start, d.end) for d in edits])
        ids = store.add_redactions(document_id, [_row(d, p.start, p.end, APPLIED) for d, p in zip(edits, placed)])
        self.key["redactions"].update({str(i): p.replacement for i, p in zip(ids, placed)})
        store.add_redactions(document_id, [_row(d, *mapping.span(d.start, d.end), PENDING) for d in found if d.decision == REVIEW])
        report.redacted.update(d.category for d in edits if d.category != SPEAKER)
        if first_time:
            self._rename(document, entry, names, turns)
            report.documents.append(names[document_id])
        self.key["documents"][str(document_id)] = entry

    def _snapshot(self, document: dict, entry: dict, turns: list[dict]) -> dict:
        """What reversing needs besides the redacted spans: name, paths, attributes, labels, questions."""
        speakers = self.store.speaker_rows(document["id"])
        index = {s["id"]: n for n, s in enumerate(speakers)}
        return {
            "name": entry.get("name", document["name"]),
            "relpath": entry.get("relpath", document["relpath"]),
            "source_path": document["source_path"] or entry.get("source_path", ""),
            # After `import --replace` the attributes kept are stand-ins: the key has what they stand for.
            "attributes": unmasked(self.store.document_attributes(document["id"]), entry.get("attributes", {}), self.key["pseudonyms"]),
            "speakers": [{"label": s["label"], "attributes": s["attributes"]} for s in speakers],
            "turn_speakers": {str(t["seq"]): index[t["speaker_id"]] for t in turns if t["speaker_id"] is not None},
            "questions": {str(t["seq"]): t["question"] for t in turns if t["question"]},
        }

    def _finds(self, text: str, turns: list[dict], first_time: bool, existing: list[dict], suggestions: list[Detection]) -> list[Detection]:
        """Labels (first time only) and identifying speech, minus anything already redacted or decided."""
        found = []
        if first_time:
            found = [Detection(t["label_start"], t["label_end"], SPEAKER, "label", self.codes[t["person_id"]])
                     for t in turns if t["label_start"] is not None and t["person_id"] is not None]
        contents = [text[t["start"]:t["end"]] for t in turns]
        speech = []
        for turn, finds in zip(turns, self.detector.find_document(contents, case_is_informative(" ".join(contents)))):
            offset = turn["start"]
            speech.extend(Detection(offset + d.start, offset + d.end, d.category, d.detector, d.replacement, d.decision, d.reason)
                          for d in finds)
        taken = [(r["start"], r["end"]) for r in existing]
        fresh = [d for d in resolve_overlaps(speech + suggestions) if not any(d.start < e and s < d.end for s, e in taken)]
        return found + fresh

    def _rename(self, document: dict, entry: dict, names: dict[int, str], turns: list[dict]) -> None:
        store, document_id = self.store, document["id"]
        name = entry["neutral_name"] = names[document_id]
        for original in (entry["name"], entry["source_path"], entry["relpath"]):
            if original:
                self.exact[original] = name
        store.set_document_identity(document_id, name, "", "", anonymised=True)
        store.replace_document_attributes(document_id, self._attributes(entry["attributes"]))
        by_person: dict[int, int] = {}
        speakers, speaker_of_turn = [], {}
        for turn in turns:
            if turn["person_id"] is None:
                continue
            if turn["person_id"] not in by_person:
                by_person[turn["person_id"]] = len(speakers)
                original = entry["speakers"][entry["turn_speakers"][str(turn["seq"])]]
                speakers.append({"label": self.codes[turn["person_id"]], "person_id": turn["person_id"],
                                 "attributes": self._attributes(original["attributes"])})
            speaker_of_turn[turn["seq"]] = by_person[turn["person_id"]]
        store.replace_speakers(document_id, speakers, speaker_of_turn)
        store.set_questions(document_id, {int(seq): self.free_text(q) for seq, q in entry["questions"].items()})
        store.log_change("anonymise", name, f"{len(speakers)} speaker(s)")

    # -- people, attributes, log -------------------------------------------------------------

    def people(self) -> None:
        for person_id, attributes in self.store.person_attributes().items():
            if attributes:
                self.key["people"][str(person_id)] = attributes
                self.store.set_person_attributes(person_id, self._attributes(attributes))
        self.key["roster"] = {str(r["person_id"]): {"name": r["name"], "aliases": r["aliases"]} for r in self.store.roster_entries()}

    def _attributes(self, attributes: dict) -> dict:
        return {name: [self._value(name, v) for v in value] if isinstance(value, list) else self._value(name, value)
                for name, value in attributes.items()}

    def _value(self, name: str, value):
        """An attribute value with nothing identifying left: a site becomes its letter (`Site C`); a value
        of an identifying attribute (a school, an e-mail) a numbered stand-in; anything else is redacted
        like speech. The same value always gets the same stand-in, in this run and later ones."""
        if not isinstance(value, str) or not value.strip():
            return value
        folded = name.casefold()
        pseudonyms = self.key["pseudonyms"]
        remembered = pseudonyms.get(f"{folded}\t{value}")
        if remembered:
            return remembered
        if folded in {"site", "locality"} and value.casefold() in self.site_letters:
            stand_in = self.settings.site_name.format(letter=self.site_letters[value.casefold()])
        elif folded in self.settings.identifying_attributes:
            stand_in = self._numbered(name, folded)
        elif _whole(self.detector.find(value.strip()), value.strip()):
            # A value that is one name or term (la = Northmoor, coach = Mags) is one, even if it is also a
            # word; a numbered stand-in keeps the groups apart: la 1, la 2.
            stand_in = self._numbered(name, folded)
        else:
            stand_in = self.free_text(value)
            if stand_in == value:
                return value
        pseudonyms[f"{folded}\t{value}"] = stand_in
        return stand_in

    def _numbered(self, name: str, folded: str) -> str:
        used = {v for k, v in self.key["pseudonyms"].items() if k.startswith(f"{folded}\t")}
        return f"{name} {len(used) + 1}"

    def free_text(self, text: str) -> str:
        """Text outside transcripts (attribute values, questions, log lines) with identifying spans replaced."""
        edits = [Edit(d.start, d.end, d.replacement) for d in self.detector.find(text) if d.decision == REDACT]
        return apply_edits(text, edits)[0] if edits else text

    def log(self) -> None:
        """Log lines name files and people (`import 'Margaret Ellis.docx'`), and reasons people wrote may
        too; they are redacted: file names and paths become the documents' new names, then names and
        terms go as in speech."""
        import ahocorasick

        names = ahocorasick.Automaton()
        for original, neutral in self.exact.items():
            names.add_word(original, (original, neutral))
        if self.exact:
            names.make_automaton()

        def redacted(text: str) -> str:
            if self.exact:
                text = apply_edits(text, [Edit(end + 1 - len(original), end + 1, neutral)
                                          for end, (original, neutral) in names.iter_long(text)])[0]
            return self.free_text(text)

        commands, changes = self.store.log_texts()
        notes = self.store.notes()
        originals = self.key["log"]
        new_commands = {i: redacted(c) for i, c in commands.items()}
        new_changes = {i: (redacted(t), redacted(d)) for i, (t, d) in changes.items()}
        new_notes = {name: redacted(note) for name, note in notes.items()}
        for i, command in commands.items():
            if new_commands[i] != command:
                originals["commands"].setdefault(str(i), command)
        for i, change in changes.items():
            if new_changes[i] != change:
                originals["changes"].setdefault(str(i), list(change))
        for name, note in notes.items():
            if new_notes[name] != note:
                originals.setdefault("notes", {}).setdefault(name, note)
        self.store.set_log_texts(new_commands, new_changes)
        self.store.set_notes(new_notes)


def _whole(found: list[Detection], text: str) -> bool:
    return len(found) == 1 and (found[0].start, found[0].end) == (0, len(text))


def _row(detection: Detection, start: int, end: int, status: str) -> dict:
    return {"start": start, "end": end, "category": detection.category, "detector": detection.detector,
            "replacement": detection.replacement, "status": status, "reason": detection.reason}


def _remove_backups(project: Project) -> list[str]:
    """Migration backups hold the text as it was: anonymising removes them."""
    removed = []
    for backup in sorted(project.root.glob(f"{DATABASE_FILE}.v*.bak")):
        backup.unlink()
        removed.append(backup.name)
    return removed


@dataclass(slots=True)
class ReverseReport:
    documents: list[str] = field(default_factory=list)  # restored names
    restored: int = 0  # spans put back


def reverse(project: Project, key_path: Path | None, passphrase: str | None = None) -> ReverseReport:
    """Put back everything anonymising replaced: text, document names and paths, labels, attributes,
    the roster and log lines. Checked against the key before anything changes."""
    path = locate(key_path, project.settings["key"], project.root)
    if not path.exists():
        raise UsageError(f"{path}: no such key; reversing needs the key the project was anonymised with")
    store = project.store
    key = read_key(path, store.project_id(), passphrase)
    check_key_state(store, key, path)
    documents = [d for d in store.documents_to_anonymise() if d["anonymised_at"] is not None]
    if not documents:
        raise UsageError("nothing to reverse: no document is anonymised")
    plans = [_reversal(store, d, key, path) for d in documents]
    report = ReverseReport()
    with store.unit_of_work():
        for document, (entry, edits) in zip(documents, plans):
            new_text, mapping, _ = apply_edits(document["text"], edits)
            store.remap_document(document["id"], new_text, mapping, [(e.start, e.end) for e in edits])
            _restore_document(store, document, entry, key.get("pseudonyms", {}))
            store.log_change("reverse", entry["name"], f"{len(edits)} span(s) restored")
            report.documents.append(entry["name"])
            report.restored += len(edits)
        store.restore_roster({int(pid): entry for pid, entry in key.get("roster", {}).items()})
        current = store.person_attributes()
        for person_id, attributes in key.get("people", {}).items():
            store.set_person_attributes(int(person_id), unmasked(current.get(int(person_id), {}), attributes, key.get("pseudonyms", {})))
        log = key.get("log", {})
        commands, changes = store.log_texts()
        store.set_log_texts({i: log["commands"][str(i)] for i in commands if str(i) in log.get("commands", {})},
                            {i: tuple(log["changes"][str(i)]) for i in changes if str(i) in log.get("changes", {})})
        store.set_notes({name: log["notes"][name] for name in store.notes() if name in log.get("notes", {})})
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


def unmasked(current: dict, originals: dict, pseudonyms: dict) -> dict:
    """Attributes as they were before anonymising: a value that is still the stand-in of its original
    gets the original back; a value changed since, or added, stays as it is now."""
    def back(name: str, value, original):
        def mask(item):
            return pseudonyms.get(f"{name.casefold()}\t{item}", item)
        if isinstance(original, list) and isinstance(value, list):
            return original if value == [mask(item) for item in original] else value
        return original if value == mask(original) else value

    return {name: back(name, value, originals[name]) if name in originals else value for name, value in current.items()}


def _restore_document(store, document: dict, entry: dict, pseudonyms: dict) -> None:
    turns = store.turn_rows(document["id"])
    people = {t["seq"]: t["person_id"] for t in turns}
    speakers = [{**s, "person_id": None} for s in entry["speakers"]]
    speaker_of_turn = {}
    for seq, index in entry["turn_speakers"].items():
        # The person is today's (labels may have been linked since), the label the original.
        speakers[index]["person_id"] = speakers[index]["person_id"] or people.get(int(seq))
        speaker_of_turn[int(seq)] = index
    if any(s["person_id"] is None for s in speakers):
        raise UsageError(f"{document['name']}: its speakers no longer match the key's record; restore the project from a backup")
    store.replace_speakers(document["id"], speakers, speaker_of_turn)
    store.set_questions(document["id"], {int(seq): q for seq, q in entry["questions"].items()})
    store.replace_document_attributes(document["id"], unmasked(store.document_attributes(document["id"]), entry["attributes"], pseudonyms))
    if store.document_named(entry["name"]) not in (None, document["id"]):
        raise UsageError(f"cannot restore the name {entry['name']!r}: another document has it now; rename or remove that one first")
    store.set_document_identity(document["id"], entry["name"], entry["source_path"], entry["relpath"], anonymised=False)


def pending(project: Project, ids: set[int] | None = None) -> list[Pending]:
    """Doubtful finds waiting for a person's decision (all, or those with these ids), with line and context."""
    store = project.store
    found, texts = [], {}
    for row in store.redactions(status=PENDING):
        if ids is not None and row["id"] not in ids:
            continue
        text = texts.setdefault(row["document_id"], store.document_text(row["document_id"]))
        start, end = row["start"], row["end"]
        before = text[max(0, start - 50):start].replace("\n", " ")
        after = text[end:end + 50].replace("\n", " ")
        # Whole words only: cut at the first space (or keep all if there is none).
        before = before.split(" ", 1)[-1] if start > 50 else before
        after = after.rsplit(" ", 1)[0] if end + 50 < len(text) else after
        found.append(Pending(row["id"], row["document"], LineIndex(text).line(start), text[start:end], before, after,
                             row["category"], row["detector"], row["reason"], row["replacement"]))
    return found


def decide(project: Project, ids: list[int] | None, accept: bool, key_path: Path | None = None, reason: str = "",
           passphrase: str | None = None, compact: bool = True) -> int:
    """Accept (redact, the original going to the key) or reject (keep, with a reason) doubtful finds;
    `ids` None means all of them. Returns how many were decided. Each call is one unit of work; the
    replaced text leaves the disk at once (secure delete, log emptied), and with `compact` the file is
    also rebuilt (a walk through many finds does that once, at the end)."""
    store = project.store
    chosen = [r for r in store.redactions(status=PENDING) if ids is None or r["id"] in ids]
    unknown = sorted(set(ids or []) - {r["id"] for r in chosen})
    if unknown:
        raise UsageError(f"no pending find with id {', '.join(map(str, unknown))}; `qualcode anonymise review` lists them")
    if not accept:
        if not reason.strip():
            raise UsageError("say why they are not identifying: --reason 'Will is a verb here'")
        with store.unit_of_work():
            for row in chosen:
                store.decide_redaction(row["id"], REJECTED, reason)
                store.log_change("keep", row["document"], f"{row['category']} at {row['start']}: {reason}")
        return len(chosen)
    path = locate(key_path, project.settings["key"], project.root)
    key = read_key(path, store.project_id(), passphrase)
    check_key_state(store, key, path)
    redactions = dict(key.get("redactions", {}))
    with store.unit_of_work():
        for document_id in sorted({r["document_id"] for r in chosen}):
            rows = sorted((r for r in chosen if r["document_id"] == document_id), key=lambda r: r["start"])
            text = store.document_text(document_id)
            new_text, mapping, placed = apply_edits(text, [Edit(r["start"], r["end"], r["replacement"]) for r in rows])
            store.remap_document(document_id, new_text, mapping, [(r["start"], r["end"]) for r in rows])
            ids_now = store.add_redactions(document_id, [
                {"start": p.start, "end": p.end, "category": r["category"], "detector": r["detector"], "replacement": r["replacement"],
                 "status": APPLIED, "reason": reason or r["reason"]} for r, p in zip(rows, placed)])
            redactions.update({str(i): p.replacement for i, p in zip(ids_now, placed)})
            store.log_change("redact", rows[0]["document"], f"{len(rows)} reviewed find(s)")
        write_key(path, {**key, "redactions": redactions, "state": _new_state(store)}, passphrase)
    if compact:
        store.compact()
    else:
        store.flush_to_disk()
    return len(chosen)


def walk(project: Project, ask: Callable[[Pending, int, int], tuple[str, str]], key_path: Path | None = None,
         passphrase: str | None = None) -> int:
    """Decide doubtful finds one at a time: `ask(find, number, total)` answers `("redact", "")`,
    `("keep", reason)`, `("skip", "")` or `("quit", "")`. Each decision is saved as it is made; the
    store is rebuilt once at the end. Returns how many were decided."""
    ids = [find.id for find in pending(project)]
    decided = 0
    for number, find_id in enumerate(ids, 1):
        current = pending(project, {find_id})  # read again: an earlier redaction may have moved its context
        if not current:
            continue
        choice, reason = ask(current[0], number, len(ids))
        if choice == "quit":
            break
        if choice in {"redact", "keep"}:
            decided += decide(project, [find_id], choice == "redact", key_path, reason, passphrase, compact=False)
    if decided:
        project.store.compact()
    return decided
