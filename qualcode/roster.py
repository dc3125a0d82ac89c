"""The roster: who the people are, and which speaker labels are theirs.

A roster sheet (CSV/XLSX) has a `name` column and optionally `aliases`, `role`, `site`, `wave` and
`group` (aliases, sites and waves `;`-separated), plus any other columns as attributes. Importing it
adds or updates people and links every speaker label that is a person's name or alias to that person.
Roster names are identifying: anonymisation moves them into the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputFileError, UsageError
from .ingest.tables import read_table
from .models import INTERVIEWER
from .project import Project
from .script import normalise_label

NAME = "name"
LISTS = {"aliases", "site", "wave"}  # cells holding several values, separated by ";"


@dataclass(frozen=True, slots=True)
class RosterEntry:
    line: int
    name: str
    aliases: tuple[str, ...]
    attributes: dict = field(hash=False)


@dataclass(slots=True)
class RosterReport:
    added: int = 0
    updated: int = 0
    linked: list[str] = field(default_factory=list)  # labels newly given to a roster person
    ambiguous: list[str] = field(default_factory=list)


def read_roster(path: Path) -> list[RosterEntry]:
    table = read_table(path)
    name_column = table.column(path, NAME, "the roster (it needs a 'name' column)")
    entries: list[RosterEntry] = []
    seen: dict[tuple, int] = {}
    for line, cells in table.rows:
        name = " ".join(cells[name_column].split())
        if not name:
            raise InputFileError(path, "empty name", line=line, hint="give every person a name, or delete the row")
        attributes: dict = {}
        for header, cell in zip(table.header, cells):
            column = header.casefold()
            if column == NAME or not cell.strip():
                continue
            values = [v.strip() for v in cell.split(";") if v.strip()]
            attributes[column if column in LISTS | {"role", "group"} else header] = values if column in LISTS else cell.strip()
        aliases = tuple(attributes.pop("aliases", []))
        identity = (normalise_label(name), json.dumps(attributes, sort_keys=True))
        if identity in seen:
            raise InputFileError(path, f"{name!r} is listed twice with nothing to tell the two apart (see line {seen[identity]})",
                                 line=line, hint="add a distinguishing column (site, role) or delete the repeat")
        seen[identity] = line
        entries.append(RosterEntry(line, name, aliases, attributes))
    return entries


def import_roster(project: Project, path: Path) -> RosterReport:
    """Add or update roster people and link their labels, in one transaction."""
    entries = read_roster(path)
    store = project.store
    existing: dict[str, list[dict]] = {}
    for row in store.roster_entries():
        existing.setdefault(normalise_label(row["name"]), []).append(row)
    report = RosterReport()
    with store.unit_of_work():
        people = [(entry, _save(store, entry, existing, report)) for entry in entries]
        link_labels(store, report)
        for entry, person in people:
            if str(entry.attributes.get("role", "")).casefold() == INTERVIEWER:
                store.set_person_role(person, INTERVIEWER, entry.name)
        store.drop_unspoken_people()
    return report


def link_labels(store, report: RosterReport) -> None:
    """Give every label that is a roster name or alias to that person (inside the caller's unit of work).
    Labels someone linked into one person (`Mags` with `Margaret Hale`) go to the roster person together."""
    on_roster = {row["person_id"] for row in store.roster_entries()}
    moved: set[int] = set()  # labels already given to a roster person with the rest of theirs
    for speaker in store.speakers():
        owners = store.roster_people_named(speaker["label"], store.document_site(speaker["document_id"]))
        where = f"{speaker['document']}:{speaker['label']}"
        if len(owners) > 1:
            report.ambiguous.append(where)
        elif owners and speaker["id"] not in moved:
            together = [speaker] if speaker["person_id"] in on_roster else store.speakers(person_id=speaker["person_id"])
            for label in together:
                if store.move_speaker(label, owners[0]):
                    report.linked.append(f"{label['document']}:{label['label']}")
                moved.add(label["id"])
            if speaker["role"] == INTERVIEWER:
                store.set_person_role(owners[0], INTERVIEWER, where)


def _save(store, entry: RosterEntry, existing: dict[str, list[dict]], report: RosterReport) -> int:
    """The person this row is: the one on the roster already with this name (and site, when two share it)."""
    known = existing.get(normalise_label(entry.name), [])
    match = next((row for row in known if row["attributes"].get("site") == entry.attributes.get("site")), known[0] if known else None)
    if match is not None:
        known.remove(match)
        report.updated += 1
    else:
        report.added += 1
    return store.save_roster_entry(match["person_id"] if match else None, entry.name, list(entry.aliases), entry.attributes)


def remove(project: Project, name: str) -> int:
    """Take someone off the roster (added by mistake); their labels stay as one unnamed person."""
    store = project.store
    found = [r for r in store.roster_entries() if normalise_label(r["name"]) == normalise_label(name)]
    if not found:
        raise UsageError(f"no one called {name!r} on the roster; `qualcode roster` lists it (after anonymising, it is in the key)")
    if len(found) > 1:
        raise UsageError(f"{len(found)} people called {name!r} are on the roster; correct the roster sheet and import it again")
    with store.unit_of_work():
        store.remove_roster_entry(found[0]["person_id"])
    return found[0]["person_id"]


def roster(project: Project) -> list[dict]:
    return project.store.roster_entries()
