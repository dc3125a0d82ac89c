"""Commands for the project and its corpus: init, import, documents, show, attributes, log."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import command_line, open_project_for
from .options import CsvOption, ForceOption, FormatOption, JsonOption, OutputOption
from .key import KeyOption, NoLeakCheckOption, guard
from .render import Column, ProgressBar, choose_format, emit, guarded_emit, message, warning


attributes_app = typer.Typer(help="Document attributes (site, wave, source, date ...) for breaking tallies down.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_)
    app.command("documents")(documents)
    app.command("show")(show)
    app.add_typer(attributes_app, name="attributes")
    app.command("log")(log)
    app.command("withdraw")(withdraw)


def init(ctx: typer.Context, directory: Annotated[Path, typer.Argument(help="Folder for the project (created if missing).")] = Path(".")) -> None:
    """Create a project: qualcode.toml, qualcode.db, exports/ and an empty codebook."""
    from ..project import init_project

    root = init_project(directory, command_line(ctx))
    message(f"created a qualcode project in {root}")


def import_(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs ('transcripts/**/*.vtt').")],
    replace: Annotated[bool, typer.Option("--replace", help="Import a changed file over the document of the same name.")] = False,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Read every file as this format instead of detecting it.")] = None,
    label_pattern: Annotated[Optional[str], typer.Option("--label-pattern", help="Regex with (?P<label>...) for an unusual speaker-label style.")] = None,
    attr: Annotated[Optional[list[str]], typer.Option("--attr", help="Attribute for every imported document, key=value (repeatable).")] = None,
    attributes: Annotated[Optional[Path], typer.Option("--attributes", help="Attribute sheet (CSV/XLSX with a 'document' column).", dir_okay=False)] = None,
    id_column: Annotated[Optional[str], typer.Option("--id-column", help="Survey column holding respondent ids.")] = None,
    question: Annotated[Optional[list[str]], typer.Option("--question", help="Survey column holding open-ended answers (repeatable).")] = None,
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="XLSX worksheet to read (default: the first).")] = None,
    json_flag: JsonOption = False,
) -> None:
    """Import transcripts: text, Markdown, Word, ODT, RTF, PDF, VTT/SRT/SBV captions, Zoom, CSV/XLSX surveys.

    Each file is one transaction. A folder with broken files imports the others, lists each failure
    and exits 1. A documents.csv/.xlsx found in an imported folder sets document attributes.
    """
    from ..ingest import ImportOptions, import_paths
    from ..errors import PartialFailure, QualcodeError

    project = open_project_for(ctx)
    options = ImportOptions(replace=replace, format=fmt, label_pattern=label_pattern, attributes=attr or [],
                            attribute_sheet=attributes, id_column=id_column, question_columns=tuple(question or ()), sheet=sheet)
    with ProgressBar("importing") as bar:
        report = import_paths(project, paths, options, on_file=lambda source, total: bar.advance(total, source.name))
    if len(report.outcomes) == 1 and report.failed:
        raise QualcodeError(report.failed[0].error)
    for outcome in report.outcomes:
        for text in outcome.warnings:
            warning(f"{outcome.path}: {text}")
        if outcome.error:
            message(f"failed: {outcome.error}")
    if report.skipped:
        message(f"skipped {len(report.skipped)} file(s) that are not transcripts: " + ", ".join(Path(s).name for s in report.skipped))
    for name in report.unknown_sheet_rows:
        warning(f"attribute sheet names {name!r}, which is not an imported document")
    if json_flag:
        emit([], [], fmt="json", json_data=[_outcome_json(o) for o in report.outcomes])
    if report.anonymised_project:
        warning("this project is anonymised: the new text keeps its names until `qualcode anonymise` runs again")
    counts = {status: sum(o.status == status for o in report.outcomes) for status in ("imported", "replaced", "unchanged", "failed")}
    message(", ".join(f"{n} {status}" for status, n in counts.items() if n) or "nothing to import")
    if report.failed and len(report.failed) == len(report.outcomes):
        raise QualcodeError(f"none of the {len(report.failed)} files could be imported (listed above)")
    if report.failed:
        raise PartialFailure(f"{len(report.failed)} of {len(report.outcomes)} files failed to import (listed above); fix them and import again")


def _outcome_json(outcome) -> dict:
    return {"path": outcome.path, "name": outcome.name, "status": outcome.status, "format": outcome.format,
            "n_turns": outcome.n_turns, "warnings": outcome.warnings, "error": outcome.error}


def documents(ctx: typer.Context, json_flag: JsonOption = False, csv_flag: CsvOption = False,
              fmt: FormatOption = None, output: OutputOption = None, force: ForceOption = False,
              key: KeyOption = None, no_leak_check: NoLeakCheckOption = False) -> None:
    """List documents: format, turns, speakers, words and attributes."""
    from ..corpus import documents as list_documents

    project = open_project_for(ctx)
    summaries = list_documents(project)
    rows = [{"name": d.name, "id": d.id, "format": d.format, "n_turns": d.n_turns, "n_speakers": d.n_speakers,
             "n_words": d.n_words, "attributes": d.attributes} for d in summaries]
    columns = [Column("id", "id", "right", no_wrap=True), Column("name", "document", no_wrap=True), Column("format", "format"),
               Column("n_turns", "turns", "right", no_wrap=True), Column("n_speakers", "speakers", "right", no_wrap=True),
               Column("n_words", "words", "right", no_wrap=True)]
    chosen = choose_format(json_flag, csv_flag, fmt, output)
    title = f"{len(rows)} documents, {sum(d.n_words for d in summaries):,} words"
    if chosen in {"json", "table"}:
        guarded_emit(project, rows, columns + [Column("attributes", "attributes")], guard(key, no_leak_check), fmt=chosen,
                     output=output, force=force, title=title)
        return
    # Files get one column per attribute, so they sort and filter in a spreadsheet.
    keys = sorted({key for d in summaries for key in d.attributes})
    flat = [{**row, **{f"attr:{k}": row["attributes"].get(k) for k in keys}} for row in rows]
    guarded_emit(project, flat, columns + [Column(f"attr:{k}", k) for k in keys], guard(key, no_leak_check), fmt=chosen,
                 output=output, force=force, title=title)


def show(ctx: typer.Context, document: Annotated[str, typer.Argument(help="Document name, unique stem or id.")],
         by: Annotated[str, typer.Option("--by", help="turn, paragraph or sentence (sentences by punctuation rules).")] = "turn",
         turns: Annotated[Optional[str], typer.Option("--turns", help="Only these turns, e.g. 3, 3-8 or 10-.")] = None,
         json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
         output: OutputOption = None, force: ForceOption = False, key: KeyOption = None,
         no_leak_check: NoLeakCheckOption = False) -> None:
    """Show a document's turns with speaker labels, roles, line numbers and times (paged when long)."""
    from ..corpus import units

    project = open_project_for(ctx)
    doc, views = units(project, document, by, turns)
    rows = [{"seq": v.seq, "speaker_label": v.speaker_label, "role": v.role, "start": v.start, "end": v.end,
             "line": v.line, "time_start": v.time_start, "time_end": v.time_end, "question": v.question, "text": v.text}
            for v in views]
    chosen = choose_format(json_flag, csv_flag, fmt, output)
    if chosen != "table" or output is not None:
        columns = [Column(k, k) for k in rows[0]] if rows else []
        guarded_emit(project, rows, columns, guard(key, no_leak_check), fmt=chosen, output=output, force=force)
        return
    _print_script(doc["name"], views)


