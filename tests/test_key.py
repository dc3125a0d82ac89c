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
