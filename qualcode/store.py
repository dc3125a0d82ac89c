"""All SQL lives here: the project database, its migrations, and one transaction per unit of work.

Other modules ask for what they need through the `Store` methods and get plain values or
dataclasses from `models.py` back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from .errors import PartialFailure, ProjectError
from .models import INTERVIEWER, ORPHANED, PARTICIPANT, DocumentSummary, Placement, LogEntry, ParsedSource, Script, SpeakerSummary, TurnView
from .script import LineIndex, count_words, normalise_label, quote_in

# Append-only: a released migration is never edited; a change is a new entry.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL,
            source_path TEXT NOT NULL,
            relpath TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            encoding TEXT,
            text TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            replaced_at TEXT
        )""",
        """CREATE TABLE document_attributes (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (document_id, key)
        )""",
        """CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            role TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            UNIQUE (document_id, label)
        )""",
        """CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
            label_start INTEGER,
            label_end INTEGER,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            time_start REAL,
            time_end REAL,
            question TEXT,
            n_words INTEGER NOT NULL,
            UNIQUE (document_id, seq)
        )""",
        "CREATE INDEX turns_speaker ON turns(speaker_id)",
        """CREATE TABLE commands (
            id INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            coder TEXT NOT NULL,
            command TEXT NOT NULL,
            version TEXT NOT NULL
        )""",
        """CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            command_id INTEGER NOT NULL REFERENCES commands(id),
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )""",
    ],
    [
        # People, not labels: a speaker label in a document belongs to a person; one person may speak
        # under several labels and in several documents. Roles move from labels to people.
        """CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            role TEXT NOT NULL,
            is_group INTEGER NOT NULL DEFAULT 0,
            attributes TEXT NOT NULL DEFAULT '{}',
            code TEXT
        )""",
        "INSERT INTO people (id, role) SELECT id, role FROM speakers",
        "ALTER TABLE speakers ADD COLUMN person_id INTEGER REFERENCES people(id)",
        "UPDATE speakers SET person_id = id",
        # Labels equal but for case and spaces are one person within a document.
        """UPDATE speakers SET person_id = (
            SELECT MIN(other.id) FROM speakers other WHERE other.document_id = speakers.document_id
            AND lower(replace(other.label, ' ', '')) = lower(replace(speakers.label, ' ', ''))
        )""",
        # Identical interviewer labels are one interviewer across the corpus.
        """UPDATE speakers SET person_id = (
            SELECT MIN(other.id) FROM speakers other WHERE other.role = 'interviewer'
            AND lower(replace(other.label, ' ', '')) = lower(replace(speakers.label, ' ', ''))
        ) WHERE role = 'interviewer'""",
        "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM speakers)",
        "ALTER TABLE speakers DROP COLUMN role",
        "CREATE INDEX speakers_person ON speakers(person_id)",
        # The label as compared (case, spaces and a trailing colon ignored), for finding a label's person fast.
        "ALTER TABLE speakers ADD COLUMN label_key TEXT",
        "UPDATE speakers SET label_key = rtrim(lower(replace(label, ' ', '')), ':')",
        "CREATE INDEX speakers_label_key ON speakers(label_key)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "INSERT INTO meta (key, value) VALUES ('project_id', lower(hex(randomblob(16))))",
        # The roster: who people are. Identifying, so anonymisation moves it into the key.
        """CREATE TABLE roster (
            person_id INTEGER PRIMARY KEY REFERENCES people(id),
            name TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]'
        )""",
    ],
    [
        # Anonymisation: which documents are anonymised, and every redaction with what found it.
        # The original text of a redaction is never here; it is in the key, under the redaction's id.
        "ALTER TABLE documents ADD COLUMN anonymised_at TEXT",
        """CREATE TABLE redactions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            category TEXT NOT NULL,
            detector TEXT NOT NULL,
            replacement TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            coder TEXT NOT NULL,
            created_at TEXT NOT NULL,
            decided_by TEXT,
            decided_at TEXT
        )""",
        "CREATE INDEX redactions_document ON redactions(document_id, start)",
        # Hits the leak check accepts on purpose (a locality named in attributions), with who and why.
        """CREATE TABLE allowlist (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            scope TEXT NOT NULL DEFAULT '',
            coder TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (text, scope)
        )""",
    ],
    [
        # Codebook versions codings were made under, so old codings keep their meaning.
        """CREATE TABLE codebook_versions (
            version TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            content TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        # A coding: a span of a document's stored text, a code, who and how; the quoted text and some
        # context travel with it, so it can be placed again when the text changes.
        """CREATE TABLE codings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code TEXT NOT NULL,
            coder TEXT NOT NULL,
            status TEXT NOT NULL,
            origin TEXT NOT NULL,
            codebook_version TEXT REFERENCES codebook_versions(version),
            created_at TEXT NOT NULL,
            decided_by TEXT,
            decided_at TEXT,
            disconfirming INTEGER NOT NULL DEFAULT 0,
            action TEXT,
            quote TEXT NOT NULL,
            before TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '',
            placement TEXT NOT NULL DEFAULT 'exact'
        )""",
        "CREATE INDEX codings_document ON codings(document_id, start)",
        "CREATE INDEX codings_code ON codings(code)",
    ],
    [
        # Memos on the project, a document, a code or a coding, and dated research-diary entries.
        """CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            coder TEXT NOT NULL,
            created_at TEXT NOT NULL,
            dated TEXT
        )""",
    ],
    [
        # The framework matrix's summaries, typed into its workbook by the team and read back.
        """CREATE TABLE framework_cells (
            case_kind TEXT NOT NULL,
            case_name TEXT NOT NULL,
            code TEXT NOT NULL,
            summary TEXT NOT NULL,
            source TEXT NOT NULL,
            coder TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (case_kind, case_name, code)
        )""",
    ],
    [
        # Quotes chosen for tables and banks: which coding, for which code, and the author's decision.
        # `text` is the author's edited wording (cuts as [...], [insertions]), checked against the
        # transcript whenever it is used; NULL means the coding's own words.
        """CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
            text TEXT,
            status TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            coder TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (code, coding_id)
        )""",
    ],
    [
        # Samples of documents drawn for a second coder, and agreement rounds (who, on what, with what result).
        """CREATE TABLE samples (
            id INTEGER PRIMARY KEY,
            fraction REAL NOT NULL,
            seed INTEGER NOT NULL,
            stratify TEXT NOT NULL DEFAULT '',
            documents TEXT NOT NULL,
            coder TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            sample_id INTEGER REFERENCES samples(id),
            coders TEXT NOT NULL,
            unit TEXT NOT NULL,
            codebook_version TEXT NOT NULL,
            results TEXT NOT NULL,
            coder TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
    ],
    [
        # A coding starred while coding: a candidate quote the coder marked (ranked after the author's choices).
        "ALTER TABLE codings ADD COLUMN starred INTEGER NOT NULL DEFAULT 0",
    ],
    [
        # A sample of survey respondents (people) rather than of documents: NULL for a document sample.
        "ALTER TABLE samples ADD COLUMN respondents TEXT",
    ],
    [
        # Readers' marks on themes (ratified or queried), one per theme and reviewer.
        """CREATE TABLE ratifications (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ratified', 'queried')),
            comment TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,
            coder TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
    ],
]
LATEST_VERSION = len(MIGRATIONS)
# A person's labels as `document:label, …` (in queries whose person table is `p`).
_LABELS_OF_PERSON = ("(SELECT group_concat(d.name || ':' || s.label, ', ') FROM speakers s"
                     " JOIN documents d ON d.id = s.document_id WHERE s.person_id = p.id)")


@dataclass(frozen=True, slots=True)
class Invocation:
    """Who ran which command: the provenance of every change, written to the log."""

    coder: str
    command: str
    version: str


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: Path, invocation: Invocation):
        self.path = path
        self.invocation = invocation
        self._command_id: int | None = None
        self._roster_index: dict[str, list[tuple[int, list[str]]]] | None = None  # normalised name -> roster people
        try:
            self.conn = sqlite3.connect(path)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # Deleted and overwritten text is zeroed on disk, not left in free pages (withdrawal, anonymisation).
            self.conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{path}: not a qualcode database ({error})") from None
        self._migrate()

    @cached_property
    def db(self):
        """sqlite-utils over the same connection, for writes; imported on first write (it is slow to import)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        cursor = self.conn.execute(sql, list(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def _value(self, sql: str, params: Iterable = ()):
        row = self.conn.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    # -- schema ---------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self._value("PRAGMA user_version")

    def _migrate(self) -> None:
        version = self.schema_version
        if version == 0 and self._value("SELECT COUNT(*) FROM sqlite_master"):
            raise ProjectError(f"{self.path}: a SQLite database, but not a qualcode one; restore qualcode.db from a backup")
        if version > LATEST_VERSION:
            raise ProjectError(f"{self.path}: made by a newer qualcode (schema {version}); upgrade qualcode to open it")
        if version == LATEST_VERSION:
            return
        if version > 0:
            self._backup(f".v{version}.bak")
        for number in range(version, LATEST_VERSION):
            with self.db.atomic():
                for statement in MIGRATIONS[number]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    def _backup(self, suffix: str) -> None:
        target = self.path.with_name(self.path.name + suffix)
        with sqlite3.connect(target) as copy:
            self.conn.backup(copy)
        copy.close()

    # -- units of work --------------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """One transaction: everything inside commits together or not at all, with its log lines."""
        command_id = self._command_id
        try:
            with self.db.atomic():
                if self._command_id is None:
                    inv = self.invocation
                    self._command_id = self.db.table("commands").insert(
                        {"time": now(), "coder": inv.coder, "command": inv.command, "version": inv.version}
                    ).last_pk
                yield
                if self._command_id != command_id and not self._value("SELECT 1 FROM changes WHERE command_id = ?", [self._command_id]):
                    # A command that changed nothing leaves no line in the log.
                    self.db.execute("DELETE FROM commands WHERE id = ?", [self._command_id])
                    self._command_id = command_id
        except BaseException:
            self._command_id = command_id  # the command row went with the rollback
            raise

    def _log(self, action: str, target: str, detail: str = "") -> None:
        self.db.table("changes").insert({"command_id": self._command_id, "action": action, "target": target, "detail": detail})

    # -- documents ------------------------------------------------------------------------------

    def existing_document(self, source_path: str, name: str) -> dict | None:
        """The document imported from this file, else the one with this name."""
        rows = self._rows("SELECT id, name, sha256, source_path FROM documents WHERE source_path = ? OR name = ?"
                          " ORDER BY source_path = ? DESC LIMIT 1", [source_path, name, source_path])
        return rows[0] if rows else None

    def has_anonymised_documents(self) -> bool:
        return bool(self._value("SELECT 1 FROM documents WHERE anonymised_at IS NOT NULL LIMIT 1"))

    def anonymised_document_with_sha256(self, digest: str) -> str | None:
        return self._value("SELECT name FROM documents WHERE sha256 = ? AND anonymised_at IS NOT NULL LIMIT 1", [digest])

    def document_with_sha256(self, digest: str) -> str | None:
        return self._value("SELECT name FROM documents WHERE sha256 = ? LIMIT 1", [digest])

    def document_named(self, name: str) -> int | None:
        return self._value("SELECT id FROM documents WHERE name = ?", [name])

    def document_refs(self) -> list[dict]:
        return self._rows("SELECT id, name FROM documents ORDER BY name")

    def save_document(self, record: dict, script: Script, parsed: ParsedSource, roles: dict[str, str], replace_id: int | None) -> int:
        """Insert a document (or replace one's text, turns and speakers, keeping id, attributes and people)."""
        record = {**record, "text": script.text, "encoding": parsed.encoding}
        people: dict[str, int] = {}
        if replace_id is None:
            document_id = self.db.table("documents").insert({**record, "imported_at": now()}).last_pk
            self._log("import", record["name"], f"{parsed.format}, {len(script.turns)} turns")
        else:
            document_id = replace_id
            # Labels that are still there keep their person, and so the role and links set by hand.
            people = {normalise_label(r["label"]): r["person_id"]
                      for r in self._rows("SELECT label, person_id FROM speakers WHERE document_id = ?", [document_id])}
            self.db.execute("DELETE FROM turns WHERE document_id = ?", [document_id])
            self.db.execute("DELETE FROM speakers WHERE document_id = ?", [document_id])
            # New text from the source: earlier redactions no longer apply; anonymising again redoes them.
            self.db.execute("DELETE FROM redactions WHERE document_id = ?", [document_id])
            self.db.table("documents").update(document_id, {**record, "replaced_at": now(), "anonymised_at": None})
            self._log("replace", record["name"], f"{parsed.format}, {len(script.turns)} turns")
        speaker_ids = self._insert_speakers(document_id, script, parsed, roles, people)
        self.drop_unspoken_people()
        self.conn.executemany(
            'INSERT INTO turns (document_id, seq, speaker_id, label_start, label_end, start, "end", time_start, time_end, question, n_words)'
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (document_id, t.seq, speaker_ids.get(t.speaker_label), t.label_start, t.label_end, t.start, t.end,
                 t.time_start, t.time_end, t.question, count_words(script.content(t)))
                for t in script.turns
            ],
        )
        return document_id

    def _insert_speakers(self, document_id: int, script: Script, parsed: ParsedSource, roles: dict[str, str],
                         people: dict[str, int]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for turn in script.turns:
            label = turn.speaker_label
            if label is not None and label not in ids:
                person = people.get(normalise_label(label)) or self._person_for(document_id, label, roles[label])
                attributes = json.dumps(parsed.speaker_attributes.get(label, {}), ensure_ascii=False)
                ids[label] = self.db.table("speakers").insert(
                    {"document_id": document_id, "label": label, "label_key": normalise_label(label), "person_id": person,
                     "attributes": attributes}
                ).last_pk
        return ids

    def _person_for(self, document_id: int, label: str, role: str) -> int:
        """Within a document a label is one person (`Interviewer 1` = `Interviewer1`); a label that is a roster
        name or alias is that person; across documents an interviewer's label is one interviewer; anyone
        else is a new person until linked."""
        key = normalise_label(label)
        interviewer = role == INTERVIEWER
        found = self._value(
            "SELECT s.person_id FROM speakers s JOIN people p ON p.id = s.person_id WHERE s.label_key = ?"
            " AND (s.document_id = ? OR (? AND p.role = 'interviewer')) ORDER BY s.document_id = ? DESC LIMIT 1",
            [key, document_id, interviewer, document_id],
        )
        if found is not None:
            return found
        on_roster = self.roster_people_named(label, self.document_site(document_id))
        if len(on_roster) == 1:
            return on_roster[0]
        return self.db.table("people").insert({"role": role}).last_pk

    def drop_unspoken_people(self) -> None:
        """People exist while they speak somewhere, are on the roster, or have a code (the key may name them)."""
        self.db.execute("DELETE FROM people WHERE id NOT IN (SELECT person_id FROM speakers WHERE person_id IS NOT NULL)"
                        " AND id NOT IN (SELECT person_id FROM roster) AND code IS NULL")

    def set_document_attributes(self, document_id: int, name: str, attributes: dict[str, str]) -> None:
        """Set (or change) attributes; values already set are left alone and not logged.

        Keys match whatever case they were first written in (`Site` sets `site`)."""
        current = {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM document_attributes WHERE document_id = ?", [document_id])}
        spelled = {key.casefold(): key for key in current}
        for key, value in attributes.items():
            key = spelled.setdefault(key.casefold(), key)
            if current.get(key) == value:
                continue
            self.db.execute(
                "INSERT INTO document_attributes (document_id, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT (document_id, key) DO UPDATE SET value = excluded.value",
                [document_id, key, value],
            )
            self._log("set-attribute", name, f"{key}={value}")

    def document_summaries(self) -> list[DocumentSummary]:
        counts = {
            row["document_id"]: row
            for row in self._rows(
                "SELECT document_id, COUNT(*) AS n_turns, COUNT(DISTINCT speaker_id) AS n_speakers,"
                " SUM(n_words) AS n_words FROM turns GROUP BY document_id"
            )
        }
        attributes = self.attributes_by_document()
        summaries = []
        for row in self._rows("SELECT id, name, format FROM documents ORDER BY name"):
            count = counts.get(row["id"], {})
            n_turns = count.get("n_turns", 0)
            summaries.append(DocumentSummary(
                id=row["id"], name=row["name"], format=row["format"], n_turns=n_turns,
                # A document with no labels at all is one unnamed speaker's.
                n_speakers=count.get("n_speakers", 0) or (1 if n_turns else 0),
                n_words=count.get("n_words") or 0, attributes=attributes.get(row["id"], {}),
            ))
        return summaries

    def attributes_by_document(self) -> dict[int, dict[str, str]]:
        result: dict[int, dict[str, str]] = {}
        for row in self._rows("SELECT document_id, key, value FROM document_attributes ORDER BY key"):
            result.setdefault(row["document_id"], {})[row["key"]] = row["value"]
        return result

    def people_with_code(self, code: str) -> list[int]:
        return [r["id"] for r in self._rows("SELECT id FROM people WHERE code = ?", [code])]

    def spoken_turns(self, person_id: int) -> list[dict]:
        """Documents, and their turns with speaker person, for every document this person speaks in."""
        return self._rows(
            "SELECT t.document_id, d.name AS document, t.seq, t.label_start, t.start, t.\"end\", t.time_start, t.time_end,"
            " t.question, s.label, s.person_id FROM turns t JOIN documents d ON d.id = t.document_id"
            " LEFT JOIN speakers s ON s.id = t.speaker_id"
            " WHERE t.document_id IN (SELECT document_id FROM speakers WHERE person_id = ?) ORDER BY t.document_id, t.seq",
            [person_id],
        )

    def clear_speaker_attributes(self, person_id: int) -> None:
        self.db.execute("UPDATE speakers SET attributes = '{}' WHERE person_id = ?", [person_id])

    def flush_to_disk(self) -> None:
        """Fold the write-ahead log into the database and empty it, so no old page lingers beside it.

        Another connection reading the project blocks this; the change is saved, but its old text is then
        still on disk, which the person must hear about."""
        busy, pages, done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy or pages != done:
            raise PartialFailure(f"{self.path}: the change is saved, but another program has the project open, so the "
                                 f"replaced text is still in {self.path.name}-wal; close it and run this command again")

    def document_text(self, document_id: int) -> str:
        return self._value("SELECT text FROM documents WHERE id = ?", [document_id])

    def turn_views(self, document_id: int) -> list[TurnView]:
        text = self.document_text(document_id)
        rows = self._rows(
            'SELECT t.seq, s.label, p.role, t.label_start, t.start, t."end", t.time_start, t.time_end, t.question'
            " FROM turns t LEFT JOIN speakers s ON s.id = t.speaker_id LEFT JOIN people p ON p.id = s.person_id"
            " WHERE t.document_id = ? ORDER BY t.seq",
            [document_id],
        )
        lines = LineIndex(text)
        return [
            TurnView(row["seq"], row["label"], row["role"], row["start"], row["end"],
                     lines.line(row["label_start"] if row["label_start"] is not None else row["start"]),
                     row["time_start"], row["time_end"], row["question"], text[row["start"]:row["end"]])
            for row in rows
        ]

    # -- speakers -------------------------------------------------------------------------------

    def speaker_summaries(self) -> list[SpeakerSummary]:
        rows = self._rows(
            "SELECT d.name AS document, s.label, s.person_id, p.role, p.code, s.attributes, COUNT(t.id) AS n_turns,"
            " COALESCE(SUM(t.n_words), 0) AS n_words FROM speakers s JOIN documents d ON d.id = s.document_id"
            " JOIN people p ON p.id = s.person_id LEFT JOIN turns t ON t.speaker_id = s.id GROUP BY s.id ORDER BY d.name, s.id"
        )
        return [SpeakerSummary(r["document"], r["label"], r["role"], r["n_turns"], r["n_words"], json.loads(r["attributes"]),
                               r["person_id"], r["code"]) for r in rows]

    def speakers(self, label: str | None = None, document_id: int | None = None, person_id: int | None = None) -> list[dict]:
        """Speaker labels with their person, role and document; all of them, or those with a label (in a
        document), or a person's."""
        sql = ("SELECT s.id, s.label, s.person_id, s.document_id, p.role, d.name AS document FROM speakers s"
               " JOIN documents d ON d.id = s.document_id JOIN people p ON p.id = s.person_id WHERE 1")
        params: list = []
        for column, value in (("s.label", label), ("s.document_id", document_id), ("s.person_id", person_id)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return self._rows(sql + " ORDER BY d.name, s.id", params)

    def set_roles(self, speakers: Iterable[dict], role: str) -> None:
        """Set the role of the people these labels belong to."""
        for person in {s["person_id"]: s for s in speakers}.values():
            self.set_person_role(person["person_id"], role, f"{person['document']}: {person['label']}")

    def set_person_role(self, person_id: int, role: str, target: str) -> None:
        current = self._value("SELECT role FROM people WHERE id = ?", [person_id])
        if current != role:
            self.db.execute("UPDATE people SET role = ? WHERE id = ?", [role, person_id])
            self._log("set-role", target, f"{current} -> {role}")

    def link_people(self, speakers: list[dict], keep: int) -> int:
        """Make every label here the person `keep`. Returns how many people were merged into it."""
        merged = {s["person_id"] for s in speakers} - {keep}
        for person in merged:
            self.db.execute("UPDATE speakers SET person_id = ? WHERE person_id = ?", [keep, person])
            self._carry_code(person, keep)
        self.drop_unspoken_people()
        if merged:
            self._log("link", ", ".join(f"{s['document']}: {s['label']}" for s in speakers), f"person {keep}")
        return len(merged)

    def roster_entries(self) -> list[dict]:
        rows = self._rows(
            f"SELECT r.person_id, r.name, r.aliases, p.attributes, p.is_group, p.code, {_LABELS_OF_PERSON} AS labels"
            " FROM roster r JOIN people p ON p.id = r.person_id ORDER BY r.name"
        )
        return [{**r, "aliases": json.loads(r["aliases"]), "attributes": json.loads(r["attributes"]), "labels": r["labels"] or ""}
                for r in rows]

    def save_roster_entry(self, person_id: int | None, name: str, aliases: list[str], attributes: dict) -> int:
        """Add a person to the roster, or update one already on it (logged only when something changed)."""
        attributes_json = json.dumps(attributes, ensure_ascii=False)
        aliases_json = json.dumps(aliases, ensure_ascii=False)
        self._roster_index = None
        if person_id is None:
            person_id = self.db.table("people").insert({"role": PARTICIPANT, "attributes": attributes_json}).last_pk
            self.db.table("roster").insert({"person_id": person_id, "name": name, "aliases": aliases_json})
            self._log("roster-add", f"person {person_id}")
            return person_id
        current = self._rows("SELECT r.name, r.aliases, p.attributes FROM roster r JOIN people p ON p.id = r.person_id"
                             " WHERE r.person_id = ?", [person_id])[0]
        if (current["name"], current["aliases"], current["attributes"]) != (name, aliases_json, attributes_json):
            self.db.execute("UPDATE people SET attributes = ? WHERE id = ?", [attributes_json, person_id])
            self.db.execute("UPDATE roster SET name = ?, aliases = ? WHERE person_id = ?", [name, aliases_json, person_id])
            self._log("roster-update", f"person {person_id}")
        return person_id

    def remove_roster_entry(self, person_id: int) -> None:
        """Take a person off the roster: their name and roster attributes go; so do they, unless they speak."""
        self._roster_index = None
        self.db.execute("DELETE FROM roster WHERE person_id = ?", [person_id])
        self.db.execute("UPDATE people SET attributes = '{}' WHERE id = ?", [person_id])
        if not self._value("SELECT 1 FROM speakers WHERE person_id = ?", [person_id]):
            self.db.execute("DELETE FROM people WHERE id = ?", [person_id])
        self._log("roster-remove", f"person {person_id}")

    def new_person_for(self, speaker: dict) -> int:
        """Give a label a person of its own (undoing a link), with the same role."""
        person_id = self.db.table("people").insert({"role": speaker["role"]}).last_pk
        self.db.execute("UPDATE speakers SET person_id = ? WHERE id = ?", [person_id, speaker["id"]])
        self._log("unlink", f"{speaker['document']}: {speaker['label']}", f"person {speaker['person_id']} -> {person_id}")
        return person_id

    def move_speaker(self, speaker: dict, person_id: int) -> bool:
        """Give a label to another person; False when it was already theirs."""
        if speaker["person_id"] == person_id:
            return False
        self.db.execute("UPDATE speakers SET person_id = ? WHERE id = ?", [person_id, speaker["id"]])
        self._carry_code(speaker["person_id"], person_id)
        self._log("link", f"{speaker['document']}: {speaker['label']}", f"person {person_id}")
        return True

    def _carry_code(self, left: int, person_id: int) -> None:
        """A speaker code goes with the labels it was given for: when a person's last label moves to
        someone without a code, the code moves too (codes, once given, never change)."""
        if self._value("SELECT 1 FROM speakers WHERE person_id = ?", [left]):
            return
        self.db.execute("UPDATE people SET code = (SELECT code FROM people WHERE id = ?), is_group = (SELECT is_group FROM people"
                        " WHERE id = ?) WHERE id = ? AND code IS NULL AND (SELECT code FROM people WHERE id = ?) IS NOT NULL",
                        [left, left, person_id, left])
        self.db.execute("UPDATE people SET code = NULL WHERE id = ? AND code = (SELECT code FROM people WHERE id = ?)",
                        [left, person_id])

    def roster_people_named(self, label: str, site: str | None) -> list[int]:
        """Roster people whose name or an alias is this label (and, when both are known, whose site is this one)."""
        if self._roster_index is None:
            self._roster_index = {}
            for row in self._rows("SELECT r.person_id, r.name, r.aliases, p.attributes FROM roster r JOIN people p ON p.id = r.person_id"):
                sites = [s.casefold() for s in json.loads(row["attributes"]).get("site", [])]
                for name in {normalise_label(row["name"]), *(normalise_label(a) for a in json.loads(row["aliases"]))}:
                    self._roster_index.setdefault(name, []).append((row["person_id"], sites))
        return [person for person, sites in self._roster_index.get(normalise_label(label), [])
                if not site or not sites or site.casefold() in sites]

    def document_site(self, document_id: int) -> str | None:
        return self._value("SELECT value FROM document_attributes WHERE document_id = ? AND lower(key) = 'site'", [document_id])

    def key_state(self) -> str | None:
        """The token of the last anonymisation (or review) written to this copy of the project and its key."""
        return self._value("SELECT value FROM meta WHERE key = 'key_state'")

    def set_key_state(self, token: str) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES ('key_state', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        [token])

    def project_id(self) -> str:
        """The random id naming this project in its key, so a key is never applied to another project."""
        return self._value("SELECT value FROM meta WHERE key = 'project_id'")

    def people_for_codes(self) -> list[dict]:
        """Every person with kind, attributes, current code, labels and the sites of the documents they speak in."""
        rows = self._rows(
            f"SELECT p.id, p.role, p.attributes, p.code, r.name, {_LABELS_OF_PERSON} AS labels,"
            " (SELECT json_group_array(a.value) FROM speakers s JOIN document_attributes a ON a.document_id = s.document_id"
            "  WHERE s.person_id = p.id AND lower(a.key) = 'site') AS document_sites"
            " FROM people p LEFT JOIN roster r ON r.person_id = p.id ORDER BY p.id"
        )
        return [{**r, "attributes": json.loads(r["attributes"]), "document_sites": json.loads(r["document_sites"])} for r in rows]

    def people_kinds(self) -> list[dict]:
        """Every person's kind, attributes (as stored JSON: read only for the few who are named) and code:
        what a detector needs to word a replacement."""
        return self._rows("SELECT id, role, attributes, code FROM people ORDER BY id")

    def set_codes(self, codes: dict[int, str], group_codes: set[str]) -> None:
        """Give people their codes; members of a group code are flagged as a group."""
        for person_id, code in codes.items():
            current = self._value("SELECT code FROM people WHERE id = ?", [person_id])
            if current != code:
                self.db.execute("UPDATE people SET code = ?, is_group = ? WHERE id = ?", [code, int(code in group_codes), person_id])
                self._log("assign-code", f"person {person_id}", code)

    # -- anonymisation --------------------------------------------------------------------------

    def all_documents(self) -> list[dict]:
        return self._rows("SELECT id, name, source_path, relpath, text, anonymised_at FROM documents ORDER BY id")

    def document_attributes(self, document_id: int) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM document_attributes WHERE document_id = ? ORDER BY key",
                                                         [document_id])}

    def replace_document_attributes(self, document_id: int, attributes: dict[str, str]) -> None:
        self.db.execute("DELETE FROM document_attributes WHERE document_id = ?", [document_id])
        self.conn.executemany("INSERT INTO document_attributes (document_id, key, value) VALUES (?, ?, ?)",
                              [(document_id, k, v) for k, v in attributes.items()])

    def turn_rows(self, document_id: int) -> list[dict]:
        return self._rows(
            'SELECT t.seq, t.label_start, t.label_end, t.start, t."end", t.time_start, t.question, t.speaker_id, s.label, s.person_id,'
            " p.code AS person_code, p.role FROM turns t LEFT JOIN speakers s ON s.id = t.speaker_id"
            " LEFT JOIN people p ON p.id = s.person_id WHERE t.document_id = ? ORDER BY t.seq", [document_id])

    def speaker_rows(self, document_id: int) -> list[dict]:
        rows = self._rows("SELECT id, label, person_id, attributes FROM speakers WHERE document_id = ? ORDER BY id", [document_id])
        return [{**r, "attributes": json.loads(r["attributes"])} for r in rows]

    def replace_speakers(self, document_id: int, speakers: list[dict], speaker_of_turn: dict[int, int]) -> None:
        """New speaker rows for a document (`label`, `person_id`, `attributes`); `speaker_of_turn` maps a
        turn's number to the index of its speaker in `speakers`."""
        self.db.execute("UPDATE turns SET speaker_id = NULL WHERE document_id = ?", [document_id])
        self.db.execute("DELETE FROM speakers WHERE document_id = ?", [document_id])
        ids = [self.db.table("speakers").insert(
            {"document_id": document_id, "label": s["label"], "label_key": normalise_label(s["label"]), "person_id": s["person_id"],
             "attributes": json.dumps(s["attributes"], ensure_ascii=False)}).last_pk for s in speakers]
        self.conn.executemany("UPDATE turns SET speaker_id = ? WHERE document_id = ? AND seq = ?",
                              [(ids[index], document_id, seq) for seq, index in speaker_of_turn.items()])

    def set_speaker_attributes(self, attributes: dict[int, dict]) -> None:
        self.conn.executemany("UPDATE speakers SET attributes = ? WHERE id = ?",
                              [(json.dumps(a, ensure_ascii=False), speaker_id) for speaker_id, a in attributes.items()])

    def set_questions(self, document_id: int, questions: dict[int, str]) -> None:
        self.conn.executemany("UPDATE turns SET question = ? WHERE document_id = ? AND seq = ?",
                              [(q, document_id, seq) for seq, q in questions.items()])

    def set_document_identity(self, document_id: int, name: str, source_path: str, relpath: str, anonymised: bool) -> None:
        self.db.execute("UPDATE documents SET name = ?, source_path = ?, relpath = ?, anonymised_at = ? WHERE id = ?",
                        [name, source_path, relpath, now() if anonymised else None, document_id])

    def remap_document(self, document_id: int, text: str, mapping, edited: list[tuple[int, int]],
                       dropped: list[tuple[int, int]] = ()) -> None:
        """New text for a document after edits at the old spans `edited`: turns and every stored span follow
        through `mapping` (an `edits.OffsetMap`); a redaction the edits overlap is gone with its text, and
        so is a coding that lies inside a `dropped` span (withdrawn words). Codings keep their place and
        take the new text as their quote."""
        self.db.execute("UPDATE documents SET text = ? WHERE id = ?", [text, document_id])
        turns = self._rows('SELECT seq, label_start, label_end, start, "end" FROM turns WHERE document_id = ?', [document_id])
        self.conn.executemany(
            'UPDATE turns SET label_start = ?, label_end = ?, start = ?, "end" = ?, n_words = ? WHERE document_id = ? AND seq = ?',
            [(None if t["label_start"] is None else mapping(t["label_start"], "start"),
              None if t["label_end"] is None else mapping(t["label_end"], "end"),
              *(span := mapping.span(t["start"], t["end"])), count_words(text[span[0]:span[1]]), document_id, t["seq"]) for t in turns],
        )
        gone, moved = [], []
        for r in self._rows('SELECT id, start, "end" FROM redactions WHERE document_id = ?', [document_id]):
            if any(r["start"] < end and start < r["end"] for start, end in edited):
                gone.append((r["id"],))
            else:
                moved.append((*mapping.span(r["start"], r["end"]), r["id"]))
        self.conn.executemany("DELETE FROM redactions WHERE id = ?", gone)
        self.conn.executemany('UPDATE redactions SET start = ?, "end" = ? WHERE id = ?', moved)
        placed, withdrawn = [], []
        for r in self._rows('SELECT id, start, "end" FROM codings WHERE document_id = ? AND placement != ?', [document_id, ORPHANED]):
            if any(start <= r["start"] and r["end"] <= end for start, end in dropped):
                withdrawn.append((r["id"],))
                continue
            start, end = mapping.span(r["start"], r["end"])
            placed.append(Placement(r["id"], start, end, *quote_in(text, start, end), "exact"))
        self.conn.executemany("DELETE FROM codings WHERE id = ?", withdrawn)
        if withdrawn:
            self._log("withdraw-codings", str(document_id), f"{len(withdrawn)} coding(s)")
        self.place_codings(placed)

    def add_redactions(self, document_id: int, rows: list[dict]) -> list[int]:
        """Record redactions (`start`, `end`, `category`, `detector`, `replacement`, `status`, `reason`)."""
        coder, time = self.invocation.coder, now()
        insert = ('INSERT INTO redactions (document_id, start, "end", category, detector, replacement, status, reason, coder,'
                  " created_at, decided_by, decided_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        return [self.conn.execute(insert, [document_id, r["start"], r["end"], r["category"], r["detector"], r["replacement"],
                                           r["status"], r["reason"], coder, time, r.get("decided_by"),
                                           time if r.get("decided_by") else None]).lastrowid for r in rows]

    def redactions(self, document_id: int | None = None, status: str | None = None) -> list[dict]:
        sql = ('SELECT r.id, r.document_id, d.name AS document, r.start, r."end", r.category, r.detector, r.replacement, r.status,'
               " r.reason, r.coder, r.created_at, r.decided_by FROM redactions r JOIN documents d ON d.id = r.document_id WHERE 1")
        params: list = []
        for column, value in (("r.document_id", document_id), ("r.status", status)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return self._rows(sql + " ORDER BY d.name, r.start", params)

    def decide_redaction(self, redaction_id: int, status: str, reason: str) -> None:
        self.db.execute("UPDATE redactions SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                        [status, reason, self.invocation.coder, now(), redaction_id])

    def speakers_with_attributes(self) -> list[dict]:
        rows = self._rows("SELECT d.name AS document, s.label, s.attributes FROM speakers s JOIN documents d ON d.id = s.document_id"
                          " WHERE s.attributes != '{}' ORDER BY d.name, s.id")
        return [{**r, "attributes": json.loads(r["attributes"])} for r in rows]

    def allowlist(self) -> list[dict]:
        return self._rows("SELECT text, scope, coder, reason, created_at FROM allowlist ORDER BY text, scope")

    def allow(self, text: str, scope: str, reason: str) -> bool:
        """Record a hit the leak check should accept on purpose; False when it is already allowed."""
        if self._value("SELECT 1 FROM allowlist WHERE text = ? AND scope = ?", [text, scope]):
            return False
        self.db.table("allowlist").insert({"text": text, "scope": scope, "coder": self.invocation.coder, "reason": reason,
                                            "created_at": now()})
        self._log("allow", text, f"{scope or 'everywhere'}: {reason}")
        return True

    def disallow(self, text: str, scope: str) -> bool:
        if not self._value("SELECT 1 FROM allowlist WHERE text = ? AND scope = ?", [text, scope]):
            return False
        self.db.execute("DELETE FROM allowlist WHERE text = ? AND scope = ?", [text, scope])
        self._log("disallow", text, scope or "everywhere")
        return True

    def person_attributes(self) -> dict[int, dict]:
        return {r["id"]: json.loads(r["attributes"]) for r in self._rows("SELECT id, attributes FROM people")}

    def set_person_attributes(self, person_id: int, attributes: dict) -> None:
        self.db.execute("INSERT INTO people (id, role, attributes) VALUES (?, ?, ?)"
                        " ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes",
                        [person_id, PARTICIPANT, json.dumps(attributes, ensure_ascii=False)])

    def restore_roster(self, entries: dict[int, dict]) -> None:
        """Put roster names back (from the key) for the length of a unit of work, or for good on reversal."""
        self._roster_index = None
        self.conn.executemany("INSERT OR REPLACE INTO roster (person_id, name, aliases) VALUES (?, ?, ?)",
                              [(pid, e["name"], json.dumps(e["aliases"], ensure_ascii=False)) for pid, e in entries.items()])

    def clear_roster(self) -> None:
        self._roster_index = None
        self.db.execute("DELETE FROM roster")

    def merge_person(self, duplicate: int, person_id: int) -> None:
        """A person entered twice (a new roster after anonymising): their labels join the first."""
        self.db.execute("UPDATE speakers SET person_id = ? WHERE person_id = ?", [person_id, duplicate])
        self.db.execute("DELETE FROM roster WHERE person_id = ?", [duplicate])
        self.db.execute("DELETE FROM people WHERE id = ?", [duplicate])
        self._roster_index = None

    def log_texts(self) -> tuple[dict[int, str], dict[int, tuple[str, str]]]:
        commands = {r["id"]: r["command"] for r in self._rows("SELECT id, command FROM commands")}
        changes = {r["id"]: (r["target"], r["detail"]) for r in self._rows("SELECT id, target, detail FROM changes")}
        return commands, changes

    def set_log_texts(self, commands: dict[int, str], changes: dict[int, tuple[str, str]]) -> None:
        self.conn.executemany("UPDATE commands SET command = ? WHERE id = ?", [(c, i) for i, c in commands.items()])
        self.conn.executemany("UPDATE changes SET target = ?, detail = ? WHERE id = ?", [(t, d, i) for i, (t, d) in changes.items()])

    def notes(self) -> dict[str, str]:
        """What people wrote as reasons (keeping a doubtful find, allowing a hit), by `redaction:ID` / `allow:ID`."""
        found = {f"redaction:{r['id']}": r["reason"] for r in self._rows("SELECT id, reason FROM redactions WHERE reason != ''")}
        found.update({f"allow:{r['id']}": r["reason"] for r in self._rows("SELECT id, reason FROM allowlist")})
        return found

    def set_notes(self, notes: dict[str, str]) -> None:
        for name, reason in notes.items():
            table, _, row = name.partition(":")
            self.db.execute(f"UPDATE {'redactions' if table == 'redaction' else 'allowlist'} SET reason = ? WHERE id = ?", [reason, int(row)])

    def log_change(self, action: str, target: str, detail: str = "") -> None:
        self._log(action, target, detail)

    def compact(self) -> None:
        """Rebuild the file without free pages and empty the write-ahead log: nothing deleted lingers on disk."""
        self.conn.execute("VACUUM")
        self.flush_to_disk()

    # -- codebooks and codings ------------------------------------------------------------------

    def save_codebook_version(self, version: str, name: str, content: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO codebook_versions (version, name, content, created_at) VALUES (?, ?, ?, ?)",
                        [version, name, content, now()])

    def add_codings(self, document_id: int, name: str, rows: list[dict], summary: str | None = None) -> list[int]:
        """Record codings (`start`, `end`, `code`, `status`, `origin`, `codebook_version`, `quote`, `before`,
        `after`, optional `coder` (else whoever runs the command), `disconfirming`, `action`), logged as one
        line per code, or as one `summary` line."""
        coder, time = self.invocation.coder, now()
        insert = ('INSERT INTO codings (document_id, start, "end", code, coder, status, origin, codebook_version, created_at,'
                  " disconfirming, action, quote, before, after) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        ids = [self.conn.execute(insert, [document_id, r["start"], r["end"], r["code"], r.get("coder") or coder, r["status"], r["origin"],
                                          r["codebook_version"], time, int(r.get("disconfirming", False)), r.get("action"),
                                          r["quote"], r["before"], r["after"]]).lastrowid for r in rows]
        if summary is not None:
            self._log("suggest", name, summary)
            return ids
        for code in dict.fromkeys(r["code"] for r in rows):
            spans = [f"{r['start']}:{r['end']}" for r in rows if r["code"] == code]
            self._log("code", name, f"{code} at {', '.join(spans[:5])}" + (f" and {len(spans) - 5} more" if len(spans) > 5 else ""))
        return ids

    def codings(self, document_id: int | None = None, code: str | None = None, status: str | None = None) -> list[dict]:
        sql = ('SELECT c.id, c.document_id, d.name AS document, c.start, c."end", c.code, c.coder, c.status, c.origin,'
               " c.codebook_version, c.created_at, c.decided_by, c.disconfirming, c.action, c.quote, c.before, c.after, c.placement,"
               " c.starred"
               " FROM codings c JOIN documents d ON d.id = c.document_id WHERE 1")
        params: list = []
        for column, value in (("c.document_id", document_id), ("c.code", code), ("c.status", status)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return self._rows(sql + " ORDER BY d.name, c.start, c.id", params)

    def recode(self, code: str, new_code: str) -> int:
        """Every coding of one code becomes one of another, with the memos on it, its framework summaries
        (a cell both have keeps both texts) and its quotes' decisions; returns how many codings."""
        self.conn.execute("UPDATE memos SET target = ? WHERE kind = 'code' AND target = ?", [new_code, code])
        self.conn.execute("UPDATE framework_cells SET summary = summary || char(10) || char(10) || (SELECT old.summary"
                          " FROM framework_cells old WHERE old.code = ? AND old.case_kind = framework_cells.case_kind"
                          " AND old.case_name = framework_cells.case_name) WHERE code = ? AND EXISTS (SELECT 1 FROM"
                          " framework_cells old WHERE old.code = ? AND old.case_kind = framework_cells.case_kind"
                          " AND old.case_name = framework_cells.case_name)", [code, new_code, code])
        self.conn.execute("DELETE FROM framework_cells WHERE code = ? AND EXISTS (SELECT 1 FROM framework_cells new"
                          " WHERE new.code = ? AND new.case_kind = framework_cells.case_kind AND new.case_name = framework_cells.case_name)",
                          [code, new_code])
        self.conn.execute("UPDATE framework_cells SET code = ? WHERE code = ?", [new_code, code])
        self.conn.execute("DELETE FROM ratifications WHERE code = ? AND reviewer IN (SELECT reviewer FROM ratifications"
                          " WHERE code = ?)", [code, new_code])  # a reader's mark on the code merged into stays
        self.conn.execute("UPDATE ratifications SET code = ? WHERE code = ?", [new_code, code])
        # A quote keeps its id and decision; where the other code has one on the same coding, that one stays.
        self.conn.execute("UPDATE OR IGNORE quotes SET code = ? WHERE code = ?", [new_code, code])
        self.conn.execute("DELETE FROM quotes WHERE code = ?", [code])
        return self.conn.execute("UPDATE codings SET code = ? WHERE code = ?", [new_code, code]).rowcount

    def remove_codings(self, ids: list[int], name: str, detail: str) -> None:
        self.conn.executemany("DELETE FROM codings WHERE id = ?", [(i,) for i in ids])
        self.drop_memos_on_gone_codings()
        self._log("uncode", name, detail)

    def decide_codings(self, ids: list[int], status: str) -> None:
        self.conn.executemany("UPDATE codings SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                              [(status, self.invocation.coder, now(), i) for i in ids])

    def mark_coding(self, coding_id: int, mark: str, value: bool, name: str) -> None:
        """Set a coding's `disconfirming` or `starred` mark, logged."""
        column = {"disconfirming": "disconfirming", "starred": "starred"}[mark]
        self.conn.execute(f"UPDATE codings SET {column} = ? WHERE id = ?", [int(value), coding_id])
        self._log(mark if value else f"un{mark}", name, f"coding {coding_id}")

    def starred_codings(self) -> set[int]:
        return {r["id"] for r in self._rows("SELECT id FROM codings WHERE starred = 1")}

    def move_coding(self, coding_id: int, start: int, end: int, quote: str, before: str, after: str, name: str) -> None:
        self.db.execute('UPDATE codings SET start = ?, "end" = ?, quote = ?, before = ?, after = ? WHERE id = ?',
                        [start, end, quote, before, after, coding_id])
        self._log("move-coding", name, f"coding {coding_id} to {start}:{end}")

    def place_codings(self, placements: list[Placement]) -> None:
        """Codings at their new places (or orphaned), with the quote and context found there."""
        self.conn.executemany('UPDATE codings SET start = ?, "end" = ?, quote = ?, before = ?, after = ?, placement = ? WHERE id = ?',
                              [(p.start, p.end, p.quote, p.before, p.after, p.placement, p.id) for p in placements])

    # -- tallies --------------------------------------------------------------------------------

    def accepted_codings(self, documents: Iterable[int] | None = None) -> list[dict]:
        """Accepted codings with their coder of record: who accepted a suggestion, else who coded (of some documents)."""
        where, params = _in_documents("document_id", documents)
        return self._rows('SELECT id, document_id, start, "end", code, COALESCE(decided_by, coder) AS coder, action, placement,'
                          f" disconfirming, origin FROM codings WHERE status = 'accepted'{where}", params)

    def coders_of_record(self) -> set[str]:
        return {r["coder"] for r in self._rows("SELECT DISTINCT COALESCE(decided_by, coder) AS coder FROM codings WHERE status = 'accepted'")}

    def machine_share(self) -> tuple[int, int]:
        """Accepted codings that came from a rule's or a model's suggestion, and all accepted codings."""
        row = self._rows("SELECT SUM(origin LIKE 'rule:%' OR origin LIKE 'model:%') AS machine, COUNT(*) AS total"
                         " FROM codings WHERE status = 'accepted'")[0]
        return row["machine"] or 0, row["total"]

    def turn_spans(self, documents: Iterable[int] | None = None) -> list[dict]:
        where, params = _in_documents("t.document_id", documents)
        return self._rows('SELECT t.id, t.document_id, t.start, t."end", t.question, s.person_id, t.seq, t.time_start'
                          f" FROM turns t LEFT JOIN speakers s ON s.id = t.speaker_id WHERE 1{where} ORDER BY t.document_id, t.start",
                          params)

    def people_rows(self) -> list[dict]:
        return self._rows("SELECT p.id, p.code, p.role, p.is_group, p.attributes,"
                          " (SELECT MIN(s.label) FROM speakers s WHERE s.person_id = p.id) AS label FROM people p ORDER BY p.id")

    def speaker_attribute_rows(self) -> list[dict]:
        return self._rows("SELECT document_id, person_id, attributes FROM speakers WHERE attributes != '{}'")

    def framework_summaries(self, case_kind: str) -> dict[tuple[str, str], str]:
        rows = self._rows("SELECT case_name, code, summary FROM framework_cells WHERE case_kind = ?", [case_kind])
        return {(r["case_name"], r["code"]): r["summary"] for r in rows}

    def save_framework(self, case_kind: str, cases: list[str], codes: list[str], summaries: dict[tuple[str, str], str],
                       source: str) -> None:
        """The summaries of a workbook's cells: a cell emptied in it is emptied here too."""
        self.conn.executemany("DELETE FROM framework_cells WHERE case_kind = ? AND case_name = ? AND code = ?",
                              [(case_kind, c, t) for c in cases for t in codes if (c, t) not in summaries])
        self.conn.executemany("INSERT INTO framework_cells VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                              " summary = excluded.summary, source = excluded.source, coder = excluded.coder,"
                              " updated_at = excluded.updated_at WHERE summary != excluded.summary",
                              [(case_kind, c, t, text, source, self.invocation.coder, now()) for (c, t), text in summaries.items()])
        self._log("framework", case_kind, f"{len(summaries)} summaries from {source}")

    def quote_decisions(self) -> dict[tuple[str, int], dict]:
        rows = self._rows("SELECT id, code, coding_id, text, status, reason FROM quotes")
        return {(r["code"], r["coding_id"]): r for r in rows}

    def remember_quotes(self, chosen: list[tuple[str, int, str]]) -> dict[tuple[str, int], int]:
        """Ids for quotes chosen by the machine (code, coding, reason); a quote keeps its id for good."""
        time = now()
        self.conn.executemany("INSERT INTO quotes (code, coding_id, status, reason, coder, created_at, updated_at)"
                              " VALUES (?, ?, 'chosen', ?, ?, ?, ?) ON CONFLICT (code, coding_id) DO NOTHING",
                              [(code, coding, reason, self.invocation.coder, time, time) for code, coding, reason in chosen])
        return {(r["code"], r["coding_id"]): r["id"] for r in self._rows("SELECT id, code, coding_id FROM quotes")}

    def quote(self, quote_id: int) -> dict | None:
        rows = self._rows("SELECT q.id, q.code, q.coding_id, q.text, q.status, q.reason, c.document_id, c.start, c.\"end\""
                          " FROM quotes q JOIN codings c ON c.id = q.coding_id WHERE q.id = ?", [quote_id])
        return rows[0] if rows else None

    def decide_quote(self, quote_id: int, status: str, text: str | None, detail: str) -> None:
        self.conn.execute("UPDATE quotes SET status = ?, text = ?, coder = ?, updated_at = ? WHERE id = ?",
                          [status, text, self.invocation.coder, now(), quote_id])
        self._log("quote", f"Q{quote_id}", detail)

    def quote_texts(self) -> dict[str, str]:
        return {str(r["id"]): r["text"] for r in self._rows("SELECT id, text FROM quotes WHERE text IS NOT NULL")}

    def quote_reasons(self) -> dict[str, str]:
        """Why each quote was chosen (`site St Aidan's new`): attribute values are in there."""
        return {str(r["id"]): r["reason"] for r in self._rows("SELECT id, reason FROM quotes WHERE reason != ''")}

    def set_quote_reasons(self, reasons: dict[str, str]) -> None:
        self.conn.executemany("UPDATE quotes SET reason = ? WHERE id = ?", [(t, int(i)) for i, t in reasons.items()])

    def set_quote_texts(self, texts: dict[str, str]) -> None:
        self.conn.executemany("UPDATE quotes SET text = ? WHERE id = ?", [(t, int(i)) for i, t in texts.items()])

    def save_sample(self, fraction: float, seed: int, stratify: list[str], documents: list[int],
                    respondents: list[int] | None = None) -> int:
        sample_id = self.db.table("samples").insert({"fraction": fraction, "seed": seed, "stratify": ",".join(stratify),
                                                     "documents": json.dumps(documents), "coder": self.invocation.coder,
                                                     "created_at": now(), "respondents": None if respondents is None
                                                     else json.dumps(respondents)}).last_pk
        drawn = f"{len(respondents)} respondent(s) in " if respondents is not None else ""
        self._log("sample", f"sample {sample_id}", f"{drawn}{len(documents)} document(s), fraction {fraction}, seed {seed}"
                  + (f", by {', '.join(stratify)}" if stratify else ""))
        return sample_id

    def samples(self) -> list[dict]:
        rows = self._rows("SELECT id, fraction, seed, stratify, documents, respondents, coder, created_at FROM samples ORDER BY id")
        return [{**r, "documents": json.loads(r["documents"]),
                 "respondents": None if r["respondents"] is None else json.loads(r["respondents"])} for r in rows]

    def save_round(self, sample_id: int | None, coders: list[str], unit: str, version: str, results: dict) -> int:
        round_id = self.db.table("rounds").insert({"sample_id": sample_id, "coders": json.dumps(coders), "unit": unit,
                                                   "codebook_version": version, "results": json.dumps(results),
                                                   "coder": self.invocation.coder, "created_at": now()}).last_pk
        self._log("agree", f"round {round_id}", f"{', '.join(coders)} by {unit}")
        return round_id

    def rounds(self) -> list[dict]:
        rows = self._rows("SELECT id, sample_id, coders, unit, codebook_version, results, coder, created_at FROM rounds ORDER BY id")
        return [{**r, "coders": json.loads(r["coders"]), "results": json.loads(r["results"])} for r in rows]

    def save_ratification(self, code: str, reviewer: str, status: str, comment: str, source: str) -> None:
        """A reader's mark on a theme; their earlier mark on it is replaced."""
        # No unique key on (code, reviewer): anonymised reviewers' names may coincide ("[name]").
        self.conn.execute("DELETE FROM ratifications WHERE code = ? AND reviewer = ?", [code, reviewer])
        self.conn.execute("INSERT INTO ratifications (code, reviewer, status, comment, source, coder, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)", [code, reviewer, status, comment, source, self.invocation.coder, now()])
        self._log("ratify", code, f"{status} by {reviewer}" + (f": {comment}" if comment else ""))

    def ratifications(self) -> list[dict]:
        return self._rows("SELECT id, code, reviewer, status, comment, source, coder, created_at FROM ratifications ORDER BY code, reviewer")

    def ratification_texts(self) -> dict[str, str]:
        """Reviewers' names and comments, as people wrote them (anonymising redacts them)."""
        rows = self._rows("SELECT id, reviewer, comment FROM ratifications")
        return {**{f"{r['id']}\treviewer": r["reviewer"] for r in rows}, **{f"{r['id']}\tcomment": r["comment"] for r in rows}}

    def set_ratification_texts(self, texts: dict[str, str]) -> None:
        for key, text in texts.items():
            row, column = key.split("\t")
            self.conn.execute(f"UPDATE ratifications SET {'reviewer' if column == 'reviewer' else 'comment'} = ? WHERE id = ?",
                              [text, int(row)])

    def strip_for_package(self, keep_documents: list[int], sample_id: int) -> None:
        """This copy becomes a second coder's project: the sampled documents and the sample itself (which
        says which respondents to code), no one's codings or notes."""
        marks = ",".join("?" * len(keep_documents))
        self.conn.execute("DELETE FROM samples WHERE id != ?", [sample_id])
        for statement in ("DELETE FROM quotes", "DELETE FROM codings", "DELETE FROM memos", "DELETE FROM framework_cells",
                          "DELETE FROM ratifications",
                          "DELETE FROM rounds", "DELETE FROM changes", "DELETE FROM commands",
                          "DELETE FROM roster", "DELETE FROM allowlist", "DELETE FROM meta WHERE key = 'key_state'"):
            self.conn.execute(statement)
        self.conn.execute(f"DELETE FROM documents WHERE id NOT IN ({marks})", keep_documents)
        self.conn.execute("UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'project_id'")
        self.conn.execute("DELETE FROM people WHERE id NOT IN (SELECT person_id FROM speakers WHERE person_id IS NOT NULL)")

    def framework_texts(self) -> dict[str, str]:
        return {f"{r['case_kind']}\t{r['case_name']}\t{r['code']}": r["summary"]
                for r in self._rows("SELECT case_kind, case_name, code, summary FROM framework_cells")}

    def set_framework_texts(self, texts: dict[str, str]) -> None:
        self.conn.executemany("UPDATE framework_cells SET summary = ? WHERE case_kind = ? AND case_name = ? AND code = ?",
                              [(text, *key.split("\t")) for key, text in texts.items()])

    # -- memos ----------------------------------------------------------------------------------

    def add_memo(self, kind: str, target: str, title: str, text: str, dated: str | None) -> int:
        memo_id = self.db.table("memos").insert({"kind": kind, "target": target, "title": title, "text": text,
                                                  "coder": self.invocation.coder, "created_at": now(), "dated": dated}).last_pk
        self._log("memo", f"{kind} {target}".strip(), f"memo {memo_id}")  # its words stay in the memo, not copied to the log
        return memo_id

    def memos(self) -> list[dict]:
        return self._rows("SELECT id, kind, target, title, text, coder, created_at, dated FROM memos"
                          " ORDER BY COALESCE(dated, substr(created_at, 1, 10)), id")

    def set_memo_texts(self, texts: dict[int, str]) -> None:
        self.conn.executemany("UPDATE memos SET text = ? WHERE id = ?", [(t, i) for i, t in texts.items()])

    # Who did what is recorded by name in these columns (and in a round's coders and results).
    _CODER_COLUMNS = (("commands", "coder"), ("codings", "coder"), ("codings", "decided_by"), ("redactions", "coder"),
                      ("redactions", "decided_by"), ("allowlist", "coder"), ("memos", "coder"), ("framework_cells", "coder"),
                      ("quotes", "coder"), ("samples", "coder"), ("rounds", "coder"), ("ratifications", "coder"))

    def coder_names(self) -> set[str]:
        """Everyone recorded as having done something in the project."""
        names = set()
        for table, column in self._CODER_COLUMNS:
            names |= {r["name"] for r in self._rows(f"SELECT DISTINCT {column} AS name FROM {table} WHERE {column} IS NOT NULL")}
        for row in self.rounds():
            names |= set(row["coders"])
        return names

    def rename_coder(self, old: str, new: str) -> None:
        """A coder's name replaced wherever the project records it (anonymising a coder who is also on the roster)."""
        for table, column in self._CODER_COLUMNS:
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [new, old])
        quoted_old, quoted_new = json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)
        for row in self._rows("SELECT id, coders, results FROM rounds"):
            self.conn.execute("UPDATE rounds SET coders = ?, results = ? WHERE id = ?",
                              [row["coders"].replace(quoted_old, quoted_new), row["results"].replace(quoted_old, quoted_new), row["id"]])

    def codebook_texts(self) -> dict[str, str]:
        """Every stored codebook version's text (definitions and examples quote people)."""
        return {r["version"]: r["content"] for r in self._rows("SELECT version, content FROM codebook_versions")}

    def set_codebook_texts(self, texts: dict[str, str]) -> None:
        self.conn.executemany("UPDATE codebook_versions SET content = ? WHERE version = ?", [(t, v) for v, t in texts.items()])

    def drop_memos_on_gone_codings(self) -> None:
        self.conn.execute("DELETE FROM memos WHERE kind = 'coding' AND CAST(target AS INTEGER) NOT IN (SELECT id FROM codings)")

    def set_memo_titles(self, titles: dict[int, str]) -> None:
        self.conn.executemany("UPDATE memos SET title = ? WHERE id = ?", [(t, i) for i, t in titles.items()])

    # -- log ------------------------------------------------------------------------------------

    def log_entries(self, limit: int | None = None) -> list[LogEntry]:
        sql = "SELECT id, time, coder, command, version FROM commands ORDER BY id DESC LIMIT ?"
        entries = []
        for row in self._rows(sql, [-1 if limit is None else limit]):
            changes = self._rows("SELECT action, target, detail FROM changes WHERE command_id = ? ORDER BY id", [row["id"]])
            entries.append(LogEntry(row["id"], row["time"], row["coder"], row["command"], row["version"], changes))
        return entries


def _in_documents(column: str, documents: Iterable[int] | None) -> tuple[str, list[int]]:
    """A query's restriction to some documents (None: all of them)."""
    if documents is None:
        return "", []
    chosen = sorted(documents)
    return f" AND {column} IN ({','.join('?' * len(chosen))})", chosen


def create_database(path: Path, invocation: Invocation) -> None:
    """A new, fully migrated project database, its creation the first line of the log."""
    store = Store(path, invocation)
    with store.unit_of_work():
        store.log_change("init", str(path.parent))
    store.close()
