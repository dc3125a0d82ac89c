"""The command line through typer's CliRunner: output shapes, files, and one-line errors."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from qualcode.cli import app

TRANSCRIPT = "Interviewer: How did coaching start?\n\nMargaret Hale: Slowly.\nThen quickly.\n\nInterviewer: Why?\n"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "w1_margaret.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (folder / "w1_call.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Owen>We met</v>\n\n"
                                        "00:00:02.500 --> 00:00:04.000\n<v Owen>weekly.</v>\n", encoding="utf-8")
    (folder / "documents.csv").write_text("document,site,wave\nw1_margaret.txt,St Aidan's,1\n", encoding="utf-8")
    return folder


def one_line_error(result, code=2):
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qualcode: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_init_import_documents(cli, corpus, tmp_path):
    result = cli("init", tmp_path / "fresh", project=False)
    assert result.exit_code == 0 and (tmp_path / "fresh" / "qualcode.toml").exists()
    result = cli("import", corpus)
    assert result.exit_code == 0, result.stderr
    assert "2 imported" in result.stderr and result.stdout == ""
    docs = cli.json("documents")
    assert [(d["name"], d["format"], d["n_turns"], d["n_speakers"], d["n_words"]) for d in docs] == [
        ("w1_call.vtt", "vtt", 1, 1, 3), ("w1_margaret.txt", "text", 3, 2, 8)]
    assert set(docs[0]) == {"name", "id", "format", "n_turns", "n_speakers", "n_words", "attributes"}
    assert docs[1]["attributes"] == {"site": "St Aidan's", "wave": "1"}


def test_show_json_and_table(cli, corpus):
    cli("import", corpus)
    turns = cli.json("show", "w1_margaret")
    assert [(t["seq"], t["speaker_label"], t["role"], t["line"], t["text"]) for t in turns] == [
        (1, "Interviewer", "interviewer", 1, "How did coaching start?"),
        (2, "Margaret Hale", "participant", 3, "Slowly.\nThen quickly."),
        (3, "Interviewer", "interviewer", 6, "Why?"),
    ]
    assert set(turns[0]) >= {"seq", "speaker_label", "role", "start", "end", "line", "time_start", "time_end", "text"}
    call = cli.json("show", "w1_call")
    assert (call[0]["time_start"], call[0]["time_end"], call[0]["text"]) == (1.0, 4.0, "We met weekly.")
    table = cli("show", "w1_call")
    assert "00:00:01" in table.stdout and "Owen" in table.stdout


def test_speakers_list_and_set_role(cli, corpus):
    cli("import", corpus)
    rows = cli.json("speakers")
    assert {(r["document"], r["label"], r["role"], r["n_turns"]) for r in rows} == {
        ("w1_call.vtt", "Owen", "participant", 1), ("w1_margaret.txt", "Interviewer", "interviewer", 2),
        ("w1_margaret.txt", "Margaret Hale", "participant", 1)}
    result = cli("speakers", "set-role", "Owen", "interviewer")
    assert result.exit_code == 0 and "1 person(s) now interviewer" in result.stderr
    assert any(r["label"] == "Owen" and r["role"] == "interviewer" for r in cli.json("speakers"))


def test_csv_markdown_and_files(cli, corpus, tmp_path):
    cli("import", corpus)
    rows = list(csv.DictReader(io.StringIO(cli("documents", "--csv").stdout)))
    assert [r["name"] for r in rows] == ["w1_call.vtt", "w1_margaret.txt"]
    markdown = cli("documents", "--format", "md").stdout
    assert markdown.startswith("**2 documents, 11 words**\n\n| id | document |")
    target = tmp_path / "out" / "docs.xlsx"
    assert "not written: it would contain identifying text ('margaret')" in one_line_error(cli("documents", "-o", target))
    assert not target.exists()  # a file name with a speaker's name in it, before anonymising
    assert cli("documents", "-o", target, "--no-leak-check").exit_code == 0
    sheet = openpyxl.load_workbook(target).active
    assert sheet["B2"].value == "w1_call.vtt" and sheet.cell(sheet.max_row, 1).value.startswith("This output was not checked")
    assert cli.json("log")[0]["changes"][0]["action"] == "unchecked-export"
    assert "--force" in one_line_error(cli("documents", "-o", target, "--no-leak-check"))
    assert cli("documents", "-o", target, "--force", "--no-leak-check").exit_code == 0
    assert "format" in one_line_error(cli("documents", "-o", tmp_path / "docs.pdf"))
    assert "one output format" in one_line_error(cli("documents", "--json", "--csv"))


def test_log_records_commands_and_changes(cli, corpus):
    cli("--coder", "ana", "import", corpus)
    cli("attributes", "set", "w1_call", "site=B")
    entries = cli.json("log")
    assert [e["coder"] for e in entries] == ["tester", "ana", "tester"]
    assert entries[2]["changes"][0]["action"] == "init"
    assert entries[1]["command"].startswith("qualcode --project") and "import" in entries[1]["command"]
    assert [c["action"] for c in entries[1]["changes"]].count("import") == 2
    assert entries[0]["changes"] == [{"action": "set-attribute", "target": "w1_call.vtt", "detail": "site=B"}]


def test_attributes_import(cli, corpus, tmp_path):
    cli("import", corpus / "w1_call.vtt")
    sheet = tmp_path / "attrs.csv"
    sheet.write_text("document,wave\nw1_call.vtt,2\nmissing.txt,1\n", encoding="utf-8")
    result = cli("attributes", "import", sheet)
    assert result.exit_code == 0 and "missing.txt" in result.stderr
    assert cli.json("documents")[0]["attributes"] == {"wave": "2"}


def test_reimport_and_replace(cli, corpus):
    cli("import", corpus)
    assert "2 unchanged" in cli("import", corpus).stderr
    (corpus / "w1_margaret.txt").write_text(TRANSCRIPT + "\nMargaret Hale: More.\n", encoding="utf-8")
    assert "--replace" in one_line_error(cli("import", corpus / "w1_margaret.txt"))
    assert cli("import", corpus / "w1_margaret.txt", "--replace").exit_code == 0
    assert cli.json("documents")[1]["n_turns"] == 4


@pytest.mark.parametrize("name, content", [
    ("zero.txt", b""),
    ("binary.txt", bytes(range(256)) * 8),
    ("fake.docx", b"PK\x03\x04\x14\x00 broken zip"),
    ("notes.xyz", b"hello"),
    ("bad.vtt", b"00:00:01.000 --> 00:00:02.000\nno header\n"),
])
def test_bad_files_give_one_line_naming_the_file(cli, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    line = one_line_error(cli("import", path))
    assert str(path) in line
    assert cli.json("documents") == []


def test_bad_vtt_error_names_the_line(cli, tmp_path):
    path = tmp_path / "bad.vtt"
    path.write_text("00:00:01.000 --> 00:00:02.000\nhello\n", encoding="utf-8")
    assert f"{path}:1:" in one_line_error(cli("import", path))


def test_partial_folder_exits_1_and_lists_failures(cli, corpus):
    (corpus / "broken.txt").write_bytes(b"")
    result = cli("import", corpus)
    assert result.exit_code == 1
    assert "failed:" in result.stderr and "broken.txt" in result.stderr and "2 imported" in result.stderr
    assert len(cli.json("documents")) == 2


def test_survey_options_through_the_cli(cli, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id,role,answer\n1,Teacher,We now plan together every single week.\n", encoding="utf-8")
    assert "no column 'nope'" in one_line_error(cli("import", path, "--question", "nope"))
    assert cli("import", path, "--id-column", "id", "--question", "answer").exit_code == 0
    assert cli.json("speakers")[0]["attributes"] == {"role": "Teacher"}


def test_usage_errors(cli, tmp_path):
    assert "no document 'ghost'" in one_line_error(cli("show", "ghost"))
    assert "not inside a qualcode project" in one_line_error(_outside(cli, tmp_path))
    assert cli("documents", "--bogus").exit_code == 2
    assert "key=value" in one_line_error(cli("import", tmp_path, "--attr", "wave"))


def _outside(cli, tmp_path):
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        return cli("documents", project=False)
    finally:
        os.chdir(here)


def test_version_and_help(cli):
    assert cli("--version", project=False).stdout.startswith("qualcode ")
    assert "import" in cli("--help", project=False).stdout


@pytest.mark.parametrize("args", [("documents", "--bogus"), ("import",), ("log", "-n", "0"), ("show",)])
def test_parser_errors_are_one_line(cli, args):
    one_line_error(cli(*args))


def test_unwritable_output_is_one_line(cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    assert "cannot write" in one_line_error(cli("documents", "-o", tmp_path / "afile" / "x.json"))


def test_bare_group_prints_help_without_an_empty_error(cli):
    result = cli("attributes")
    assert "Usage" in result.stdout and "error" not in result.stderr


def test_init_logs_its_command_line(cli, tmp_path):
    from qualcode.project import open_project

    cli("init", tmp_path / "other", project=False)
    project = open_project(tmp_path / "other")
    assert project.store.log_entries()[0].command == f"qualcode init {tmp_path / 'other'}"
    project.close()


@pytest.fixture
def anonymisable(cli, corpus, tmp_path):
    (tmp_path / "roster.csv").write_text("name,aliases,role,site\nMargaret Hale,Mags,coach,St Aidan's\n", encoding="utf-8")
    (tmp_path / "terms.csv").write_text("term,category\nSt Aidan's,school\n", encoding="utf-8")
    cli("import", corpus)
    assert cli("roster", "import", tmp_path / "roster.csv").exit_code == 0
    return tmp_path / "keys" / "key.json"


def test_anonymise_review_check_and_reverse_from_the_command_line(cli, anonymisable, tmp_path):
    key = anonymisable
    result = cli("anonymise", "--key", key, "--terms", tmp_path / "terms.csv")
    assert result.exit_code == 0, result.stderr
    assert "anonymised 2 document(s)" in result.stderr and str(key) in result.stderr and result.stdout == ""
    names = [d["name"] for d in cli.json("documents")]
    assert names == ["document-001.txt", "document-002.vtt"] or names == ["document-001.vtt", "document-002.txt"]
    assert all(r["label"] in {"INT1", "A1", "B1"} for r in cli.json("speakers"))
    assert cli.json("anonymise", "review") == []
    assert cli("anonymise", "--review").exit_code == 0
    leaks = cli("check", "leaks", "--key", key)
    assert leaks.exit_code in (0, 1) and "Traceback" not in leaks.stderr
    assert cli("key", "show", "A1", "--key", key).exit_code == 0
    result = cli("anonymise", "--reverse", "--key", key)
    assert result.exit_code == 0 and "reversed: 2 document(s)" in result.stderr
    assert [d["name"] for d in cli.json("documents")] == ["w1_call.vtt", "w1_margaret.txt"]


def test_check_leaks_exits_1_with_locations_and_the_allowlist_quiets_them(cli, anonymisable):
    result = cli("check", "leaks", "--json")
    assert result.exit_code == 1 and "possible leak(s)" in result.stderr
    found = json.loads(result.stdout)
    assert {(f["where"], f["text"]) for f in found} >= {("w1_margaret.txt", "Margaret Hale"), ("document names", "margaret")}
    for leak in found:
        assert cli("check", "allow", leak["text"], "--reason", "test", "--in", leak["where"]).exit_code == 0
    assert cli("check", "leaks").exit_code == 0
    assert len(cli.json("check", "allowlist")) == len({(f["text"], f["where"]) for f in found})


@pytest.mark.parametrize("args, expected", [
    (["anonymise", "--key", "{project}/key.json"], "inside the project folder"),
    (["anonymise", "accept"], "name the finds by id"),
    (["anonymise", "reject", "1"], "no pending find with id 1"),
    (["anonymise", "--reverse", "--key", "{tmp}/none.json"], "no such key"),
    (["anonymise", "--key", "{tmp}/k.json", "--terms", "{tmp}/missing.csv"], "missing.csv"),
    (["check", "allow", "Mags"], "say why"),
    (["check", "allow", "Mags", "--reason", "x", "--in", "nowhere/here.txt"], "not a place the leak check reports"),
    (["anonymise", "--reverse", "--terms", "{tmp}/terms.csv"], "--reverse takes only --key"),
    (["anonymise", "--review", "--reverse"], "--review only lists"),
    (["check", "leaks", "--key", "{tmp}/none.json"], "no such key"),
])
def test_anonymise_and_check_bad_input_is_one_line(cli, anonymisable, tmp_path, args, expected):
    args = [a.format(project=cli.project_dir, tmp=tmp_path) for a in args]
    assert expected in one_line_error(cli(*args))


def test_review_walk_decides_one_find_at_a_time(cli, anonymisable, tmp_path):
    key = anonymisable
    (tmp_path / "more.txt").write_text("Interviewer: Anyone else?\n\nParticipant: Hope is lovely. Grace is kind. Dawn is here.\n",
                                       encoding="utf-8")
    (tmp_path / "more.csv").write_text("name\nHope Adams\nGrace Lee\nDawn Ross\n", encoding="utf-8")
    cli("import", tmp_path / "more.txt")
    cli("roster", "import", tmp_path / "more.csv")
    assert cli("anonymise", "--key", key, "--terms", tmp_path / "terms.csv").exit_code == 0
    waiting = cli.json("anonymise", "review")
    assert len(waiting) >= 2
    result = cli.runner.invoke(app, ["--project", str(cli.project_dir), "anonymise", "review", "--walk", "--key", str(key)],
                               input="x\nr\nk\n\n" + "q\n" * len(waiting))
    assert result.exit_code == 0, result.stderr
    assert "decided 2 doubtful find(s)" in result.stderr and "[1/" in result.stdout
    assert len(cli.json("anonymise", "review")) == len(waiting) - 2


def test_an_encrypted_key_needs_its_passphrase_and_says_so_without_a_terminal(cli, anonymisable, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("QUALCODE_KEY_PASSPHRASE", "correct horse")
    assert cli("anonymise", "--key", "~/keys/sealed.json", "--encrypt", "--terms", tmp_path / "terms.csv").exit_code == 0
    assert (tmp_path / "keys" / "sealed.json").read_text(encoding="utf-8").startswith('{\n "encrypted"')
    monkeypatch.delenv("QUALCODE_KEY_PASSPHRASE")
    assert "no terminal to ask at" in one_line_error(cli("anonymise", "--reverse", "--key", "~/keys/sealed.json"))
    monkeypatch.setenv("QUALCODE_KEY_PASSPHRASE", "correct horse")
    assert cli("anonymise", "--reverse", "--key", "~/keys/sealed.json").exit_code == 0


@pytest.fixture
def with_codebook(cli, corpus):
    import shutil

    from conftest import REPO

    (corpus / "w2_cover.txt").write_text("Interviewer: And time?\n\nParticipant: Cover ate our protected time.\n", encoding="utf-8")
    cli("import", corpus)
    shutil.copy(REPO / "codebooks" / "pathways.yaml", cli.project_dir / "codebook.yaml")
    return cli


def test_codebook_coding_autocode_review_index_search_suggest_memo_from_the_command_line(with_codebook, tmp_path):
    cli = with_codebook
    assert "29 codes" in cli("codebook", "check").stderr
    assert cli("codebook", "show").stdout.startswith("Time and capacity  [time]")
    assert len(cli.json("codebook", "show")) == 29
    result = cli("code", "w1_margaret", "--turn", "2", "--add", "time.cover", "--flag", "disconfirming")
    assert result.exit_code == 0 and "coded time.cover" in result.stderr
    assert cli("autocode").exit_code == 0
    assert cli("review", "--accept").exit_code == 2  # no terminal to confirm at, and no --yes
    assert cli("review", "--list").exit_code == 0
    assert cli("review", "--accept", "--yes").exit_code == 0
    index = cli.json("index", "--code", "time.cover")
    assert {(e["document"], e["turn"], e["status"]) for e in index} == {("w1_margaret.txt", 2, "accepted"), ("w2_cover.txt", 2, "accepted")}
    assert cli.json("search", "slowly")[0]["text"] == "Slowly"
    assert "declined" in cli("suggest").stdout
    assert cli("memo", "add", "Cover everywhere", "--code", "time.cover").exit_code == 0
    assert cli.json("memo", "list")[0]["about"] == "Time and capacity > Cover eating into coaching"
    assert "not written" in one_line_error(cli("codings", "export", "-o", tmp_path / "c.jsonl"))  # quotes name Margaret
    assert cli("codings", "export", "-o", tmp_path / "c.jsonl", "--no-leak-check").exit_code == 0
    assert cli("codebook", "export", "-o", tmp_path / "c.qdc").exit_code == 0
    assert cli("codebook", "rename", "time.cover", "Cover for absence").exit_code == 0


@pytest.mark.parametrize("args, expected", [
    (["code", "w1_margaret", "--turn", "1"], "say what to do there: --add CODE or --remove CODE"),
    (["code", "w1_margaret", "--turn", "1", "--add", "nope"], "no code 'nope'"),
    (["code", "w1_margaret", "--turn", "1", "--add", "time.cover", "--flag", "odd"], "--flag odd"),
    (["search", "(", "--mode", "regex"], "not a regular expression"),
    (["review", "--accept", "--reject"], "choose --accept or --reject"),
    (["suggest", "--threshold", "2"], "--threshold"),
    (["memo", "add", "x", "--date", "2025-01-01"], "--date goes with --diary"),
    (["codebook", "export", "-o", "{tmp}/x.pdf"], "choose a .qdc"),
    (["codings", "import", "{tmp}/missing.csv"], "missing.csv"),
    (["codebook", "merge", "time", "time"], "two different codes"),
])
def test_coding_bad_input_is_one_line(with_codebook, tmp_path, args, expected):
    args = [a.format(tmp=tmp_path) for a in args]
    assert expected in one_line_error(with_codebook(*args))


def test_a_broken_codebook_is_one_line_naming_line_and_column(with_codebook):
    (with_codebook.project_dir / "codebook.yaml").write_text("codes:\n  - id: a\n    scope: x\n", encoding="utf-8")
    assert "codebook.yaml:3:5: scope 'x'" in one_line_error(with_codebook("autocode"))
    result = with_codebook("codebook", "check")
    assert result.exit_code == 2 and "codebook.yaml:3:5: scope 'x'" in result.stderr
