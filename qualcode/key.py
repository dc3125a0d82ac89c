"""The anonymisation key: everything needed to re-identify, kept outside the project.

A JSON file, mode 0600, at a path the user chooses outside the project folder, so the project can be
shared or committed without it. It names the project it belongs to, and holds the code allocation seed
and which person got which code (and, as anonymisation lands, the original names and spans).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import UsageError

KEY_VERSION = 1


def check_location(path: Path, project_root: Path) -> Path:
    """The key's absolute path, refused when it is inside the project (where it would be shared)."""
    path = path.expanduser().resolve()
    if path == project_root or project_root in path.parents:
        raise UsageError(f"key {path}: inside the project folder, which is meant to be shared; keep the key elsewhere, e.g. ~/keys/")
    return path


def read_key(path: Path, project_id: str) -> dict:
    """A key for this project, or a fresh one when the file does not exist yet."""
    if not path.exists():
        return {"version": KEY_VERSION, "project": project_id}
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a readable qualcode key ({error}); check the path, or restore the key from its backup") from None
    if not isinstance(key, dict) or key.get("version") != KEY_VERSION:
        raise UsageError(f"{path}: not a qualcode key (version {KEY_VERSION}); check the path")
    if key.get("project") != project_id:
        raise UsageError(f"{path}: the key of another project; use this project's key")
    return key


def write_key(path: Path, key: dict) -> None:
    """Write whole or not at all, readable by its owner only."""
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(key, handle, ensure_ascii=False, indent=1, sort_keys=True)
        os.chmod(partial, 0o600)
        partial.replace(path)
    except OSError as error:
        if partial.is_file():
            partial.unlink()
        raise UsageError(f"key {path}: cannot write ({error.strerror or error}); choose a writable file path outside the project") from None
