"""`import_paths`: files, folders and globs; safe re-import; failures that leave the store untouched."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode.corpus import documents, turns
from qualcode.errors import InputFileError, UsageError
from qualcode.ingest import ImportOptions, collect_sources, import_paths


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(project, *paths, **options):
    return import_paths(project, [str(p) for p in paths], ImportOptions(**options))


def statuses(report):
    return [(o.name, o.status) for o in report.outcomes]


def test_same_file_twice_changes_nothing(project, tmp_path):
    path = write(tmp_path, "a.txt", "Interviewer: hi\nAnn: hello")
    assert statuses(run(project, path)) == [("a.txt", "imported")]
    log_size = len(project.store.log_entries())
    assert statuses(run(project, path)) == [("a.txt", "unchanged")]
    assert len(project.store.log_entries()) == log_size


def test_changed_file_needs_replace_which_keeps_id_and_attributes(project, tmp_path):
    path = write(tmp_path, "a.txt", "Interviewer: hi\nAnn: hello")
    run(project, path, attributes=["wave=1"])
    first = documents(project)[0]
    write(tmp_path, "a.txt", "Interviewer: hi\nAnn: hello again\nInterviewer: bye")
    report = run(project, path)
    assert report.failed and "--replace" in report.failed[0].error
    assert documents(project)[0].n_turns == 2
    assert statuses(run(project, path, replace=True)) == [("a.txt", "replaced")]
    replaced = documents(project)[0]
    assert (replaced.id, replaced.n_turns, replaced.attributes) == (first.id, 3, {"wave": "1"})


def test_folder_with_broken_files_imports_the_rest(project, tmp_path):
    folder = tmp_path / "in"
    write(folder, "good.txt", "Dan: one\nAnn: two")
    write(folder, "sub/also_good.md", "Dan: three")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    write(folder, "README.md", "about this folder")
    write(folder, "roster.csv", "name,role\nAnn,teacher\n")
    report = run(project, folder)
    assert sorted(o.name for o in report.outcomes if o.status == "imported") == ["also_good.md", "good.txt"]
    assert sorted(o.name for o in report.failed) == ["binary.txt", "empty.txt"]
    assert sorted(p.rsplit("/", 1)[1] for p in report.skipped) == ["README.md", "roster.csv"]


def test_files_sharing_a_name_are_told_apart_by_relative_path(tmp_path):
    write(tmp_path / "in" / "school_a", "notes.txt", "a")
    write(tmp_path / "in" / "school_b", "notes.txt", "b")
    write(tmp_path / "in", "other.txt", "c")
    sources, *_ = collect_sources([str(tmp_path / "in")])
    assert sorted(s.name for s in sources) == ["other.txt", "school_a/notes.txt", "school_b/notes.txt"]


def test_globs_and_missing_paths(project, tmp_path):
    write(tmp_path, "one.txt", "Dan: a")
    write(tmp_path, "two.txt", "Dan: b")
    report = run(project, tmp_path / "*.txt", tmp_path / "nothing.txt")
    assert sorted(statuses(report)) == [("nothing.txt", "failed"), ("one.txt", "imported"), ("two.txt", "imported")]


def test_an_interrupted_import_leaves_no_half_document(project, tmp_path):
    path = write(tmp_path, "long.txt", "\n".join(f"{'Dan' if i % 2 else 'Ann'}: turn {i}" for i in range(10)))
    # A real failure inside SQLite half-way through writing the turns.
    project.store.db.execute("CREATE TRIGGER fail BEFORE INSERT ON turns WHEN NEW.seq = 7 BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.IntegrityError):
        run(project, path)
    db = project.store.db
    assert [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("documents", "turns", "speakers")] == [0, 0, 0]
    assert [entry.command for entry in project.store.log_entries()] == ["qualcode init"]


def test_attribute_sheet_in_the_folder_and_options(project, tmp_path):
    folder = tmp_path / "in"
    write(folder, "p1.txt", "Dan: a")
    write(folder, "p2.txt", "Dan: b")
    write(folder, "documents.csv", "document,site,wave\np1.txt,A,1\np2.txt,B,2\nghost.txt,C,1\n")
    report = run(project, folder, attributes=["source=interview"])
    assert report.unknown_sheet_rows == ["ghost.txt"]
    assert {d.name: d.attributes for d in documents(project)} == {
        "p1.txt": {"site": "A", "wave": "1", "source": "interview"},
        "p2.txt": {"site": "B", "wave": "2", "source": "interview"},
    }


def test_interviewer_labels_get_the_interviewer_role(project, tmp_path):
    path = write(tmp_path, "a.txt", "Interviewer 1: hi\nQ: why\nModerator: so\nMargaret: well")
    run(project, path)
    roles = {s.label: s.role for s in project.store.speaker_summaries()}
    assert roles == {"Interviewer 1": "interviewer", "Q": "interviewer", "Moderator": "interviewer", "Margaret": "participant"}


def test_forced_format_and_bad_format(project, tmp_path):
    path = write(tmp_path, "captions.log", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>hi</v>\n")
    assert statuses(run(project, path)) == [("captions.log", "imported")]
    other = write(tmp_path, "notes.log", "Dan: hello")
    assert statuses(run(project, other, format="text")) == [("notes.log", "imported")]
    with pytest.raises(UsageError, match="--format"):
        run(project, other, format="mp3")


def test_times_from_zoom_and_text(project, tmp_path):
    path = write(tmp_path, "zoom.txt", "[Ann] 00:00:04\nhello\n\n[Ann] 00:00:09\nagain\n\n[Bob] 00:01:00\nhi")
    run(project, path)
    _, views = turns(project, "zoom")
    assert [(v.speaker_label, v.time_start, v.text) for v in views] == [("Ann", 4.0, "hello again"), ("Bob", 60.0, "hi")]


def test_copies_are_flagged_and_pipes_and_lock_files_are_not_read(project, tmp_path):
    import os

    write(tmp_path, "a.txt", "Dan: same words")
    write(tmp_path, "copy of a.txt", "Dan: same words")
    report = run(project, tmp_path / "a.txt", tmp_path / "copy of a.txt")
    assert report.outcomes[1].warnings == ["same content as the imported document 'a.txt'"]
    os.mkfifo(tmp_path / "pipe.txt")
    assert "not a regular file" in run(project, tmp_path / "pipe.txt").failed[0].error
    folder = tmp_path / "folder"
    write(folder, "~$draft.docx", "lock")
    write(folder, "real.txt", "Dan: hi")
    assert statuses(run(project, folder)) == [("real.txt", "imported")]


def test_many_files_are_parsed_in_worker_processes_with_the_same_results(project, tmp_path):
    folder = tmp_path / "many"
    for n in range(24):
        write(folder, f"i{n:02d}.txt", f"Interviewer: question {n}\nParticipant {n}: answer {n}\n")
    (folder / "i99_empty.txt").write_bytes(b"")
    report = run(project, folder)
    assert [o.status for o in report.outcomes].count("imported") == 24
    assert [o.name for o in report.failed] == ["i99_empty.txt"] and "empty file" in report.failed[0].error
    _, views = turns(project, "i07")
    assert [(v.speaker_label, v.text) for v in views] == [("Interviewer", "question 7"), ("Participant 7", "answer 7")]


def test_one_file_named_twice_and_two_files_sharing_a_name(project, tmp_path):
    one = write(tmp_path / "a", "x.txt", "Dan: from a")
    other = write(tmp_path / "b", "x.txt", "Dan: from b")
    report = run(project, one, one, tmp_path / "a", other)
    assert sorted(statuses(report)) == [("a/x.txt", "imported"), ("b/x.txt", "imported")]


def test_literal_brackets_and_filtered_globs(project, tmp_path):
    bracketed = write(tmp_path, "[P1] interview.txt", "Dan: hi")
    assert statuses(run(project, bracketed)) == [("[P1] interview.txt", "imported")]
    folder = tmp_path / "g"
    write(folder, "licensed_teacher.txt", "Dan: a licensed teacher")
    write(folder, "README.md", "about")
    write(folder, "documents.csv", "document,wave\nlicensed_teacher.txt,2\n")
    report = run(project, folder / "*")
    assert statuses(report) == [("licensed_teacher.txt", "imported")]
    assert documents(project)[1].attributes == {"wave": "2"}


def test_a_damaged_pdf_fails_alone(project, tmp_path):
    folder = tmp_path / "f"
    (folder).mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    write(folder, "fine.txt", "Dan: hi")
    report = run(project, folder)
    assert sorted(statuses(report)) == [("broken.pdf", "failed"), ("fine.txt", "imported")]
    assert "unreadable PDF" in report.failed[0].error


def test_replace_keeps_roles_and_rereads_an_unchanged_file(project, tmp_path):
    from qualcode.speakers import set_role

    path = write(tmp_path, "s.csv", "who,comment\nA1,It was a useful year for all of us.\nA2,We learned to plan lessons together.\n")
    run(project, path)
    assert {s.label for s in project.store.speaker_summaries()} == {"R1", "R2"}
    assert statuses(run(project, path, replace=True, id_column="who")) == [("s.csv", "replaced")]
    assert {s.label for s in project.store.speaker_summaries()} == {"A1", "A2"}
    set_role(project, "A1", "observer")
    run(project, path, replace=True, id_column="who")
    assert {s.label: s.role for s in project.store.speaker_summaries()} == {"A1": "observer", "A2": "participant"}


def test_a_broken_attribute_sheet_stops_the_import_before_anything_is_written(project, tmp_path):
    folder = tmp_path / "in"
    write(folder, "p1.txt", "Dan: a")
    write(folder, "documents.csv", "name,site\np1.txt,A\n")
    with pytest.raises(InputFileError, match="no column 'document'"):
        run(project, folder)
    assert documents(project) == []


def test_importing_a_folder_again_with_its_sheet_changes_nothing(project, tmp_path):
    folder = tmp_path / "in"
    write(folder, "p1.txt", "Dan: a")
    write(folder, "documents.csv", "document,site\np1.txt,A\n")
    run(project, folder)
    log_size = len(project.store.log_entries())
    assert statuses(run(project, folder)) == [("p1.txt", "unchanged")]
    assert len(project.store.log_entries()) == log_size


def test_a_file_keeps_its_name_however_it_is_imported(project, tmp_path):
    a = write(tmp_path / "tw" / "site_a", "int.txt", "Dan: from a")
    write(tmp_path / "tw" / "site_b", "int.txt", "Dan: from b")
    run(project, a)
    report = run(project, tmp_path / "tw")
    assert sorted(statuses(report)) == [("int.txt", "unchanged"), ("site_b/int.txt", "imported")]
    assert statuses(run(project, tmp_path / "tw" / "site_b" / "int.txt")) == [("site_b/int.txt", "unchanged")]


def test_attribute_keys_keep_their_first_spelling(project, tmp_path):
    run(project, write(tmp_path, "p.txt", "Dan: hi"), attributes=["site=North"])
    sheet = write(tmp_path, "s.csv", "document,Site\np.txt,East\n")
    run(project, sheet.parent / "p.txt", attribute_sheet=sheet)
    assert documents(project)[0].attributes == {"site": "East"}
