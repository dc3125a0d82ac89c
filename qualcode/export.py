"""Writing quote banks, evidence tables and matrices: Markdown, CSV, XLSX, JSON and Word.

Every export is checked for identifying text before it is written (an export with a roster name, a
declared term, an e-mail address or a phone number in it is refused, naming what was found), and a
quote bank or evidence table written to a file gets its trace beside it: `NAME.trace.csv`, a row per
quote with its document, turn, line and time.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .files import refuse_existing, write_whole
from .quotebank import Bank, EvidenceTable, Facts, Printed, QuoteStyle, machine_note
from .script import format_time

MACHINE_MARK = "\u2020"  # †: chosen by qualcode, not yet confirmed by an author
FORMATS = {".md": "md", ".docx": "docx", ".json": "json", ".csv": "csv", ".xlsx": "xlsx"}


@dataclass(frozen=True, slots=True)
class Guard:
    """How an export is leak-checked: with this key (else the configured one), or not at all (`unchecked`,
    which the export's methods note and the project log record)."""

    key: Path | None = None
    unchecked: bool = False


UNCHECKED_NOTE = "This output was not checked for names or identifiers before it was written (--no-leak-check)."


@dataclass(frozen=True, slots=True)
class Written:
    output: Path
    trace: Path | None
    quotes: int
    warnings: list[str]


# Text of quotes and notes, shared by every format.

def quote_line(printed: Printed, style: QuoteStyle, ids: bool = True) -> tuple[str, str]:
    """The quote in its marks, and what follows it: `(C3) [Q12†]` inline, or the attribution line."""
    tag = f" [{printed.quote.label}{MACHINE_MARK if printed.quote.machine_chosen else ''}]" if ids else ""
    after = printed.attribution if style.house == "role" else f"({printed.attribution})"
    return style.quoted(printed.quote.text), after + tag


def methods_lines(facts: Facts, quotes: list[Printed]) -> list[str]:
    lines = [*facts.units]
    share = f"{round(100 * facts.machine_share)}%" if facts.machine_share is not None else "none"
    lines.append(f"Codings: accepted codings by {facts.coder}, codebook version {facts.codebook_version}; {share} of the "
                 "codings behind these figures and quotes were accepted from machine suggestions (rules or a learned model).")
    lines.append("Quotes are verbatim and attributed by speaker code; interviewers are not quoted. "
                 + (f"{facts.edited} quote(s) were lightly edited: cuts are shown as [...] and clarifications in square brackets."
                    if facts.edited else "No quote was edited."))
    note = machine_note(quotes)
    if note:
        lines.append(note.replace("(marked *)", f"(marked {MACHINE_MARK})") + ".")
    if facts.unchecked:
        lines.append(UNCHECKED_NOTE)
    return lines


def _traced(quotes: list[tuple[str, Printed]]) -> str:
    """What the trace CSV beside an output adds to it: where each quote is (document names)."""
    return "\n" + "\n".join(sorted({p.quote.document_name for _, p in quotes}))


def trace_rows(quotes: list[tuple[str, Printed]]) -> list[dict]:
    """A row per quote (theme, printed quote): where it is, so every quote can be found again."""
    return [{"quote": p.quote.label, "theme": theme, "code": p.quote.code, "document": p.quote.document_name,
             "turn": p.quote.turn.seq, "line": p.quote.line, "time": format_time(p.quote.turn.time), "speaker": p.quote.speaker,
             "status": p.quote.status, "edited": p.quote.edited, "coding": p.quote.coding,
             "offsets": ";".join(f"{a}:{b}" for a, b in p.quote.spans), "words": p.quote.words, "phrase": p.phrase,
             "text": p.quote.text, "reason": p.quote.reason} for theme, p in quotes]


# Quote banks.

def bank_markdown(bank: Bank, phrases: bool = False, ids: bool = True) -> str:
    out = [f"# {bank.title}", ""]
    for section in bank.sections:
        out += [f"## {section.label}", ""]
        if not section.quotes and not section.against:
            out += ["No quotes.", ""]
        for printed in section.quotes:
            out += _markdown_quote(printed, bank.style, phrases, ids)
        if section.against:
            out += ["### Evidence against", ""]
            for printed in section.against:
                out += _markdown_quote(printed, bank.style, phrases, ids)
    out += ["## Methods note", "", *[f"{line}\n" for line in methods_lines(bank.facts, bank.quotes())]]
    return "\n".join(out).rstrip("\n") + "\n"


def _markdown_quote(printed: Printed, style: QuoteStyle, phrases: bool, ids: bool) -> list[str]:
    text, after = quote_line(printed, style, ids)
    lines = [f"*{text}* {after}", ""] if style.house == "inline" else [f"> *{text}*", ">", f"> {after}", ""]
    if phrases:
        lines += [f"Phrase: {style.quoted(printed.phrase)}", ""]
    return lines


def bank_json(bank: Bank) -> dict:
    return {"title": bank.title, "style": bank.style.house,
            "themes": [{"code": s.code, "label": s.label,
                        "quotes": trace_rows([(s.label, p) for p in s.quotes]),
                        "against": trace_rows([(s.label, p) for p in s.against])} for s in bank.sections],
            "methods": methods_lines(bank.facts, bank.quotes()), "warnings": bank.warnings}


def bank_docx(bank: Bank, template: Path | None, phrases: bool, ids: bool):
    from .word import WordReport

    report = WordReport(bank.title, template)
    for section in bank.sections:
        report.heading(section.label, 1)
        if not section.quotes and not section.against:
            report.paragraph("No quotes.")
        for printed in section.quotes:
            _word_quote(report, printed, bank.style, phrases, ids)
        if section.against:
            report.heading("Evidence against", 2)
            for printed in section.against:
                _word_quote(report, printed, bank.style, phrases, ids)
    report.methods(methods_lines(bank.facts, bank.quotes()))
    return report


def _word_quote(report, printed: Printed, style: QuoteStyle, phrases: bool, ids: bool) -> None:
    text, after = quote_line(printed, style, ids)
    report.quote(text, after, block=style.house != "inline")
    if phrases:
        report.paragraph(f"Phrase: {style.quoted(printed.phrase)}")


def write_bank(project, bank: Bank, output: Path | None, *, force: bool = False, template: Path | None = None,
               phrases: bool = False, ids: bool = True, guard: Guard = Guard()) -> Written | str:
    """The bank to `output` (format from its suffix) with its trace, or as Markdown text when no output."""
    bank.facts.unchecked = guard.unchecked
    markdown = bank_markdown(bank, phrases, ids)
    quotes = [(s.label, p) for s in bank.sections for p in (*s.quotes, *s.against)]
    trace = _refuse_existing_outputs(output, {"md", "docx", "json"}, force)
    leak_check(project, output, markdown + _traced(quotes), guard, template)
    warnings = bank.warnings
    if output is None:
        return markdown
    fmt = FORMATS[output.suffix.lower()]
    if fmt == "docx":
        bank_docx(bank, template, phrases, ids).save(output)
    else:
        text = markdown if fmt == "md" else json.dumps(bank_json(bank), ensure_ascii=False, indent=2) + "\n"
        write_whole(output, lambda path: path.write_text(text, encoding="utf-8"))
    _write_trace(trace, quotes)
    return Written(output, trace, len(quotes), warnings)


# Evidence tables.

def evidence_rows(table: EvidenceTable, ids: bool = True) -> tuple[list[str], list[list], set[int]]:
    """Header, rows and which rows are group headings: Theme | Exemplar quote (speaker) | figure [| speaker type]
    [| ratification]."""
    header = (["Theme", "Exemplar quote", table.figure_header] + (["Speaker type"] if table.speaker_types else [])
              + (["Ratification"] if table.ratified else []))
    rows, headings = [], set()
    for row in table.rows:
        if row.heading:
            headings.add(len(rows))
            rows.append([row.label.upper()] + [""] * (len(header) - 1))
            continue
        quote = ("(no quote)", "") if row.exemplar is None else quote_line(row.exemplar, QuoteStyle("inline", table.style.marks), ids)
        rows.append([row.label, quote, row.figure] + ([row.speaker_type] if table.speaker_types else [])
                    + ([row.ratification] if table.ratified else []))
    return header, rows, headings


def evidence_markdown(table: EvidenceTable, ids: bool = True) -> str:
    header, rows, headings = evidence_rows(table, ids)
    lines = [f"# {table.title}", "", "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for number, row in enumerate(rows):
        cells = [f"**{row[0]}**", *[""] * (len(row) - 1)] if number in headings else [row[0], _italic_quote(*row[1]), *row[2:]]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## Methods note", "", *[f"{line}\n" for line in methods_lines(table.facts, _exemplars(table))]]
    return "\n".join(lines).rstrip("\n") + "\n"


def _italic_quote(quote: str, after: str) -> str:
    return f"*{quote}* {after}" if after else quote


def _flat(rows: list[list]) -> list[list]:
    """Rows with each (quote, attribution) cell as one text, for CSV, XLSX and JSON."""
    return [[" ".join(v for v in cell if v) if isinstance(cell, tuple) else cell for cell in row] for row in rows]


def _exemplars(table: EvidenceTable) -> list[Printed]:
    return [r.exemplar for r in table.rows if r.exemplar is not None]


def write_evidence(project, table: EvidenceTable, output: Path | None, *, force: bool = False, template: Path | None = None,
                   ids: bool = True, guard: Guard = Guard()) -> Written | str:
    table.facts.unchecked = guard.unchecked
    markdown = evidence_markdown(table, ids)
    trace = _refuse_existing_outputs(output, set(FORMATS.values()), force)
    leak_check(project, output, markdown + _traced([(r.label, r.exemplar) for r in table.rows if r.exemplar]), guard, template)
    warnings = table.warnings
    if output is None:
        return markdown
    fmt = FORMATS[output.suffix.lower()]
    header, rows, headings = evidence_rows(table, ids)
    if fmt == "docx":
        from .word import WordReport

        report = WordReport(table.title, template)
        widths = [0.22, 0.58, 0.20] if len(header) == 3 else [0.2, 0.5] + [0.3 / (len(header) - 2)] * (len(header) - 2)
        report.table(header, rows, heading_rows=headings, widths=widths)
        report.methods(methods_lines(table.facts, _exemplars(table)))
        report.save(output)
    elif fmt == "xlsx":
        _write_xlsx(output, header, _flat(rows), methods_lines(table.facts, _exemplars(table)))
    else:
        text = {"md": lambda: markdown, "csv": lambda: _csv(header, [r for n, r in enumerate(_flat(rows)) if n not in headings]),
                "json": lambda: json.dumps({"title": table.title, "unit": table.tally.unit,
                                            "base": {"n": table.tally.base.n, "description": table.tally.base.description},
                                            "rows": [dict(zip(_json_keys(table), r)) for r in _flat(rows)],
                                            "methods": methods_lines(table.facts, _exemplars(table)), "warnings": table.warnings},
                                           ensure_ascii=False, indent=2) + "\n"}[fmt]()
        write_whole(output, lambda path: path.write_text(text, encoding="utf-8"))
    _write_trace(trace, [(r.label, r.exemplar) for r in table.rows if r.exemplar is not None])
    return Written(output, trace, len(_exemplars(table)), warnings)


def _json_keys(table: EvidenceTable) -> list[str]:
    return ["theme", "quote", "figure"] + (["speaker_type"] if table.speaker_types else []) + (["ratification"] if table.ratified else [])


# Any table (tallies, matrices) to Word, and the text a leak check reads from it.

def write_table_docx(project, title: str, header: list[str], rows: list[list], notes: list[str], output: Path, *,
                     force: bool = False, template: Path | None = None) -> None:
    from .word import WordReport

    refuse_existing(output, force)
    report = WordReport(title, template)
    report.table(header, rows)
    report.methods([*notes, project_methods(project)])
    report.save(output)


def project_methods(project) -> str:
    """The methods-note line any table of the project's codings carries."""
    from .coding import project_codebook

    machine, total = project.store.machine_share()
    share = f"{round(100 * machine / total)}%" if total else "none"
    return (f"Codebook version {project_codebook(project).version}; {share} of the project's accepted codings were accepted "
            "from machine suggestions (rules or a learned model).")


def table_text(rows: list[dict], notes: list[str]) -> str:
    """What a table says, for the leak check: its words (a count of 160,988,425 characters is no phone number)."""
    return "\n".join([*("\t".join(str(v) for v in row.values() if v is not None and not isinstance(v, (int, float)))
                         for row in rows), *notes])


# Shared pieces.

def _format(output: Path, allowed: set[str]) -> str:
    fmt = FORMATS.get(output.suffix.lower())
    if fmt not in allowed:
        raise UsageError(f"-o {output}: choose {', '.join(sorted('.' + f for f in allowed))}")
    return fmt


def _refuse_existing_outputs(output: Path | None, formats: set[str], force: bool) -> Path | None:
    """Before any work: the format is one these outputs come in, and neither the file nor its trace is
    there already (unless --force). Returns the trace's path."""
    if output is None:
        return None
    _format(output, formats)
    trace = output.with_name(output.stem + ".trace.csv")
    refuse_existing(output, force)
    refuse_existing(trace, force)
    return trace


def _write_trace(trace: Path, quotes: list[tuple[str, Printed]]) -> None:
    rows = trace_rows(quotes)
    columns = list(rows[0]) if rows else ["quote", "theme", "code", "document", "turn", "line", "time"]
    write_whole(trace, lambda path: path.write_text(_csv(columns, [[r[c] for c in columns] for r in rows]), encoding="utf-8"))


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_xlsx(output: Path, header: list[str], rows: list[list], notes: list[str]) -> None:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    for note in notes:
        sheet.append([note])
    write_whole(output, book.save)


def mark_unchecked(book, guard: Guard) -> None:
    """A workbook written without the leak check says so in its properties (its sheets are read back)."""
    if guard.unchecked:
        book.properties.description = UNCHECKED_NOTE


def leak_check(project, output: Path | None, text: str, guard: Guard, template: Path | None = None) -> None:
    """Refuse an export with identifying text in it (a Word template's headers and footers included), or
    one whose names cannot be looked for (they are in a key not at hand) unless the author chose to
    write it unchecked."""
    from .checks.leaks import check_output, template_text

    where = str(output) if output is not None else "output"
    if guard.unchecked:
        with project.store.unit_of_work():
            project.store.log_change("unchecked-export", where, "written with --no-leak-check")
        return
    if template is not None:
        text += "\n" + template_text(template)
    leaks, names_known = check_output(project, where, text, guard.key)
    if leaks:
        shown = ", ".join(repr(leak.text) for leak in leaks[:3])
        more = f" and {len(leaks) - 3} more" if len(leaks) > 3 else ""
        raise UsageError(f"{where}: not written: it would contain identifying text ({shown}{more}); anonymise it, "
                         "or allow it with `qualcode check allow TEXT --reason ...`")
    if not names_known:
        raise UsageError(f"{where}: not written: the names to look for are in the key; pass --key PATH (or set QUALCODE_KEY "
                         "or [user] key), or --no-leak-check to write it unchecked (its methods note will say so)")
