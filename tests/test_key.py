"""The key: outside the project, owner-only, for this project only."""

from __future__ import annotations

import json
import stat

import pytest

from qualcode.errors import UsageError
from qualcode.key import check_location, read_key, write_key


def test_key_must_live_outside_the_project(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    with pytest.raises(UsageError, match="inside the project"):
        check_location(project / "keys" / "k.json", project)
    assert check_location(tmp_path / "k.json", project) == tmp_path / "k.json"


def test_written_owner_only_and_read_back(tmp_path):
    path = tmp_path / "keys" / "k.json"
    write_key(path, {"version": 1, "project": "p1", "seed": 5})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_key(path, "p1")["seed"] == 5
    assert read_key(tmp_path / "new.json", "p1") == {"version": 1, "project": "p1"}


@pytest.mark.parametrize("content, message", [("not json", "not a readable"), (json.dumps({"version": 9}), "not a qualcode key"),
                                              (json.dumps({"version": 1, "project": "other"}), "another project")])
def test_wrong_keys_are_refused(tmp_path, content, message):
    path = tmp_path / "k.json"
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        read_key(path, "p1")


def test_encrypted_key_round_trip_and_wrong_passphrase(tmp_path):
    from qualcode.key import is_encrypted

    path = tmp_path / "k.json"
    write_key(path, {"version": 1, "project": "p1", "seed": 5, "codes": {"1": "A1"}}, passphrase="correct horse")
    text = path.read_text()
    # Quoted, because the ciphertext's base64 may contain the bare letters by chance.
    assert is_encrypted(path) and '"A1"' not in text and '"seed"' not in text
    assert read_key(path, "p1", "correct horse")["codes"] == {"1": "A1"}
    with pytest.raises(UsageError, match="wrong passphrase"):
        read_key(path, "p1", "battery staple")
    with pytest.raises(UsageError, match="encrypted; give its passphrase"):
        read_key(path, "p1")


def test_assign_with_an_encrypted_key_through_the_cli(cli, tmp_path, monkeypatch):
    (tmp_path / "t.txt").write_text("Interviewer: q\nAnn: a\nInterviewer: q", encoding="utf-8")
    cli("import", tmp_path / "t.txt")
    key = tmp_path / "keys" / "k.json"
    monkeypatch.setenv("QUALCODE_KEY_PASSPHRASE", "s3cret words")
    assert cli("speakers", "assign", "--key", key, "--encrypt").exit_code == 0
    assert '"INT1"' not in key.read_text()
    assert cli("speakers", "assign", "--key", key).exit_code == 0  # encrypted key detected, passphrase from the environment
    monkeypatch.setenv("QUALCODE_KEY_PASSPHRASE", "wrong")
    result = cli("speakers", "assign", "--key", key)
    assert result.exit_code == 2 and "wrong passphrase" in result.stderr


def test_key_show_tells_who_has_a_code(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: q\nMargaret Hale: a\nInterviewer: q", encoding="utf-8")
    (tmp_path / "r.csv").write_text("name,aliases,role\nMargaret Hale,Mags,coach\n", encoding="utf-8")
    cli("import", tmp_path / "a.txt")
    cli("roster", "import", tmp_path / "r.csv")
    key = tmp_path / "keys" / "k.json"
    cli("speakers", "assign", "--key", key, "--seed", "3")
    code = next(r["code"] for r in cli.json("speakers") if r["label"] == "Margaret Hale")
    shown = cli.json("key", "show", code, "--key", key)
    assert [(s["name"], s["labels"]) for s in shown] == [("Margaret Hale", "a.txt:Margaret Hale")]
    missing = cli("key", "show", "ZZ9", "--key", key)
    assert missing.exit_code == 2 and "no one the code 'ZZ9'" in missing.stderr
    assert cli("key", "show", code, "--key", tmp_path / "nokey.json").exit_code == 2
    # After anonymising, the labels and file name are the key's to tell, for people on no roster too.
    assert cli("anonymise", "--key", key).exit_code == 0
    interviewer = next(r["code"] for r in cli.json("speakers") if r["role"] == "interviewer")
    assert [(s["name"], s["labels"]) for s in cli.json("key", "show", interviewer, "--key", key)] == [(None, "a.txt:Interviewer")]
    assert [s["labels"] for s in cli.json("key", "show", code, "--key", key)] == ["a.txt:Margaret Hale"]
