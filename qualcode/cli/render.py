"""How the CLI shows results: rich tables for people; JSON, CSV, Markdown or XLSX for scripts and files.

Data goes to stdout (or the `-o` file); messages, warnings and errors go to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..files import refuse_existing, write_whole

_LONG_LISTING = 300  # rows; past this a boxed rich table only costs time (0.3 s per 1,000 rows)
FILE_FORMATS = {".json": "json", ".csv": "csv", ".md": "md", ".xlsx": "xlsx", ".docx": "docx"}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    justify: str = "left"
    no_wrap: bool = False


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def stdout_console():
    from rich.console import Console

    return Console(highlight=False)


def message(text: str) -> None:
    """A status line for the person at the terminal, never mixed into data."""
    stderr_console().print(text, markup=False)


def warning(text: str) -> None:
    sys.stderr.write(f"warning: {text}\n")


class ProgressBar:
    """A transient progress bar on stderr, shown only at a terminal and only for more than a handful of items."""

    def __init__(self, label: str):
        self.label = label
        self.console = stderr_console()
        self.bar = None
        self.task = None

    def advance(self, total: int, description: str | None = None) -> None:
        if self.bar is None and total > 5 and self.console.is_terminal:
            from rich.progress import Progress

            self.bar = Progress(console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=description or self.label)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def choose_format(json_flag: bool, csv_flag: bool, fmt: str | None, output: Path | None) -> str:
    chosen = [name for name, on in (("json", json_flag), ("csv", csv_flag)) if on]
    if fmt:
        if fmt not in {"json", "csv", "md", "xlsx", "table"}:
            raise UsageError(f"--format {fmt}: choose json, csv, md, xlsx or table")
        chosen.append(fmt)
    if len(set(chosen)) > 1:
        raise UsageError("choose one output format: --json, --csv or --format")
    if output is not None and not chosen:
        suffix = output.suffix.lower()
        if suffix not in FILE_FORMATS:
            raise UsageError(f"-o {output}: cannot tell the format from {suffix or 'no suffix'}; use .json, .csv, .md, .xlsx or .docx")
        chosen.append(FILE_FORMATS[suffix])
    return chosen[0] if chosen else "table"


def write_rows(project, title: str, rows: list[dict[str, Any]], columns: list[tuple[str, str]], notes: list[str], *,
               json_flag: bool, csv_flag: bool, fmt: str | None, output: Path | None, force: bool, template: Path | None,
               guard, json_data: Any, first_column: str) -> None:
    """A table of results to the terminal or a file (any format, Word too); anything but the terminal's
    table only after the leak check."""
    chosen = choose_format(json_flag, csv_flag, fmt, output)
    notes = checked(project, output, chosen, rows, notes, guard, template)
    if chosen == "docx":
        from ..export import write_table_docx

        write_table_docx(project, title, [header for _, header in columns], [[row.get(k) for k, _ in columns] for row in rows],
                         notes, output, force=force, template=template)
        message(f"wrote {output}")
        return
    shown = [Column(k, header if chosen in {"table", "md", "xlsx"} else k, "left" if k == first_column else "right")
             for k, header in columns]
    if guard.unchecked and isinstance(json_data, dict):
        from ..export import UNCHECKED_NOTE

        json_data = {**json_data, "leak_check": UNCHECKED_NOTE}
    emit(rows, shown, fmt=chosen, output=output, force=force, title=title, notes=notes, json_data=json_data)


def checked(project, output: Path | None, chosen: str, rows: Sequence[dict], notes: list[str], guard,
            template: Path | None = None) -> list[str]:
    """The leak check before data leaves the terminal (a file, or a pipe: a table printed into a pipe is
    data too); the notes, with the methods line an unchecked export carries."""
    if output is None and chosen == "table" and sys.stdout.isatty():
        return notes
    from ..export import UNCHECKED_NOTE, leak_check, table_text

    leak_check(project, output, table_text(list(rows), notes), guard, template if chosen == "docx" else None)
    return [*notes, UNCHECKED_NOTE] if guard.unchecked else notes


def guarded_emit(project, rows: Sequence[dict[str, Any]], columns: Sequence[Column], guard, *, fmt: str,
                 output: Path | None = None, force: bool = False, title: str | None = None, json_data: Any = None) -> None:
    """`emit` for listings (documents, speakers, turns, the coding index, memos): a file they are
    written to is an export and is leak-checked first; what they print is for the person or the script
    at hand, as `show` is."""
    notes = checked(project, output, fmt, rows, [], guard) if output is not None else []
    emit(rows, columns, fmt=fmt, output=output, force=force, title=title, json_data=json_data, notes=notes)


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, fmt: str, output: Path | None = None,
         force: bool = False, title: str | None = None, json_data: Any = None, notes: Sequence[str] = ()) -> None:
    """Render rows in the chosen format to stdout or to `output`; `notes` (a table's base, caveats) follow
    the table where a person reads it (table, Markdown, XLSX), and are the caller's to put in JSON."""
    if fmt == "xlsx" and output is None:
        raise UsageError("XLSX is binary: write it to a file with -o FILE.xlsx")
    if output is not None:
        refuse_existing(output, force)
    if fmt == "table" and output is None:
        _print_table(rows, columns, title)
        if notes:
            sys.stdout.write("".join(f"{note}\n" for note in notes))
        return
    if fmt == "xlsx":
        _write_xlsx(rows, columns, output, notes)
    else:
        text = {"json": lambda: _json(json_data if json_data is not None else list(rows)),
                "csv": lambda: _csv(rows, columns), "md": lambda: _markdown(rows, columns, title, notes),
                "table": lambda: _markdown(rows, columns, title, notes)}[fmt]()
        if output is None:
            sys.stdout.write(text)
        else:
            _write_text(output, text)
    if output is not None:
        message(f"wrote {output}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(map(_cell, value))
    return str(value)


def _print_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None) -> None:
    if not sys.stdout.isatty() or len(rows) > _LONG_LISTING:
        sys.stdout.write(_plain_table(rows, columns, title))
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    for column in columns:
        table.add_column(column.header, justify=column.justify, no_wrap=column.no_wrap)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(Text(_cell(row.get(c.key))) for c in columns))
    stdout_console().print(table)


