"""Shared fixtures: an isolated project per test, the real-world corpora, and a CLI runner."""

from __future__ import annotations

import json
import shutil
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.coding import Location, code_document
from qualcode.ingest import ImportOptions, import_paths
from qualcode.project import init_project, open_project
from qualcode.roster import import_roster
from qualcode.speakers import assign_codes

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "transcripts"
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

    def __call__(self, *args: str, project: bool = True, input: str | None = None):
        argv = (["--project", str(self.project_dir)] if project else []) + [str(a) for a in args]
        return self.runner.invoke(app, argv, catch_exceptions=False, input=input)

    def json(self, *args: str):
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli(project_dir) -> Cli:
    return Cli(project_dir)


def snapshot(project) -> dict:
    """Everything anonymising touches and reversing must put back, as plain data."""
    conn = project.store.conn
    queries = {
        "documents": "SELECT id, name, source_path, relpath, text FROM documents ORDER BY id",
        "attributes": "SELECT * FROM document_attributes ORDER BY document_id, key",
        "speakers": "SELECT document_id, label, person_id, attributes FROM speakers ORDER BY document_id, label",
        "turns": 'SELECT document_id, seq, label_start, label_end, start, "end", question, n_words,'
                 " (SELECT label FROM speakers s WHERE s.id = speaker_id) FROM turns ORDER BY document_id, seq",
        "people": "SELECT id, role, attributes FROM people ORDER BY id",
        "roster": "SELECT * FROM roster ORDER BY person_id",
    }
    return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}


@pytest.fixture
def demo(project, tmp_path):
    import_paths(project, [str(DEMO)], ImportOptions())
    import_roster(project, DEMO / "roster.csv")
    return project, tmp_path / "keys" / "demo-key.json"


@pytest.fixture
def study(project, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: Who runs it?\n\nParticipant: Margaret Hale does, at Kingsmead. Ring 07700 900123.\n"
                                    "Will you come? Will said he would.\n", encoding="utf-8")
    (tmp_path / "roster.csv").write_text("name,aliases,site\nMargaret Hale,Mags,Kingsmead\nWill Price,,Kingsmead\n", encoding="utf-8")
    (tmp_path / "terms.csv").write_text("term,category\nKingsmead,school\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "a.txt")], ImportOptions())
    import_roster(project, tmp_path / "roster.csv")
    return project, tmp_path / "keys" / "key.json"


def by_where(leaks):
    found = {}
    for leak in leaks:
        found.setdefault(leak.where, []).append(leak.text)
    return found


TRANSCRIPT = """Interviewer: How has coaching gone this term?

Jo: The coaches were covering classes, so coaching stopped. We had no protected times at all.
Honestly the cover list ate everything.

Interviewer: And feedback from observations?

Jo: Feedbak was honest. It really helped my confidence.

Interviewer: What about funding next year?

Jo: The budget is gone. I hope we carry on somehow.
"""


def suggested(project, code: str) -> list[str]:
    return [c["quote"] for c in project.store.codings(code=code) if c["status"] == "suggested"]


@pytest.fixture
def interview(project, tmp_path):
    (tmp_path / "t.txt").write_text(TRANSCRIPT, encoding="utf-8")
    import_paths(project, [str(tmp_path / "t.txt")], ImportOptions())
    return project


def write_codebook(project, body: str) -> None:
    (project.root / "codebook.yaml").write_text("codes:\n" + body, encoding="utf-8")


GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    """Compare output with tests/golden/NAME; QUALCODE_UPDATE_GOLDEN=1 rewrites the file (then read the diff)."""
    path = GOLDEN / name
    if os.environ.get("QUALCODE_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing; run with QUALCODE_UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8")


CODEBOOK = """\
codes:
  - id: t
    label: Time
    codes:
      - id: t.a
        label: Cover
      - id: t.b
        label: Workload
  - id: u
    label: Outputs
    codes:
      - id: u.x
        label: Resources made
        count_as: actions
"""

WAVE_1 = "Interviewer: How is it going?\n\nAnn: Cover ate our time.\n\nBob: Marking too.\n\nDee: We made a toolkit.\n"
WAVE_2 = "Interviewer: And now?\n\nAnn: Still cover.\n\nCat: Workload is heavy.\n\nInterviewer: Anything made?\n\nCat: Two guides.\n"


@pytest.fixture
def waves(project, tmp_path):
    """Two waves: Ann in both, Bob in wave 1, Cat in wave 2; Dee is project staff with the group code PC."""
    for name, text, wave in (("w1.txt", WAVE_1, "1"), ("w2.txt", WAVE_2, "2")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        import_paths(project, [str(tmp_path / name)], ImportOptions(attributes=[f"wave={wave}"]))
    (tmp_path / "roster.csv").write_text("name,aliases,site,group\nAnn Ashby,Ann,North,\nBob Bell,Bob,North,\n"
                                         "Cat Cole,Cat,South,\nDee Dunn,Dee,South,project staff\n", encoding="utf-8")
    import_roster(project, tmp_path / "roster.csv")
    toml = project.root / "qualcode.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[codes.groups]", '[codes.groups]\n"project staff" = "PC"\n#', 1),
                    encoding="utf-8")
    project = open_project(project.root, command="pytest")
    assign_codes(project, tmp_path / "keys" / "k.json", seed=1)
    (project.root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    for document, turn, code, action in [("w1", 2, "t.a", None), ("w1", 2, "t.b", None), ("w1", 3, "t.b", None),
                                         ("w1", 1, "t.a", None), ("w1", 4, "t.a", None), ("w1", 4, "u.x", "toolkit"),
                                         ("w2", 2, "t.a", None), ("w2", 3, "t.b", None), ("w2", 5, "u.x", "guides"),
                                         ("w2", 5, "u.x", "guides")]:
        code_document(project, document, code, Location(turn=turn), action=action)
    yield project
    project.close()


@pytest.fixture
def autocoded(project):
    """The demo transcripts with the demo codebook's suggestions, nothing accepted yet."""
    from qualcode.autocode import autocode

    import_paths(project, [str(DEMO)], ImportOptions())
    shutil.copy(REPO / "codebooks" / "pathways.yaml", project.root / "codebook.yaml")
    autocode(project)
    return project
