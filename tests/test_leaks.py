"""The leak check: what it finds, where, what it accepts on purpose, and what it needs."""

from __future__ import annotations

import pytest

from qualcode.anonymise import anonymise
from qualcode.checks.leaks import check_leaks
from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.roster import import_roster

from conftest import by_where


def test_before_anonymising_the_roster_in_the_project_is_enough(study):
    project, _ = study
    found = by_where(check_leaks(project))
    assert found["a.txt"] == ["Margaret Hale", "07700 900123", "Will"]


def test_after_anonymising_nothing_is_left_but_what_exports_and_settings_still_hold(study, tmp_path):
    project, key = study
    anonymise(project, key, tmp_path / "terms.csv")
    exports = project.root / "exports"
    (exports / "notes.md").write_text("# Notes\n\nMags said the school (kingsmead) was fine; mail m.hale@example.org\n", encoding="utf-8")
    (exports / "broken.docx").write_bytes(b"not a zip")
    (project.root / "qualcode.toml").write_text('[codes.sites]\nKingsmead = "K"\n', encoding="utf-8")
    leaks = check_leaks(project, key)
    found = by_where(leaks)
    assert found.pop("exports/notes.md") == ["Mags", "kingsmead", "m.hale@example.org"]
    assert found.pop("qualcode.toml") == ["Kingsmead"]
    assert found.pop("exports/broken.docx") == [""]
    # `Will you come?` reads as a word, but Will is named in the same turn: kept for a person to decide.
    assert found.pop("document-001.txt") == ["Will"]
    assert set(found) <= {"speaker codes"}
    notes = next(leak for leak in leaks if leak.text == "Mags")
    assert notes.line == 3 and notes.category == "person"


def test_a_docx_export_is_read_back(study, tmp_path):
    import docx

    project, key = study
    anonymise(project, key, tmp_path / "terms.csv")
    document = docx.Document()
    document.add_paragraph("A quote")
    document.add_table(rows=1, cols=1).rows[0].cells[0].text = "as Margaret put it"
    document.save(str(project.root / "exports" / "quotes.docx"))
    assert by_where(check_leaks(project, key))["exports/quotes.docx"] == ["Margaret"]


def test_an_anonymised_project_needs_the_key(study, tmp_path):
    project, key = study
    anonymise(project, key, tmp_path / "terms.csv")
    with pytest.raises(UsageError, match="in the key"):
        check_leaks(project)