def _plain_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None) -> str:
    """Aligned columns without box drawing, for pipes, files and grep (and fast on long listings)."""
    cells = [[c.header for c in columns]] + [[_cell(row.get(c.key)).replace("\n", " ") for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = ["  ".join(cell.rjust(w) if c.justify == "right" else cell.ljust(w) for cell, w, c in zip(line, widths, columns)).rstrip()
             for line in cells]
    return (f"{title}\n" if title else "") + "\n".join(lines) + "\n"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    writer.writerows([[_cell(row.get(c.key)) for c in columns] for row in rows])
    return buffer.getvalue()


def _markdown(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None,
              notes: Sequence[str] = ()) -> str:
    def escape(value: Any) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(c.header for c in columns) + " |",
             "|" + "|".join("---:" if c.justify == "right" else "---" for c in columns) + "|"]
    lines += ["| " + " | ".join(escape(row.get(c.key)) for c in columns) + " |" for row in rows]
    heading = f"**{title}**\n\n" if title else ""
    footer = "".join(f"\n{note}\n" for note in notes)
    return heading + "\n".join(lines) + "\n" + footer


def write_json_lines(rows: Sequence[dict[str, Any]], output: Path, force: bool) -> None:
    """One JSON object per line, written whole (for scripts and for `qualcode codings import`)."""
    refuse_existing(output, force)
    _write_text(output, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))


def _write_text(output: Path, text: str) -> None:
    write_whole(output, lambda partial: partial.write_text(text, encoding="utf-8"))


def _write_xlsx(rows: Sequence[dict[str, Any]], columns: Sequence[Column], output: Path, notes: Sequence[str] = ()) -> None:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(c.key) if isinstance(row.get(c.key), (int, float)) else _cell(row.get(c.key)) for c in columns])
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([note])
    write_whole(output, workbook.save)
