"""`anonymise`: labels to codes, neutral document names, identifying text redacted, all in one unit of work.

Each replaced span becomes a row in `redactions` (where, its replacement, which detector found it, who,
when); what it replaced goes to the key under the row's id, with the documents' names, paths, labels
and attributes, the roster and original log lines. Doubtful finds stay in the text as `pending` rows.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..codes import site_letters_in_use
from ..edits import Edit, apply_edits
from ..errors import UsageError
from ..key import hide_seed, locate, read_key, write_key
from ..models import REDACT, REVIEW, Detection
from ..project import Project
from ..roster import RosterReport, link_labels
from ..script import normalise_label
from ..settings import DATABASE_FILE
from ..speakers import CodeAllocation, allocate_codes
from .common import (ACCEPTED, APPLIED, PENDING, SPEAKER, Progress, check_key_state, new_state, redaction_row, restore_people, save_written_texts,
                     settings_files, settings_for, unmasked, written_texts)
from .detect import Detector, case_is_informative, resolve_overlaps
from .lexicon import PERSON, AnonymiseSettings, detector_for, merge_terms, read_terms

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


def anonymise(project: Project, key_path: Path | None, terms_path: Path | None = None, passphrase: str | None = None,
              on_document: Progress | None = None) -> AnonymiseReport:
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
        key = {**allocation.key, "terms": merge_terms(key.get("terms", []), new_terms), "state": new_state(store)}
        detector = detector_for(project, settings, store.roster_entries(), allocation.rows, allocation.codes, key["terms"])
        documents = [{**d, "turns": store.turn_rows(d["id"])} for d in store.all_documents()]
        work = _Work(store, detector, settings, allocation, key)
        work.name_documents(documents, allocation.seed)
        detector.learn_variants(_everything_written(store, documents))
        suggestions = _entity_suggestions(documents, settings)
        for document in documents:
            work.document(document, suggestions.get(document["id"], []), report)
            if on_document:
                on_document(document["name"], len(documents))
        work.people()
        work.coders()
        work.written_texts()
        work.forget_gone_redactions()
        report.settings_naming = [f"{name}: {text[d.start:d.end]}" for name, text in settings_files(project)
                                  for d in detector.find(text) if d.decision == REDACT]
        store.clear_roster()
        write_key(path, work.key, passphrase)  # last: a key that cannot be written leaves the project unchanged
    store.compact()
    report.removed_backups = _remove_backups(project)
    report.review = len(store.redactions(status=PENDING))
    return report


def _bring_back_identities(store, key: dict) -> None:
    """Roster names and people's original attributes, from the key; a person entered again on a new
    roster (same name and sites) is merged into the one the key knows."""
    restore_people(store, key)
    known = {int(pid): entry for pid, entry in key.get("roster", {}).items()}
    by_name = {(normalise_label(e["name"]), _sites(key.get("people", {}).get(str(pid), {}))): pid for pid, e in known.items()}
    for entry in store.roster_entries():
        first = by_name.get((normalise_label(entry["name"]), _sites(entry["attributes"])))
        if entry["person_id"] not in known and first is not None:
            aliases = list(dict.fromkeys([*known[first]["aliases"], *entry["aliases"]]))
            store.merge_person(entry["person_id"], first)
            store.save_roster_entry(first, known[first]["name"], aliases, entry["attributes"])


def _sites(attributes: dict) -> tuple[str, ...]:
    return tuple(sorted(s.casefold() for s in attributes.get("site", [])))


def _speech(document: dict) -> list[str]:
    """The spoken content of each turn (labels are replaced by codes, not searched)."""
    return [document["text"][t["start"]:t["end"]] for t in document["turns"]]


def _everything_written(store, documents: list[dict]):
    """Speech, attribute values and the texts people typed: where typos of names are looked for, as the
    leak check does, so a typo it would report is redacted here first."""
    for document in documents:
        yield from _speech(document)
        yield from store.document_attributes(document["id"]).values()
    for attributes in store.person_attributes().values():
        yield from (str(v) for value in attributes.values() for v in (value if isinstance(value, list) else [value]))
    for texts in written_texts(store).values():
        yield from texts.values()


def _entity_suggestions(documents: list[dict], settings: AnonymiseSettings) -> dict[int, list[Detection]]:
    """Named entities from an installed pipeline (`anonymise.ner_model`), as suggestions to review."""
    if not settings.ner_model:
        return {}
    from ..nlp import entity_spans

    spans = [(d["id"], t["start"], d["text"][t["start"]:t["end"]]) for d in documents for t in d["turns"]]
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
                    offset + start, offset + end, category, f"ner:{settings.ner_model}", settings.replacement_for(category),
                    REVIEW, f"named entity ({label})"))
    return found


class _Work:
    """One anonymising run over the store, collecting what the key must hold."""

    def __init__(self, store, detector: Detector, settings: AnonymiseSettings, allocation: CodeAllocation, key: dict):
        self.store, self.detector, self.settings, self.codes = store, detector, settings, allocation.codes
        self.key = {**key, **{part: dict(key.get(part, {})) for part in ("documents", "redactions", "people", "pseudonyms")},
                    "log": {kind: dict(texts) for kind, texts in key.get("log", {}).items()}}
        self.site_letters = site_letters_in_use(allocation.people, allocation.codes, allocation.scheme)
        self.exact: dict[str, str] = {}  # original document names and paths -> neutral names, for the log
        self.names: dict[int, str] = {}

    def name_documents(self, documents: list[dict], seed: int) -> None:
        """Names for documents being anonymised: the one a document had before (anonymised, then
        reversed), else a new number in a seeded random order, so numbers say nothing about names or
        import order."""
        entries = self.key["documents"]
        waiting = [d for d in documents if d["anonymised_at"] is None]
        taken = {d["name"] for d in documents}
        for document in waiting:
            earlier = entries.get(str(document["id"]), {}).get("neutral_name")
            if earlier and (earlier == document["name"] or earlier not in taken):
                self.names[document["id"]] = earlier
                taken.add(earlier)
        new = [d for d in waiting if d["id"] not in self.names]
        random.Random(f"{seed}:documents:{len(entries)}").shuffle(new)
        number = self.key.get("next_document", 1)
        for document in new:
            suffix = Path(document["name"]).suffix.lower()
            while (name := self.settings.document_name.format(n=number) + suffix) in taken:
                number += 1
            self.names[document["id"]] = name
            taken.add(name)
            number += 1
        self.key["next_document"] = number

    # -- documents ------------------------------------------------------------------------------

    def document(self, document: dict, suggestions: list[Detection], report: AnonymiseReport) -> None:
        store, document_id, turns, text = self.store, document["id"], document["turns"], document["text"]
        first_time = document["anonymised_at"] is None
        entry = self.key["documents"].get(str(document_id)) or {}
        if first_time:
            entry = self._snapshot(document, entry)
        found = self._finds(document, first_time, store.redactions(document_id), suggestions)
        edits = sorted((d for d in found if d.decision == REDACT), key=lambda d: d.start)
        new_text, mapping, undo = apply_edits(text, [Edit(d.start, d.end, d.replacement) for d in edits])
        if edits:
            store.remap_document(document_id, new_text, mapping, [(d.start, d.end) for d in edits])
        ids = store.add_redactions(document_id, [redaction_row(d, u.start, u.end, APPLIED) for d, u in zip(edits, undo)])
        self.key["redactions"].update({str(i): u.replacement for i, u in zip(ids, undo)})  # what undoing puts back
        store.add_redactions(document_id, [redaction_row(d, *mapping.span(d.start, d.end), PENDING) for d in found if d.decision == REVIEW])
        report.redacted.update(d.category for d in edits if d.category != SPEAKER)
        if first_time:
            self._rename(document, entry)
            report.documents.append(self.names[document_id])
        else:
            self._refresh(document_id)
        self.key["documents"][str(document_id)] = entry

    def _refresh(self, document_id: int) -> None:
        """An anonymised document's attributes, questions and respondents' answers, checked again: terms
        or names declared since may be in them (stand-ins and redacted text pass through unchanged)."""
        store = self.store
        store.replace_document_attributes(document_id, self._attributes(store.document_attributes(document_id)))
        store.set_questions(document_id, {t["seq"]: self._redacted(t["question"]) for t in store.turn_rows(document_id) if t["question"]})
        store.set_speaker_attributes({s["id"]: self._attributes(s["attributes"]) for s in store.speaker_rows(document_id)})

    def _snapshot(self, document: dict, entry: dict) -> dict:
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
            "turn_speakers": {str(t["seq"]): index[t["speaker_id"]] for t in document["turns"] if t["speaker_id"] is not None},
            "questions": {str(t["seq"]): t["question"] for t in document["turns"] if t["question"]},
        }

    def _finds(self, document: dict, first_time: bool, existing: list[dict], suggestions: list[Detection]) -> list[Detection]:
        """Labels (first time only) and identifying speech, minus anything already redacted or decided."""
        turns = document["turns"]
        labels = [Detection(t["label_start"], t["label_end"], SPEAKER, "label", self.codes[t["person_id"]])
                  for t in turns if first_time and t["label_start"] is not None and t["person_id"] is not None]
        contents = _speech(document)
        speech = []
        for turn, finds in zip(turns, self.detector.find_document(contents, case_is_informative(" ".join(contents)))):
            offset = turn["start"]
            speech.extend(Detection(offset + d.start, offset + d.end, d.category, d.detector, d.replacement, d.decision, d.reason)
                          for d in finds)
        # Finds a person accepted before a reversal are redacted again as they decided.
        accepted = [Detection(r["start"], r["end"], r["category"], r["detector"], r["replacement"], REDACT, r["reason"])
                    for r in existing if r["status"] == ACCEPTED]
        taken = [(r["start"], r["end"]) for r in existing]
        fresh = [d for d in resolve_overlaps(speech + suggestions) if not any(d.start < e and s < d.end for s, e in taken)]
        return labels + accepted + fresh

    def _rename(self, document: dict, entry: dict) -> None:
        store, document_id = self.store, document["id"]
        name = entry["neutral_name"] = self.names[document_id]
        for original in (entry["name"], entry["source_path"], entry["relpath"]):
            if original:
                self.exact[original] = name
        store.set_document_identity(document_id, name, "", "", anonymised=True)
        store.replace_document_attributes(document_id, self._attributes(entry["attributes"]))
        by_person: dict[int, int] = {}
        speakers, speaker_of_turn = [], {}
        for turn in document["turns"]:
            if turn["person_id"] is None:
                continue
            if turn["person_id"] not in by_person:
                by_person[turn["person_id"]] = len(speakers)
                original = entry["speakers"][entry["turn_speakers"][str(turn["seq"])]]
                speakers.append({"label": self.codes[turn["person_id"]], "person_id": turn["person_id"],
                                 "attributes": self._attributes(original["attributes"])})
            speaker_of_turn[turn["seq"]] = by_person[turn["person_id"]]
        store.replace_speakers(document_id, speakers, speaker_of_turn)
        store.set_questions(document_id, {int(seq): self._redacted(q) for seq, q in entry["questions"].items()})
        store.log_change("anonymise", name, f"{len(speakers)} speaker(s)")

    # -- people, attributes, written texts ---------------------------------------------------

    def coders(self) -> None:
        """A coder who is a declared person (the interviewer coding their own interviews) becomes `coder N`
        wherever the project records who did what; the name goes to the key."""
        renamed = self.key.setdefault("coders", {})
        names = self.store.coder_names()
        for name in sorted(names - set(renamed)):
            if not any(d.category == PERSON and d.decision in (REDACT, REVIEW) for d in self.detector.find(name)):
                continue
            number = 1
            while f"coder {number}" in renamed or f"coder {number}" in names:
                number += 1
            self.store.rename_coder(name, f"coder {number}")
            renamed[f"coder {number}"] = name

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
        of an identifying attribute (a school, an e-mail), or one that is a single name or term (la =
        Northmoor, coach = Mags, even if also a word), a numbered stand-in that keeps groups apart
        (`la 1`, `la 2`); anything else is redacted like speech. The same value always gets the same
        stand-in, in this run and later ones."""
        if not isinstance(value, str) or not value.strip():
            return value
        folded = name.casefold()
        remembered = self.key["pseudonyms"].get(f"{folded}\t{value}")
        if remembered:
            return remembered
        found = self.detector.find(value.strip(), case_known=False)  # `coach = mags`: a value's case says nothing
        if folded in {"site", "locality"} and value.casefold() in self.site_letters:
            stand_in = self.settings.site_name.format(letter=self.site_letters[value.casefold()])
        elif folded in self.settings.identifying_attributes or _whole(found, value.strip()):
            used = {v for k, v in self.key["pseudonyms"].items() if k.startswith(f"{folded}\t")}
            stand_in = f"{name} {len(used) + 1}"
        else:
            stand_in = self._redacted(value)
            if stand_in == value:
                return value
        self.key["pseudonyms"][f"{folded}\t{value}"] = stand_in
        return stand_in

    def _redacted(self, text: str, doubtful: bool = False) -> str:
        """Text outside transcripts with identifying spans replaced (with `doubtful`, the finds that would
        wait for review in a transcript too: what people wrote down is not evidence to keep word for word)."""
        edits = [Edit(d.start, d.end, d.replacement) for d in self.detector.find(text)
                 if d.decision == REDACT or doubtful and d.decision == REVIEW]
        return apply_edits(text, edits)[0] if edits else text

    def forget_gone_redactions(self) -> None:
        """Originals of redactions no longer in the project (withdrawn words) leave the key too."""
        kept = {str(r["id"]) for r in self.store.redactions()}
        self.key["redactions"] = {i: text for i, text in self.key["redactions"].items() if i in kept}

    def written_texts(self) -> None:
        """Log lines name files and people (`import 'Margaret Ellis.docx'`), and reasons people wrote may
        too: file names and paths become the documents' new names, then names and terms go as in speech.
        The first original of each changed text goes to the key."""
        import ahocorasick

        names = ahocorasick.Automaton()
        for original, neutral in self.exact.items():
            names.add_word(original, (original, neutral))
        if self.exact:
            names.make_automaton()

        def redacted(text: str) -> str:
            text = hide_seed(text)  # a log from before seeds were blanked at the command line
            if self.exact:
                text = apply_edits(text, [Edit(end + 1 - len(original), end + 1, neutral)
                                          for end, (original, neutral) in names.iter_long(text)])[0]
            return self._redacted(text, doubtful=True)

        texts = written_texts(self.store)
        new = {kind: {i: redacted(text) for i, text in items.items()} for kind, items in texts.items()}
        for kind, items in texts.items():
            originals = self.key["log"].setdefault(kind, {})
            for i, text in items.items():
                if new[kind][i] != text:
                    originals.setdefault(i, text)
        save_written_texts(self.store, new)


def _whole(found: list[Detection], text: str) -> bool:
    return len(found) == 1 and (found[0].start, found[0].end) == (0, len(text))


def _remove_backups(project: Project) -> list[str]:
    """Migration backups hold the text as it was: anonymising removes them."""
    removed = []
    for backup in sorted(project.root.glob(f"{DATABASE_FILE}.v*.bak")):
        backup.unlink()
        removed.append(backup.name)
    return removed
