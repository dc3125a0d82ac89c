"""The installed `qualcode` console script, run as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def qualcode_executable() -> str:
    beside_python = Path(sys.executable).with_name("qualcode")
    found = str(beside_python) if beside_python.exists() else shutil.which("qualcode")
    if not found:
        pytest.skip("qualcode is not installed in this environment (pip install -e .)")
    return found


def run(*args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([qualcode_executable(), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_installed_command_imports_the_demo_transcripts(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "QUALCODE_CODER": "ci"}
    assert run("init", "study", cwd=tmp_path, env=env).returncode == 0
    study = tmp_path / "study"
    result = run("import", REPO / "transcripts", cwd=study, env=env)
    assert result.returncode == 0, result.stderr
    documents = json.loads(run("documents", "--json", cwd=study, env=env).stdout)
    formats = {d["format"] for d in documents}
    assert {"text", "docx", "vtt", "zoom", "survey-csv"} <= formats
    assert all(d["attributes"].get("wave") in {"1", "2"} for d in documents)
    bad = run("show", "no-such-document", cwd=study, env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_installed_command_anonymises_and_reverses_the_demo(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "QUALCODE_CODER": "ci"}
    run("init", "study", cwd=tmp_path, env=env)
    study, key = tmp_path / "study", tmp_path / "keys" / "study-key.json"
    run("import", REPO / "transcripts", cwd=study, env=env)
    assert run("roster", "import", REPO / "transcripts" / "roster.csv", cwd=study, env=env).returncode == 0
    result = run("anonymise", "--key", key, "--terms", REPO / "transcripts" / "terms.csv", cwd=study, env=env)
    assert result.returncode == 0, result.stderr
    assert all(d["name"].startswith("document-") for d in json.loads(run("documents", "--json", cwd=study, env=env).stdout))
    leaks = run("check", "leaks", "--key", key, "--json", cwd=study, env=env)
    assert leaks.returncode in (0, 1) and all(f["category"] in {"identifying-code", "person"} for f in json.loads(leaks.stdout))
    assert run("anonymise", "--reverse", "--key", key, cwd=study, env=env).returncode == 0
    assert "w1_01_coach_interview.txt" in run("documents", cwd=study, env=env).stdout


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "qualcode", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("qualcode ")
