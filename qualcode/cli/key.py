"""`qualcode key`: questions answered from the key, which lives outside the project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .render import Column, emit

app = typer.Typer(help="Answer questions from the key (kept outside the project).", no_args_is_help=True)

KeyOption = Annotated[Optional[Path], typer.Option(
    "--key", help="The key file, outside the project (default: $QUALCODE_KEY or \\[user] key in your user config).", dir_okay=False)]
NoLeakCheckOption = Annotated[bool, typer.Option(
    "--no-leak-check", help="Write without the leak check (when the key is not at hand); the output's methods note and the log say so.")]


def guard(key: Path | None, no_leak_check: bool):
    """How an export is checked for names before it is written."""
    from ..errors import UsageError
    from ..export import Guard

    if key is not None and no_leak_check:
        raise UsageError("--key and --no-leak-check: choose one (with the key, the export is checked)")

    return Guard(key, no_leak_check)


def key_passphrase(project, key: Path | None, encrypt: bool) -> str | None:
    """The key's passphrase: needed for an encrypted key, or to encrypt a new one; from the environment or asked."""
    import os

    from ..key import is_encrypted

    import sys

    from ..errors import UsageError

    chosen = key or project.settings["key"]
    path = Path(chosen).expanduser() if chosen else None
    if not encrypt and not (path and is_encrypted(path)):
        return None
    if os.environ.get("QUALCODE_KEY_PASSPHRASE"):
        return os.environ["QUALCODE_KEY_PASSPHRASE"]
    if not sys.stdin.isatty():
        raise UsageError("the key's passphrase is needed and there is no terminal to ask at; set QUALCODE_KEY_PASSPHRASE")
    return typer.prompt("Key passphrase", hide_input=True, confirmation_prompt=encrypt and not (path and path.exists()))


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="A speaker code, e.g. B2.")],
    key: KeyOption = None,
    json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Who has this code: one person's identity, without reversing the project."""
    from ..speakers import identify

    project = open_project_for(ctx)
    found = identify(project, code, key, key_passphrase(project, key, encrypt=False))
    rows = [{"code": i.code, "person": i.person, "name": i.name, "labels": i.labels, "attributes": i.attributes} for i in found]
    columns = [Column("code", "code"), Column("person", "person", "right"), Column("name", "name"), Column("labels", "labels"),
               Column("attributes", "attributes")]
    emit(rows, columns, fmt="json" if json_flag else "table")
