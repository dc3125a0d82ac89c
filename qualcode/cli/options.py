"""Options many commands share: output formats, files, --force."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV to stdout.")]
FormatOption = Annotated[Optional[str], typer.Option("--format", "-f", help="json, csv, md, xlsx or table.")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file; the suffix sets the format.", dir_okay=False)]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]
TemplateOption = Annotated[Optional[Path], typer.Option("--template", help="A .docx whose styles (and page set-up) Word output uses.", dir_okay=False)]
