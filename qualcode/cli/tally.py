"""`qualcode tally`: how many participants (mentions, documents, actions, responses) each code has."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import open_project_for
from .options import CsvOption, ForceOption, FormatOption, JsonOption, OutputOption, TemplateOption
from .key import KeyOption, NoLeakCheckOption, guard
from .render import choose_format, message, warning, write_rows

UnitOption = Annotated[str, typer.Option("--unit", "-u", help="participants (default), mentions, documents, actions or responses.")]
ByOption = Annotated[Optional[str], typer.Option("--by", help="A column per value of this person or document attribute (wave, site, role, source, question …).")]
FilterOption = Annotated[Optional[list[str]], typer.Option("--filter", help="Only turns with ATTRIBUTE=VALUE (VALUE,VALUE for any of them); repeat to narrow further.")]
CoderOption = Annotated[Optional[str], typer.Option("--coder", help="Whose codings: a coder's name, or consensus (a code where every coder of the document put it in that turn).")]


def register(app: typer.Typer) -> None:
    app.command("tally")(tally)


def parse_filters(filters: list[str] | None) -> dict[str, set[str]]:
    from ..errors import UsageError

    parsed: dict[str, set[str]] = {}
    for item in filters or []:
        name, equals, values = item.partition("=")
        if not equals or not name.strip() or not values.strip():
            raise UsageError(f"--filter {item}: write ATTRIBUTE=VALUE, e.g. --filter wave=1 or --filter site=A,B")
        parsed.setdefault(name.strip(), set()).update(v.strip() for v in values.split(",") if v.strip())
    return parsed


def tally(
    ctx: typer.Context,
    unit: UnitOption = "participants",
    by: ByOption = None,
    filters: FilterOption = None,
    constant_sample: Annotated[bool, typer.Option("--constant-sample", help="Only participants present in every wave.")] = False,
    coder: CoderOption = None,
    own: Annotated[bool, typer.Option("--own", help="Count only codings made with each code itself (no roll-up of the codes under it).")] = False,
    as_words: Annotated[bool, typer.Option("--as-words", help="Add words for the shares (most, around half …; \\[tally] words).")] = False,
    chart: Annotated[Optional[Path], typer.Option("--chart", help="Also draw the themes' figures as bars, per --by value: a .png or .svg file.", dir_okay=False)] = None,
    bars: Annotated[bool, typer.Option("--bars", help="Print bars in the terminal instead of the table.")] = False,
    key: KeyOption = None, no_leak_check: NoLeakCheckOption = False,
    template: TemplateOption = None,
    json_flag: JsonOption = False,
    csv_flag: CsvOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Count accepted codings by code, with the unit and the base on every number."""
    from ..tally import as_json, base_line, tally_project
    from ..tally import table as tally_table

    chosen = choose_format(json_flag, csv_flag, fmt, output)
    project = open_project_for(ctx)
    result = tally_project(project, unit, by, parse_filters(filters), constant_sample, coder, own)
    if chart is not None:
        from ..charts import chart_tally

        drawn = chart_tally(project, result, chart, force, guard(key, no_leak_check))
        message(f"wrote {chart} ({drawn} themes)")
    if bars:
        _print_bars(result)
        return
    rows, columns = tally_table(result, as_words, indent={"md": "\u2003", "table": "  ", "xlsx": "  ", "docx": "  "}.get(chosen, ""))
    if chosen not in {"table", "md", "xlsx", "docx"}:  # data for scripts: plain keys, the figures unformatted
        columns = [(key, key) for key in ("code", "label", "count", "percent", "base", "shown")] + [(k, k) for k, _ in columns[2:]]
    write_rows(project, f"Tally: {result.unit}", rows, columns, [base_line(result), *result.notes], json_flag=json_flag,
               csv_flag=csv_flag, fmt=fmt, output=output, force=force, template=template, guard=guard(key, no_leak_check), json_data=as_json(result),
               first_column="label")

def _print_bars(result) -> None:
    from rich.table import Table

    from ..charts import bars
    from ..tally import base_line
    from .render import stdout_console

    table = Table(title=f"Tally: {result.unit}", title_justify="left", show_header=False, box=None)
    for label, bar, figure in bars(result, result.style.decimals):
        table.add_row(label, bar, figure)
    console = stdout_console()
    console.print(table)
    console.print(base_line(result), highlight=False)
