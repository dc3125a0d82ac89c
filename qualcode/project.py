"""A qualcode project on disk: finding it like git does, creating it, and opening its store."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import ProjectError
from .settings import (CODEBOOK_FILE, DATABASE_FILE, EXPORTS_DIR, PROJECT_FILE, PROJECT_TEMPLATE, Settings,
                       load_settings, user_config_path)
from .store import Invocation, Store, create_database

EMPTY_CODEBOOK = """\
# The project's codebook: themes, sub-themes and descriptors, edited by hand or with `qualcode codebook`.
codes: []
"""


@dataclass
class Project:
    root: Path
    settings: Settings
    command: str = "qualcode"
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            if not (self.root / DATABASE_FILE).is_file():
                raise ProjectError(f"{self.root / DATABASE_FILE}: missing; restore it from a backup (qualcode.db.v*.bak), or run `qualcode init` in a new folder")
            invocation = Invocation(coder=self.settings.coder, command=self.command, version=__version__)
            self._store = Store(self.root / DATABASE_FILE, invocation)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def init_project(directory: Path, command: str = "qualcode init") -> Path:
    """Create `qualcode.toml`, `qualcode.db`, `exports/` and an empty codebook in `directory`."""
    directory = directory.resolve()
    if (directory / PROJECT_FILE).exists():
        raise ProjectError(f"{directory / PROJECT_FILE}: a project is already here; use it, or choose another folder")
    if directory.exists() and not directory.is_dir():
        raise ProjectError(f"{directory}: not a folder")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / EXPORTS_DIR).mkdir(exist_ok=True)
    codebook = directory / CODEBOOK_FILE
    if not codebook.exists():
        codebook.write_text(EMPTY_CODEBOOK, encoding="utf-8")
    settings = load_settings(None)
    create_database(directory / DATABASE_FILE, Invocation(settings.coder, command, __version__))
    # Written last: its presence is what marks a finished project.
    (directory / PROJECT_FILE).write_text(PROJECT_TEMPLATE.replace("{user_config}", str(user_config_path())), encoding="utf-8")
    return directory


def find_project_root(explicit: Path | None = None, start: Path | None = None) -> Path:
    """`--project`, then `QUALCODE_PROJECT`, then the current folder or the nearest parent with a project."""
    chosen = explicit or (Path(os.environ["QUALCODE_PROJECT"]) if os.environ.get("QUALCODE_PROJECT") else None)
    if chosen is not None:
        if not (chosen / PROJECT_FILE).is_file():
            raise ProjectError(f"{chosen}: no qualcode project here (no {PROJECT_FILE}); run `qualcode init {chosen}`")
        return chosen.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ProjectError(f"{here}: not inside a qualcode project; run `qualcode init`, or pass --project DIR")


def open_project(explicit: Path | None = None, options: dict | None = None, command: str = "qualcode") -> Project:
    root = find_project_root(explicit)
    return Project(root, load_settings(root, options), command)
