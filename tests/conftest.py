"""Shared fixtures: an isolated project per test, the real-world corpora, and a CLI runner."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.project import init_project, open_project

REPO = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("QUALCODE_CORPORA", REPO.parent / "shared" / "corpora"))


@pytest.fixture(autouse=True)
def isolated_user(tmp_path_factory, monkeypatch):
    """No test reads the developer's own config, coder name or project."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("QUALCODE_CODER", "tester")
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"real-world corpora not found at {CORPORA} (set QUALCODE_CORPORA)")
    return CORPORA


@pytest.fixture
def expected(corpora) -> dict:
    return json.loads((corpora / "expected_figures.json").read_text(encoding="utf-8"))


@pytest.fixture
def project_dir(tmp_path) -> Path:
    return init_project(tmp_path / "project")


@pytest.fixture
def project(project_dir):
    project = open_project(project_dir, command="pytest")
    yield project
    project.close()


class Cli:
    """Runs `qualcode` in-process against one project, stdout and stderr kept apart."""

    def __init__(self, project_dir: Path):
        self.project_dir = project_dir
        self.runner = CliRunner()

    def __call__(self, *args: str, project: bool = True):
        argv = (["--project", str(self.project_dir)] if project else []) + [str(a) for a in args]
        return self.runner.invoke(app, argv, catch_exceptions=False)

    def json(self, *args: str):
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli(project_dir) -> Cli:
    return Cli(project_dir)
