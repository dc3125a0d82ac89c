"""The SQLite store: migrations with a backup first, and all-or-nothing units of work."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode import store as store_module
from qualcode.errors import ProjectError
from qualcode.store import LATEST_VERSION, Invocation, Store

WHO = Invocation("tester", "qualcode test", "0")


def test_new_database_is_fully_migrated(tmp_path):
    store = Store(tmp_path / "q.db", WHO)
    assert store.schema_version == LATEST_VERSION
    assert {"documents", "turns", "speakers", "commands", "changes"} <= set(store.db.table_names())
    store.close()


def test_migrating_an_existing_project_backs_it_up_first(tmp_path, monkeypatch):
    path = tmp_path / "q.db"
    Store(path, WHO).close()
    extra = [["CREATE TABLE future_things (id INTEGER PRIMARY KEY, text TEXT)"]]
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + extra)
    monkeypatch.setattr(store_module, "LATEST_VERSION", LATEST_VERSION + 1)
    store = Store(path, WHO)
    assert store.schema_version == LATEST_VERSION + 1 and "future_things" in store.db.table_names()
    store.close()
    backup = sqlite3.connect(tmp_path / f"q.db.v{LATEST_VERSION}.bak")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    backup.close()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "q.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    connection.close()
    with pytest.raises(ProjectError, match="newer qualcode"):
        Store(path, WHO)


def test_not_a_database(tmp_path):
    path = tmp_path / "q.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(ProjectError, match="not a qualcode database"):
        Store(path, WHO)


def test_unit_of_work_rolls_back_everything_including_its_log_line(tmp_path):
    store = Store(tmp_path / "q.db", WHO)
    with pytest.raises(RuntimeError):
        with store.unit_of_work():
            store.db.execute("INSERT INTO documents (name, format, source_path, relpath, sha256, size, text, imported_at)"
                             " VALUES ('a', 'text', '/a', 'a', 'x', 1, 'hi', 'now')")
            raise RuntimeError("crash mid-way")
    assert store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    assert store.db.execute("SELECT COUNT(*) FROM commands").fetchone()[0] == 0
    with store.unit_of_work():
        store._log("test", "target")
    assert [e.changes for e in store.log_entries()] == [[{"action": "test", "target": "target", "detail": ""}]]
    store.close()


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "q.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE documents (x)")
    connection.close()
    with pytest.raises(ProjectError, match="not a qualcode one"):
        Store(path, WHO)


def test_migration_2_turns_labels_into_people(tmp_path, monkeypatch):
    path = tmp_path / "q.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:1])
    monkeypatch.setattr(store_module, "LATEST_VERSION", 1)
    old = Store(path, WHO)
    with old.unit_of_work():
        for document_id, name in ((1, "a"), (2, "b")):
            old.db.execute("INSERT INTO documents (id, name, format, source_path, relpath, sha256, size, text, imported_at)"
                           " VALUES (?, ?, 'text', ?, ?, 'x', 1, 't', 'now')", [document_id, name, name, name])
        old.db.execute("INSERT INTO speakers (document_id, label, role) VALUES (1, 'Interviewer', 'interviewer'),"
                       " (1, 'Ann', 'participant'), (2, 'Interviewer', 'interviewer'), (2, 'Ann', 'participant')")
    old.close()
    monkeypatch.undo()
    store = Store(path, WHO)
    rows = store._rows("SELECT s.document_id, s.label, s.person_id, p.role FROM speakers s JOIN people p ON p.id = s.person_id ORDER BY s.id")
    assert [(r["label"], r["role"]) for r in rows] == [("Interviewer", "interviewer"), ("Ann", "participant")] * 2
    assert rows[0]["person_id"] == rows[2]["person_id"] and rows[1]["person_id"] != rows[3]["person_id"]
    assert store._value("SELECT COUNT(*) FROM people") == 3
    assert [r["label_key"] for r in store._rows("SELECT label_key FROM speakers ORDER BY id")] == ["interviewer", "ann"] * 2
    store.close()