def test_codes_that_single_out_one_person_are_reported(project, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: Hello.\n\nAna: Hi.\n", encoding="utf-8")
    (tmp_path / "roster.csv").write_text("name,role,site\nAna,head teacher,Northfield\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "a.txt")], ImportOptions())
    import_roster(project, tmp_path / "roster.csv")
    anonymise(project, tmp_path / "keys" / "key.json")
    codes = [leak for leak in check_leaks(project, tmp_path / "keys" / "key.json") if leak.category == "identifying-code"]
    assert len(codes) == 1 and "the only head teacher" in codes[0].note and "Northfield" not in codes[0].note


def test_names_in_export_file_names_office_metadata_comments_and_sheet_names(study):
    import docx
    import openpyxl
    from openpyxl.comments import Comment

    project, _ = study
    exports = project.root / "exports"
    document = docx.Document()
    paragraph = document.add_paragraph("A quote")
    document.add_comment(paragraph.runs[0], text="ask Mags", author="Reviewer")
    document.core_properties.author = "Margaret Hale"
    document.save(str(exports / "quotes.docx"))
    workbook = openpyxl.Workbook()
    workbook.active.title = "Hale"
    workbook.active["A1"] = "fine"
    workbook.active["A1"].comment = Comment("Will Price said so", "Reviewer")
    workbook.save(exports / "table.xlsx")
    (exports / "Margaret Hale notes.txt").write_text("nothing here\n", encoding="utf-8")
    found = by_where(check_leaks(project))
    assert found["exports/quotes.docx"] == ["Mags", "Margaret Hale"]
    assert found["exports/table.xlsx"] == ["Hale", "Will Price"]
    assert found["export file names"] == ["Margaret Hale"]


def test_without_the_key_an_export_is_refused_unless_written_unchecked(study, tmp_path, cli):
    project, key = study
    anonymise(project, key)
    (project.root / "codebook.yaml").write_text("codes:\n  - id: t\n    label: Time\n", encoding="utf-8")
    assert cli("code", "1", "--turn", "2", "--add", "t").exit_code == 0  # the document by id: its name is neutral now
    target = tmp_path / "tally.md"
    refused = cli("tally", "-o", target)
    assert refused.exit_code == 2 and "the names to look for are in the key; pass --key PATH" in refused.stderr
    assert "--no-leak-check" in refused.stderr and not target.exists()
    assert cli("tally", "-o", target, "--key", key).exit_code == 0
    unchecked = tmp_path / "unchecked.md"
    assert cli("tally", "-o", unchecked, "--no-leak-check").exit_code == 0
    assert "not checked for names or identifiers" in unchecked.read_text(encoding="utf-8")
    assert "not checked" not in target.read_text(encoding="utf-8")
    logged = [c for entry in cli.json("log") for c in entry["changes"] if c["action"] == "unchecked-export"]
    assert [c["target"] for c in logged] == [str(unchecked)]


def test_outputs_kept_outside_the_project_are_checked_with_path(study, tmp_path, cli):
    project, key = study
    anonymise(project, key)
    outside = tmp_path / "report-drafts"
    outside.mkdir()
    (outside / "draft.md").write_text("As margaret hale put it, and mags agreed.\n", encoding="utf-8")
    found = check_leaks(project, key, also=[outside])
    assert {(leak.where, leak.text) for leak in found} >= {("report-drafts/draft.md", "margaret hale")}
    assert not any("draft" in leak.where for leak in check_leaks(project, key))  # not looked at without --path
    result = cli("check", "leaks", "--key", key, "--path", outside / "draft.md")
    assert result.exit_code == 1 and "draft.md" in result.stdout
    missing = cli("check", "leaks", "--key", key, "--path", tmp_path / "nowhere")
    assert missing.exit_code == 2 and "--path" in missing.stderr
    empty = cli("check", "leaks", "--key", key, "--path", "")
    assert empty.exit_code == 2 and "--path: give a file or folder" in empty.stderr
    both = cli("documents", "--key", key, "--no-leak-check", "-o", tmp_path / "d.md")
    assert both.exit_code == 2 and "choose one" in both.stderr


def test_an_export_may_not_quote_a_doubtful_word_no_one_has_decided(study):
    from qualcode.anonymise import keep, pending
    from qualcode.checks.leaks import check_output

    project, key = study
    anonymise(project, key)
    waiting = pending(project)
    assert waiting, "the study has a doubtful 'Will'"
    quoted = f"They asked: '{waiting[0].text}{waiting[0].after[:20]}'"  # the passage, with the undecided word in it
    leaks, _ = check_output(project, "bank.md", quoted, key)
    assert [(leak.text, leak.note) for leak in leaks] == [("Will", "doubtful: decide with `qualcode anonymise review`")]
    assert check_output(project, "bank.md", "I will come.", key)[0] == []  # the word elsewhere is no quote of the passage
    keep(project, [w.id for w in waiting], "a verb here")
    assert check_output(project, "bank.md", quoted, key)[0] == []


def test_invisible_characters_do_not_hide_a_name(project, tmp_path):
    from qualcode.checks.leaks import check_output
    from qualcode.roster import import_roster

    (tmp_path / "a.txt").write_text("Interviewer: Who?\n\nParticipant: Mar\u00adgaret Hale and Mar\u200bgaret said so.\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("name\nMargaret Hale\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "a.txt")], ImportOptions())
    import_roster(project, tmp_path / "r.csv")
    assert "Margaret Hale and Margaret said" in project.store.document_text(1)  # gone at import
    leaks, _ = check_output(project, "x.md", "As Mar\u00adgaret put it")
    assert [leak.text for leak in leaks] == ["Margaret"]
    for hidden in ("Mar\u200cgaret", "Mar\u200dgaret", "Mar\u034fgaret", "\uff2d\uff41\uff52\uff47\uff41\uff52\uff45\uff54"):
        assert [leak.text for leak in check_output(project, "x.md", f"As {hidden} Hale put it")[0]] == ["Margaret Hale"], hidden


def test_other_files_in_the_project_folder_are_checked(study, tmp_path):
    project, key = study
    (project.root / "transcripts").mkdir()
    (project.root / "transcripts" / "a.txt").write_text("Participant: Margaret Hale does.\n", encoding="utf-8")
    (project.root / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    (project.root / ".git").mkdir()
    (project.root / ".git" / "HEAD").write_text("Margaret Hale\n", encoding="utf-8")
    anonymise(project, key)
    found = {(leak.where, leak.text) for leak in check_leaks(project, key)}
    assert ("transcripts/a.txt", "Margaret Hale") in found and any(where == "scan.pdf" for where, _ in found)
    assert not any(where.startswith(".git") for where, _ in found)
