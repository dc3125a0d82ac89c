"""The allowlist: hits the leak check accepts on purpose, with who, where and why."""

from __future__ import annotations

import pytest

from qualcode.checks.allowlist import allow, disallow, entries
from qualcode.checks.leaks import check_leaks
from qualcode.errors import UsageError

from conftest import by_where


def test_the_allowlist_accepts_hits_on_purpose_with_who_and_why(study):
    project, _ = study
    assert allow(project, "Kingsmead", "the school is named in the report with its consent")
    assert not allow(project, "Kingsmead", "again")
    allow(project, "07700 900123", "the project's public helpline", scope="a.txt")
    assert by_where(check_leaks(project))["a.txt"] == ["Margaret Hale", "Will"]
    assert [(e["text"], e["coder"]) for e in entries(project)] == [("07700 900123", "tester"), ("Kingsmead", "tester")]
    assert disallow(project, "07700 900123", "a.txt") and not disallow(project, "07700 900123", "a.txt")
    with pytest.raises(UsageError, match="say why"):
        allow(project, "Mags", " ")
    with pytest.raises(UsageError, match="not a place the leak check reports"):
        allow(project, "Mags", "x", scope="nowhere/here.txt")
