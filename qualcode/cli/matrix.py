"""`qualcode matrix`: cases × codes, code co-occurrence, evidence coverage, ratings and the framework matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption, NoLeakCheckOption, guard
from .options import CsvOption, ForceOption, FormatOption, JsonOption, OutputOption, TemplateOption
from .render import message, warning, write_rows
from .tally import CoderOption, FilterOption, parse_filters

app = typer.Typer(help="Matrices: cases × codes, code co-occurrence, evidence coverage, ratings, the framework matrix.",
                  no_args_is_help=True)

CaseOption = Annotated[str, typer.Option("--case", help="What a row is: person (default), document, or an attribute such as site.")]
LevelOption = Annotated[Optional[int], typer.Option("--level", help="Codes at this level of the codebook (1: the themes).")]
CodesOption = Annotated[Optional[list[str]], typer.Option("--code", help="Only these codes (repeat); a theme counts the codes under it.")]
ConstantOption = Annotated[bool, typer.Option("--constant-sample", help="Only participants present in every wave.")]


def _show(matrix, json_flag: bool, csv_flag: bool, fmt: str | None, output: Path | None, force: bool, project,
          template: Path | None, checked) -> None:
    from ..matrix import as_rows

    rows, columns = as_rows(matrix)
    data = {"title": matrix.title, "rows": matrix.row_header, "columns": [{"id": c, "label": h} for c, h in zip(matrix.columns, matrix.headers)],
            "cells": rows, "notes": matrix.notes}
    write_rows(project, matrix.title, rows, columns, matrix.notes, json_flag=json_flag, csv_flag=csv_flag, fmt=fmt,
               output=output, force=force, template=template, guard=checked, json_data=data, first_column="case")


@app.command("cases")
def cases(
    ctx: typer.Context,
    case: CaseOption = "person",
    values: Annotated[str, typer.Option("--values", help="mentions (coded segments), presence (Y) or percent (of the case's segments).")] = "mentions",
    level: LevelOption = 1,
    codes: CodesOption = None,
    filters: FilterOption = None,
    constant_sample: ConstantOption = False,
    coder: CoderOption = None,
    json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
    output: OutputOption = None, force: ForceOption = False, template: TemplateOption = None, key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
) -> None:
    """A row per case, a column per code: counts, presence or percentages."""
    from ..matrix import project_matrix

    project = open_project_for(ctx)
    matrix = project_matrix(project, "cases", coder=coder, filters=parse_filters(filters),
                            constant_sample=constant_sample, case=case, values=values, level=None if codes else level, codes=codes)
    _show(matrix, json_flag, csv_flag, fmt, output, force, project, template, guard(key, no_leak_check))


@app.command("cooccurrence")
def cooccurrence(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="turn (default), document or person: the unit both codes must share.")] = "turn",
    level: LevelOption = None,
    codes: CodesOption = None,
    filters: FilterOption = None,
    coder: CoderOption = None,
    json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
    output: OutputOption = None, force: ForceOption = False, template: TemplateOption = None, key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Code × code: how many turns (documents, people) have both."""
    from ..matrix import project_matrix

    project = open_project_for(ctx)
    matrix = project_matrix(project, "cooccurrence", coder=coder, filters=parse_filters(filters), unit=by, level=level, codes=codes)
    _show(matrix, json_flag, csv_flag, fmt, output, force, project, template, guard(key, no_leak_check))


@app.command("coverage")
def coverage(
    ctx: typer.Context,
    case: CaseOption = "person",
    source: Annotated[str, typer.Option("--source", help="The document attribute naming the kind of source.")] = "source",
    filters: FilterOption = None,
    json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
    output: OutputOption = None, force: ForceOption = False, template: TemplateOption = None, key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Case × source (interview, survey, observation …): Y where the case has evidence of that kind."""
    from ..matrix import project_matrix

    project = open_project_for(ctx)
    matrix = project_matrix(project, "coverage", filters=parse_filters(filters), case=case, source=source)
    _show(matrix, json_flag, csv_flag, fmt, output, force, project, template, guard(key, no_leak_check))
    message(f"{len(matrix.rows)} case(s) × {len(matrix.columns)} source(s)")


@app.command("ratings")
def ratings(
    ctx: typer.Context,
    sheet: Annotated[Path, typer.Argument(help="CSV or XLSX: a case column, then a column of ratings per theme.", dir_okay=False)],
    case: Annotated[Optional[str], typer.Option("--case", help="What the first column names: person, document or an attribute (found from the sheet if not given).")] = None,
    worksheet: Annotated[Optional[str], typer.Option("--sheet", help="The worksheet of an XLSX file (default: the first).")] = None,
    json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
    output: OutputOption = None, force: ForceOption = False, template: TemplateOption = None, key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
) -> None:
    """Case × theme ratings (Red/Amber/Green or any scale in \\[matrix] rating_scale), with scores and ranks."""
    from ..framework import ratings as read_ratings

    project = open_project_for(ctx)
    _show(read_ratings(project, sheet, case, worksheet), json_flag, csv_flag, fmt, output, force, project, template, guard(key, no_leak_check))


@app.command("framework")
def framework(
    ctx: typer.Context,
    case: CaseOption = "person",
    level: LevelOption = 1,
    codes: CodesOption = None,
    read: Annotated[Optional[Path], typer.Option("--read", help="Read the summaries typed into this workbook back into the project.", dir_okay=False)] = None,
    json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
    output: OutputOption = None, force: ForceOption = False, template: TemplateOption = None, key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
) -> None:
    """The framework matrix: -o FILE.xlsx writes case × theme cells to summarise (evidence listed beside
    each), --read FILE.xlsx reads the summaries back; with neither, the summaries so far are shown."""
    from ..framework import framework_matrix, read_framework, write_framework

    project = open_project_for(ctx)
    if read is not None:
        message(f"{read}: {read_framework(project, read)} summaries read back")
    elif output is not None and output.suffix.lower() == ".xlsx" and not (json_flag or csv_flag or fmt) and read is None:
        cases, themes = write_framework(project, output, case, None if codes else level, codes, force, guard(key, no_leak_check))
        message(f"wrote {output}: {cases} case(s) × {themes} theme(s); fill in the summary columns, then --read it")
    else:
        _show(framework_matrix(project, case), json_flag, csv_flag, fmt, output, force, project, template, guard(key, no_leak_check))
