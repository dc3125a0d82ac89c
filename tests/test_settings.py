"""Settings precedence: options > environment > user config > project file > defaults."""

from __future__ import annotations

import pytest

from qualcode.errors import ProjectError
from qualcode.settings import load_settings, user_config_path


def write_user_config(text: str) -> None:
    path = user_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_coder_precedence(project_dir, monkeypatch):
    monkeypatch.delenv("QUALCODE_CODER")
    (project_dir / "qualcode.toml").write_text('[user]\ncoder = "from-project"\n', encoding="utf-8")
    assert load_settings(project_dir).coder == "from-project"
    write_user_config('[user]\ncoder = "from-user"\n')
    assert load_settings(project_dir).coder == "from-user"
    monkeypatch.setenv("QUALCODE_CODER", "from-env")
    assert load_settings(project_dir).coder == "from-env"
    assert load_settings(project_dir, {"coder": "from-option"}).coder == "from-option"


def test_login_name_is_the_last_resort(monkeypatch, tmp_path):
    monkeypatch.delenv("QUALCODE_CODER")
    assert load_settings(None).coder


def test_project_settings_extend_interviewer_labels(project_dir):
    text = (project_dir / "qualcode.toml").read_text(encoding="utf-8").replace("interviewer_labels = []", 'interviewer_labels = ["Dan"]')
    (project_dir / "qualcode.toml").write_text(text, encoding="utf-8")
    assert "Dan" in load_settings(project_dir).interviewer_labels


def test_broken_toml_names_the_file_and_line(project_dir):
    (project_dir / "qualcode.toml").write_text("[import\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"qualcode.toml: .*line 1"):
        load_settings(project_dir)


@pytest.mark.parametrize("value, message", [('"Dan"', "must be a list of strings"), ('["(oops"]', "not a regular expression")])
def test_bad_interviewer_labels_name_the_file(project_dir, value, message):
    path = project_dir / "qualcode.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("interviewer_labels = []", f"interviewer_labels = {value}"), encoding="utf-8")
    with pytest.raises(ProjectError, match=message) as error:
        load_settings(project_dir)
    assert str(error.value).startswith(str(path))


@pytest.mark.parametrize("name, problem", [("", "--coder: give a name"), ("ann,ben", "cannot hold a comma"),
                                           ("Consensus", "kept for the codings adjudication makes")])
def test_coder_names_that_cannot_work_are_refused(cli, name, problem):
    result = cli("--coder", name, "documents")
    assert result.exit_code == 2 and problem in result.stderr, result.stderr
