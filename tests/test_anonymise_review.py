"""Reviewing doubtful finds: listing, redacting, keeping with a reason, and going through them."""

from __future__ import annotations

import pytest

from qualcode.anonymise import PENDING, anonymise, keep, pending, redact, reverse, walk
from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths

from conftest import DEMO, snapshot


def test_reviewed_finds_are_redacted_or_kept_with_a_reason_and_reversal_restores_them(demo, tmp_path):
    project, key = demo
    (tmp_path / "extra.txt").write_text("Interviewer: And the others?\n\nParticipant: Grace is lovely. Mags is going.\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "extra.txt")], ImportOptions())
    before = snapshot(project)["documents"]
    anonymise(project, key, DEMO / "terms.csv")
    waiting = pending(project)
    assert len(waiting) >= 2 and all(p.before and p.after for p in waiting)
    redact(project, [waiting[0].id], key)
    with pytest.raises(UsageError, match="say why"):
        keep(project, None, " ")
    keep(project, None, "a magazine, not Margaret Hale")
    assert not project.store.redactions(status=PENDING)
    anonymise(project, key)  # reasons people wrote are redacted like the log
    anonymise(project, key)  # ... and their originals stay in the key, run after run
    assert not [note for note in project.store.notes().values() if "Margaret" in note]
    assert [e for e in project.store.log_entries(2) if any(c["action"] == "keep" for c in e.changes)]
    reverse(project, key)
    assert snapshot(project)["documents"] == before
    assert [note for note in project.store.notes().values() if "Margaret Hale" in note]


def test_walk_saves_each_decision_and_reads_each_find_afresh(demo, tmp_path):
    project, key = demo
    (tmp_path / "extra.txt").write_text("Interviewer: Others?\n\nParticipant: Grace is lovely. Mags is going. Grace is kind.\n",
                                        encoding="utf-8")
    import_paths(project, [str(tmp_path / "extra.txt")], ImportOptions())
    anonymise(project, key, DEMO / "terms.csv")
    assert [p.text for p in pending(project)] == ["Grace", "Mags", "Grace"]
    seen = []

    def ask(find, number, total):
        seen.append((find.text, find.before, number, total))
        return [("redact", ""), ("keep", "a magazine here"), ("quit", "")][number - 1]

    assert walk(project, ask, key) == 2
    assert [(text, number, total) for text, _, number, total in seen] == [("Grace", 1, 3), ("Mags", 2, 3), ("Grace", 3, 3)]
    assert seen[1][1].endswith("[head teacher's name] is lovely. ")  # the context after the first redaction
    assert [p.text for p in pending(project)] == ["Grace"]
    assert [r["reason"] for r in project.store.redactions(status="rejected")] == ["a magazine here"]
    with pytest.raises(UsageError, match="no pending find with id 999"):
        redact(project, [999], key)


def test_a_decision_to_redact_outlives_reversal(demo, tmp_path):
    project, key = demo
    (tmp_path / "extra.txt").write_text("Interviewer: Others?\n\nParticipant: Grace is lovely.\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "extra.txt")], ImportOptions())
    anonymise(project, key, DEMO / "terms.csv")
    assert redact(project, None, key) == 1
    reverse(project, key)
    assert "Grace is lovely" in project.store.document_text(project.store.document_named("extra.txt"))
    anonymise(project, key)
    assert pending(project) == []
    assert "[head teacher's name] is lovely" in "".join(d["text"] for d in project.store.all_documents())
