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

from .errors import InputFileError
from .ingest.tables import read_table
from .models import INTERVIEWER
from .project import Project
from .speakers import interviewer_regex

NAME = "name"
LISTS = {"aliases", "site", "wave"}  # cells holding several values, separated by ";"


@dataclass(frozen=True, slots=True)
class RosterEntry:
    line: int
    name: str
    aliases: tuple[str, ...]
    attributes: dict = field(hash=False)

    @property
    def names(self) -> set[str]:
        return {_key(self.name), *map(_key, self.aliases)}


@dataclass(slots=True)
class RosterReport:
    added: int = 0
    updated: int = 0
    linked: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


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
        identity = (_key(name), json.dumps(attributes, sort_keys=True))
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
    interviewers = interviewer_regex(project.settings.interviewer_labels)
    existing = {}
    for row in store.roster_entries():
        existing.setdefault(_key(row["name"]), []).append(row["person_id"])
    report = RosterReport()
    with store.unit_of_work():
        people: list[tuple[RosterEntry, int]] = []
        for entry in entries:
            known = existing.get(_key(entry.name), [])
            person = known.pop(0) if known else None
            report.updated += person is not None
            report.added += person is None
            people.append((entry, store.save_roster_entry(person, entry.name, list(entry.aliases), entry.attributes, False)))
        for speaker in store.labels_by_document():
            owners = [(entry, person) for entry, person in people if _key(speaker["label"]) in entry.names]
            where = f"{speaker['document']}:{speaker['label']}"
            if len(owners) > 1:
                report.ambiguous.append(where)
            elif owners:
                entry, person = owners[0]
                store.move_speaker(speaker["id"], person)
                if interviewers.fullmatch(str(entry.attributes.get("role", ""))) or speaker["role"] == INTERVIEWER:
                    store.set_person_role(person, INTERVIEWER, where)
                report.linked.append(where)
        store.drop_unspoken_people()
    return report


def roster(project: Project) -> list[dict]:
    return project.store.roster_entries()
