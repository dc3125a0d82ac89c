"""Withdrawal removes a participant's words and nothing else."""

from __future__ import annotations

import pytest

from qualcode.corpus import turns
from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.speakers import assign_codes
from qualcode.withdraw import WITHDRAWN, withdraw


@pytest.fixture
def coded(project, tmp_path):
    (tmp_path / "a.txt").write_text("Intro line\n\nInterviewer: How was it?\nZelda: Quixotic marmalade.\nSecond line.\n"
                                    "Interviewer: And?\nOmar: Fine.\nInterviewer: Thanks.", encoding="utf-8")
    import_paths(project, [str(tmp_path / "a.txt")], ImportOptions())
    codes = {a.labels: a.code for a in assign_codes(project, tmp_path / "keys" / "k.json", seed=1)[1]}
    return project, codes


def test_withdraw_replaces_only_their_turns_and_keeps_offsets_true(coded):
    project, codes = coded
    before = {v.seq: v for v in turns(project, "a")[1]}
    done = withdraw(project, codes["a.txt:Zelda"])
    assert (done.documents, done.turns) == (["a.txt"], 1)
    after = {v.seq: v for v in turns(project, "a")[1]}
    text = project.store.document_text(1)
    assert after[3].text == WITHDRAWN and after[3].speaker_label == "Zelda"
    assert all(after[s].text == before[s].text for s in before if s != 3)
    assert all(text[v.start:v.end] == v.text for v in after.values())
    assert "Quixotic" not in text
    assert withdraw(project, codes["a.txt:Zelda"]).turns == 0


def test_withdrawn_words_are_gone_from_the_files_on_disk(coded):
    project, codes = coded
    withdraw(project, codes["a.txt:Zelda"])
    project.close()
    raw = b"".join(path.read_bytes() for path in project.root.iterdir() if path.is_file())
    assert b"Quixotic" not in raw and b"marmalade" not in raw


def test_withdraw_errors(coded):
    project, codes = coded
    with pytest.raises(UsageError, match="no person has the code 'Z9'"):
        withdraw(project, "Z9")


def test_withdraw_through_the_cli(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: q\nZelda: Quixotic.\nInterviewer: q", encoding="utf-8")
    cli("import", tmp_path / "a.txt")
    cli("speakers", "assign", "--key", tmp_path / "k.json", "--seed", "1")
    code = next(r["code"] for r in cli.json("speakers") if r["label"] == "Zelda")
    result = cli("withdraw", code, "--yes")
    assert result.exit_code == 0 and "1 turn(s) withdrawn" in result.stderr
    assert [t["text"] for t in cli.json("show", "a")] == ["q", WITHDRAWN, "q"]


def test_their_words_quoted_in_the_log_and_memos_go_too(project, tmp_path):
    from qualcode.coding import Location, code_document
    from qualcode.memo import add_memo, memos

    said = "The marmalade committee met every single Tuesday without fail"
    (tmp_path / "a.txt").write_text(f"Interviewer: How was it?\n\nZelda: {said}.\n\nOmar: Fine, it was fine.\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "a.txt")], ImportOptions())
    codes = {a.labels: a.code for a in assign_codes(project, tmp_path / "keys" / "k.json", seed=1)[1]}
    (project.root / "codebook.yaml").write_text("codes:\n  - id: t\n    label: Time\n", encoding="utf-8")
    code_document(project, "a", "t", Location(turn=2))
    coding = project.store.codings()[0]["id"]
    add_memo(project, "lovely", coding=coding)
    add_memo(project, f"Zelda said '{said.lower()}' and we laughed; Omar said it was fine, it was fine.")
    with project.store.unit_of_work():
        project.store.log_change("quote", "Q1", f"confirmed: {said}")
    withdraw(project, codes["a.txt:Zelda"])
    texts = [m.text for m in memos(project)]
    assert texts == [f"Zelda said '{WITHDRAWN}' and we laughed; Omar said it was fine, it was fine."]
    details = [detail for _, detail in project.store.log_texts()[1].values()]
    assert f"confirmed: {WITHDRAWN}" in details and [d for d in details if "marmalade" in d] == []
