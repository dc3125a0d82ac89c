"""The speaker registry: labels, the people behind them, and their roles.

Within a document a label is one person; across documents labels are different people until linked
(identical interviewer labels are one interviewer from the start). Speaker codes and anonymisation
build on this registry.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from .codes import CodeScheme, Person, allocate, identifying, scheme_from_settings
from .corpus import resolve_document
from .errors import UsageError
from .models import INTERVIEWER, PARTICIPANT, SpeakerSummary
from .key import locate, read_key, write_key
from .project import Project
from .script import normalise_label
from .settings import PROJECT_FILE

SUGGESTION_THRESHOLD = 80  # rapidfuzz ratio of two labels in one document that may be one person (a typo)


@dataclass(frozen=True, slots=True)
class LinkSuggestion:
    document: str
    label: str
    similar_to: str
    score: int


def interviewer_regex(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex that matches a whole label naming an interviewer."""
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error as error:
        raise UsageError(f"import.interviewer_labels: {error}; each entry must be a regular expression") from None


def role_for_label(label: str, interviewers: re.Pattern[str]) -> str:
    """The role a label gets at import: interviewer if it names one, otherwise participant."""
    if interviewers.fullmatch(label):
        return INTERVIEWER
    return PARTICIPANT


def list_speakers(project: Project) -> list[SpeakerSummary]:
    return project.store.speaker_summaries()


def set_role(project: Project, label: str, role: str, document: str | None = None) -> int:
    """Give the people speaking under this label (in one document, or all) a role. Returns how many people."""
    role = role.strip().casefold()
    if not re.fullmatch(r"[a-z][a-z0-9 _-]{0,39}", role):
        raise UsageError(f"role {role!r}: use a short word such as interviewer, participant or observer")
    store = project.store
    document_id = resolve_document(project, document)["id"] if document else None
    speakers = store.speakers(label, document_id)
    if not speakers:
        where = f" in {document}" if document else ""
        raise UsageError(f"no speaker labelled {label!r}{where}; `qualcode speakers` lists the labels")
    with store.unit_of_work():
        store.set_roles(speakers, role)
    return len({s["person_id"] for s in speakers})


def link(project: Project, references: list[str], document: str | None = None) -> int:
    """Make the labels named one person. A reference is `DOC:LABEL`, or `LABEL` (in `document`, or unique)."""
    if len(references) < 2:
        raise UsageError("name at least two labels to link, e.g. `qualcode speakers link P5:Participant P5:Particpant`")
    store = project.store
    speakers = [_speaker(project, reference, document) for reference in references]
    roles = {s["role"] for s in speakers}
    if len(roles) > 1:
        raise UsageError(f"these labels have different roles ({', '.join(sorted(roles))}); set one role first with `speakers set-role`")
    with store.unit_of_work():
        return store.link_people(speakers, _keeper(project, speakers))


def unlink(project: Project, reference: str, document: str | None = None) -> bool:
    """Undo a link: the label becomes a person of its own. False when it already is."""
    store = project.store
    speaker = _speaker(project, reference, document)
    if len([s for s in store.speakers() if s["person_id"] == speaker["person_id"]]) == 1:
        return False
    with store.unit_of_work():
        store.new_person_for(speaker)
    return True


def _keeper(project: Project, speakers: list[dict]) -> int:
    """The person the labels become: the one on the roster or with a code, so neither is lost; never two such."""
    people = {s["person_id"] for s in speakers}
    known = {r["id"]: r for r in project.store.people_for_codes() if r["id"] in people}
    named = {p for p in people if known[p]["name"] or known[p]["code"]}
    if len(named) > 1:
        described = " and ".join(known[p]["name"] or known[p]["code"] for p in sorted(named))
        raise UsageError(f"these labels belong to {described}, two people on the roster or with codes; correct the roster instead")
    return named.pop() if named else speakers[0]["person_id"]


def _speaker(project: Project, reference: str, document: str | None) -> dict:
    doc_ref, sep, label = reference.rpartition(":")
    if not sep:
        doc_ref, label = document, reference
    document_id = resolve_document(project, doc_ref)["id"] if doc_ref else None
    found = project.store.speakers(label, document_id)
    if not found:
        raise UsageError(f"no speaker labelled {label!r}" + (f" in {doc_ref}" if doc_ref else "") + "; `qualcode speakers` lists them")
    if len(found) > 1:
        raise UsageError(f"{label!r} is a label in {len(found)} documents (" + ", ".join(s["document"] for s in found)
                         + f"); write DOC:{label} or pass --document")
    return found[0]


def _numbered_pair(first: str, second: str) -> bool:
    """`Participant 1` and `Participant 2`, `Teacher A` and `Teacher B`: a series, not a typo."""
    series = re.compile(r"^(.*?)\s*(\d+|[A-Za-z])$")
    a, b = series.match(first), series.match(second)
    return bool(a and b and a.group(1) and a.group(1).casefold() == b.group(1).casefold())


