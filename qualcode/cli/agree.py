"""`qualcode agree`: inter-rater agreement per code, with the statistic, unit and n a methods section names."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import open_project_for
from .key import KeyOption
from .matrix import CodesOption
from .options import CsvOption, ForceOption, FormatOption, JsonOption, OutputOption, TemplateOption
from .render import write_rows


def register(app: typer.Typer) -> None:
    app.command("agree")(agree)


def agree(
    ctx: typer.Context,
    coders: Annotated[list[str], typer.Option("--coders", help="Two or more coders, comma-separated or repeated: --coders anna,ben.")],
    unit: Annotated[str, typer.Option("--unit", help="turn (default) or document: where a code is present or not.")] = "turn",
    codes: CodesOption = None,
    json_flag: JsonOption = False, csv_flag: CsvOption = False, fmt: FormatOption = None,
    output: OutputOption = None, force: ForceOption = False, template: TemplateOption = None, key: KeyOption = None,
) -> None:
    """Per code: units, percent agreement, Cohen's kappa (Fleiss' for 3+ coders) and Gwet's AC1, prevalence
    flagged; then the pooled and mean rows."""
    from ..agree import agree as compute
    from ..agree import as_json, as_rows, methods_note

    names = [name.strip() for item in coders for name in item.split(",") if name.strip()]
    project = open_project_for(ctx)
    result = compute(project, names, unit, codes)
    rows = as_rows(result)
    columns = [("code", "Code"), ("n_units", "Units"), ("percent_agreement", "Agreement"),
               ("kappa", "κ" if len(names) == 2 else "Fleiss κ"), ("ac1", "AC1"), ("flag", ""),
               *((f"coded by {coder}", f"Coded by {coder}") for coder in names)]
    write_rows(project, f"Agreement by {result.unit}: {', '.join(names)}", rows, columns, [methods_note(result)],
               json_flag=json_flag, csv_flag=csv_flag, fmt=fmt, output=output, force=force, template=template, key=key,
               json_data=as_json(result), first_column="code")
