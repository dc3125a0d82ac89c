"""Creating and finding projects."""

from __future__ import annotations

import pytest

from qualcode.errors import ProjectError
from qualcode.project import find_project_root, init_project, open_project


def test_init_makes_the_project_files(tmp_path):
    root = init_project(tmp_path / "study")
    assert {p.name for p in root.iterdir()} >= {"qualcode.toml", "qualcode.db", "exports", "codebook.yaml"}
    with pytest.raises(ProjectError, match="already here"):
        init_project(root)


def test_found_like_git_from_a_subfolder(project_dir):
    nested = project_dir / "exports" / "deep"
    nested.mkdir(parents=True)
    assert find_project_root(start=nested) == project_dir


def test_explicit_and_environment_choices(project_dir, tmp_path, monkeypatch):
    assert find_project_root(project_dir) == project_dir
    monkeypatch.setenv("QUALCODE_PROJECT", str(project_dir))
    assert find_project_root(start=tmp_path) == project_dir
    with pytest.raises(ProjectError, match="no qualcode project here"):
        find_project_root(tmp_path)


def test_outside_any_project(tmp_path):
    with pytest.raises(ProjectError, match="qualcode init"):
        find_project_root(start=tmp_path)


def test_open_project_uses_the_coder_option(project_dir):
    project = open_project(project_dir, {"coder": "ana"})
    assert project.settings.coder == "ana" and project.store.invocation.coder == "ana"
    project.close()


def test_a_missing_database_is_reported_not_recreated(project_dir):
    (project_dir / "qualcode.db").unlink()
    project = open_project(project_dir)
    with pytest.raises(ProjectError, match="qualcode.db: missing"):
        project.store
    assert not (project_dir / "qualcode.db").exists()