def _print_script(name: str, views) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..script import format_time

    from .render import stdout_console

    console = stdout_console()
    has_times = any(v.time_start is not None for v in views)
    table = Table(title=name, title_justify="left", box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("line", justify="right", style="dim")
    if has_times:
        table.add_column("time", style="dim")
    table.add_column("speaker", style="bold")
    table.add_column("text", overflow="fold")
    for v in views:
        speaker = (v.speaker_label or "") + (" (I)" if v.role == "interviewer" else "")
        if v.question:
            speaker += f"\n[{v.question}]"
        cells = [str(v.line)] + ([format_time(v.time_start)] if has_times else []) + [speaker, v.text]
        table.add_row(*(Text(cell) for cell in cells))  # as text: `[laughs]`, `[name]` are not markup
    if console.is_terminal and len(views) > console.height // 3:
        # less shows colours only with -R; -F leaves short output on screen, -X keeps it after quitting.
        os.environ.setdefault("LESS", "-RFX")
        with console.pager(styles=True):
            console.print(table)
    else:
        console.print(table)


@attributes_app.command("import")
def attributes_import(ctx: typer.Context, sheet: Annotated[Path, typer.Argument(help="CSV/XLSX with a 'document' column and one column per attribute.", dir_okay=False)]) -> None:
    """Set document attributes from a sheet, in one transaction."""
    from ..ingest import import_attribute_sheet

    project = open_project_for(ctx)
    updated, unknown = import_attribute_sheet(project, sheet)
    for name in unknown:
        warning(f"{sheet}: {name!r} is not an imported document")
    message(f"set attributes on {updated} document(s)")


@attributes_app.command("set")
def attributes_set(ctx: typer.Context, document: Annotated[str, typer.Argument(help="Document name, unique stem or id.")],
                   assignments: Annotated[list[str], typer.Argument(help="key=value pairs.")]) -> None:
    """Set attributes of one document: qualcode attributes set P1 site=A wave=1."""
    from ..corpus import set_attributes

    project = open_project_for(ctx)
    set_attributes(project, document, assignments)
    message(f"set {len(assignments)} attribute(s) on {document}")


def log(ctx: typer.Context, limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show the last N commands.")] = 20,
        json_flag: JsonOption = False) -> None:
    """Every command that changed the project: time, coder, command line, version and what changed."""
    project = open_project_for(ctx)
    entries = project.store.log_entries(limit)
    data = [{"id": e.id, "time": e.time, "coder": e.coder, "command": e.command, "version": e.version, "changes": e.changes} for e in entries]
    rows = [{**row, "changes": _summarise_changes(row["changes"])} for row in data]
    columns = [Column("id", "#", "right"), Column("time", "time"), Column("coder", "coder"), Column("command", "command"), Column("changes", "changes")]
    emit(rows, columns, fmt="json" if json_flag else "table", json_data=data, title="project log (newest first)")


def _summarise_changes(changes: list[dict]) -> str:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change["action"]] = counts.get(change["action"], 0) + 1
    return ", ".join(f"{action} ×{n}" if n > 1 else action for action, n in counts.items())


def withdraw(ctx: typer.Context, code: Annotated[str, typer.Argument(help="The participant's speaker code, e.g. B2.")],
             yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False) -> None:
    """Remove a participant's words: their turns become \\[withdrawn]; everything else stays. Cannot be undone."""
    from ..withdraw import withdraw as withdraw_person

    project = open_project_for(ctx)
    if not yes and not typer.confirm(f"Withdraw {code}? Their words are removed from the project for good", default=False):
        raise typer.Exit(1)
    done = withdraw_person(project, code)
    message(f"{code}: {done.turns} turn(s) withdrawn in {len(done.documents)} document(s)" if done.turns else f"{code}: nothing left to withdraw")
    backups = sorted(project.root.glob("qualcode.db.v*.bak"))
    if backups:
        warning(f"older backups still hold their words: {', '.join(b.name for b in backups)}; delete them if they must go")