def suggest_links(project: Project) -> list[LinkSuggestion]:
    """Labels in one document that look like typos of each other (`Particpant` ~ `Participant`) and are not yet one person."""
    from rapidfuzz import fuzz

    by_document: dict[str, list[dict]] = {}
    for speaker in project.store.speakers():
        by_document.setdefault(speaker["document"], []).append(speaker)
    suggestions = []
    for name, speakers in by_document.items():
        for i, first in enumerate(speakers):
            for second in speakers[i + 1:]:
                if first["person_id"] == second["person_id"] or _numbered_pair(first["label"], second["label"]):
                    continue
                score = fuzz.ratio(normalise_label(first["label"]), normalise_label(second["label"]))
                if score >= SUGGESTION_THRESHOLD:
                    suggestions.append(LinkSuggestion(name, second["label"], first["label"], round(score)))
    return suggestions


@dataclass(frozen=True, slots=True)
class Assignment:
    person: int
    code: str
    kind: str
    labels: str


@dataclass(frozen=True, slots=True)
class CodeAllocation:
    """Everyone's codes, the seed that drew them, and the key as it must be written with them."""

    seed: int
    key: dict
    rows: list[dict]
    people: list[Person]
    codes: dict[int, str]
    scheme: CodeScheme

    def assignments(self) -> list[Assignment]:
        return [Assignment(r["id"], self.codes[r["id"]], r["role"], r["labels"] or "") for r in self.rows]


def allocate_codes(project: Project, key: dict, seed: int | None = None) -> CodeAllocation:
    """Give everyone without a code one by the configured scheme, inside the caller's unit of work.

    The seed is the one given, else the key's, else a new one; the caller writes the returned key."""
    scheme = scheme_from_settings(project.settings.values, str(project.root / PROJECT_FILE))
    store = project.store
    if seed is None:
        seed = key.get("seed", secrets.randbelow(2**31))
    rows = store.people_for_codes()
    people = [Person(r["id"], r["role"], r["attributes"], r["code"], tuple(r["document_sites"]), r["name"] or r["labels"] or f"person {r['id']}")
              for r in rows]
    codes = allocate(people, scheme, seed)
    store.set_codes(codes, set(scheme.groups.values()))
    # Earlier seeds stay on record: they drew the codes people already have.
    seeds = [*key.get("earlier_seeds", []), *([key["seed"]] if key.get("seed") not in (None, seed) else [])]
    key = {**key, "seed": seed, "earlier_seeds": seeds, "codes": {str(person): code for person, code in codes.items()}}
    return CodeAllocation(seed, key, rows, people, codes, scheme)


def assign_codes(project: Project, key_path: Path | None, seed: int | None = None,
                 passphrase: str | None = None) -> tuple[int, list[Assignment], list[str]]:
    """Give everyone a speaker code by the configured scheme; the seed goes to the key, never the project.

    Returns the seed used, the assignments, and the codes that identify one person through role and site.
    People who already have a code keep it. With a passphrase the key is (or stays) encrypted.
    """
    path = locate(key_path, project.settings["key"], project.root)
    store = project.store
    key = read_key(path, store.project_id(), passphrase)
    with store.unit_of_work():
        allocation = allocate_codes(project, key, seed)
        # Last inside the transaction: a key that cannot be written leaves the project unchanged.
        write_key(path, allocation.key, passphrase)
    return allocation.seed, allocation.assignments(), identifying(allocation.people, allocation.codes)


@dataclass(frozen=True, slots=True)
class Identity:
    code: str
    person: int
    name: str | None
    labels: str
    attributes: dict


def identify(project: Project, code: str, key_path: Path | None, passphrase: str | None = None) -> list[Identity]:
    """Who has this code, by the key (which must be this project's): for one question, without reversing anything.

    Names come from the roster, or from the key once anonymising has moved the roster there."""
    path = locate(key_path, project.settings["key"], project.root)
    if not path.exists():
        raise UsageError(f"{path}: no such key; check the path")
    key = read_key(path, project.store.project_id(), passphrase)
    people = {int(person) for person, held in key.get("codes", {}).items() if held == code}
    if not people:
        raise UsageError(f"the key gives no one the code {code!r}")
    roster = key.get("roster", {})
    originals = key.get("people", {})
    return [Identity(code, r["id"], r["name"] or roster.get(str(r["id"]), {}).get("name"),
                     _original_labels(project.store, r["id"], key.get("documents", {})) or r["labels"] or "",
                     originals.get(str(r["id"]), r["attributes"]))
            for r in project.store.people_for_codes() if r["id"] in people]


def _original_labels(store, person_id: int, documents: dict) -> str:
    """`p5_interview.txt:Dan`: a person's labels as imported, from the key's record of anonymised
    documents (their speakers in the order the store keeps them); "" before anonymising."""
    found = []
    for speaker in store.speakers(person_id=person_id):
        entry = documents.get(str(speaker["document_id"]))
        if entry is None:
            continue
        order = [row["id"] for row in store.speaker_rows(speaker["document_id"])]
        labels = entry.get("speakers", [])
        position = order.index(speaker["id"])
        found.append(f"{entry['name']}:{labels[position]['label'] if position < len(labels) else speaker['label']}")
    return ", ".join(found)
