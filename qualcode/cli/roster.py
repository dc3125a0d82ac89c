"""`qualcode roster`: who the people are, and which labels are theirs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import open_project_for
from .render import Column, emit, message, warning

app = typer.Typer(help="The roster of people: names, aliases, roles, sites, waves; bare, lists it.", invoke_without_command=True)


@app.callback()
def roster(ctx: typer.Context, json_flag: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False) -> None:
    """List roster people with their aliases, attributes and linked labels."""
    if ctx.invoked_subcommand is not None:
        return
    from ..roster import roster as roster_entries

    project = open_project_for(ctx)
    rows = [{"person": r["person_id"], "name": r["name"], "aliases": "; ".join(r["aliases"]), "attributes": r["attributes"],
             "labels": r["labels"]} for r in roster_entries(project)]
    columns = [Column("person", "person", "right"), Column("name", "name", no_wrap=True), Column("aliases", "aliases"),
               Column("attributes", "attributes"), Column("labels", "labels")]
    emit(rows, columns, fmt="json" if json_flag else "table")


@app.command("import")
def import_(ctx: typer.Context, sheet: Annotated[Path, typer.Argument(help="CSV/XLSX: name, aliases, role, site, wave, group, other columns.", dir_okay=False)]) -> None:
    """Add or update people from a roster and link the speaker labels that are their names or aliases."""
    from ..roster import import_roster

    project = open_project_for(ctx)
    report = import_roster(project, sheet)
    for where in report.ambiguous:
        warning(f"{where} matches more than one roster person; link it by hand with `qualcode speakers link`")
    message(f"roster: {report.added} added, {report.updated} updated; {len(report.linked)} label(s) linked")


@app.command("remove")
def remove(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The name as on the roster.")]) -> None:
    """Take someone off the roster (added by mistake); labels linked to them stay one unnamed person."""
    from ..roster import remove as remove_person

    person = remove_person(open_project_for(ctx), name)
    message(f"removed {name!r} (person {person}) from the roster")
