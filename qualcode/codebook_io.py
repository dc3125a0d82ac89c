"""Codebooks in other formats: REFI-QDA `.qdc`, CSV, QualCoder's plain text, and Word/Excel for a report annex.

Reading gives flat `Entry` rows (id, label, parent, definition …) that `import_codebook` adds to the
project's YAML codebook; writing goes from a `Codebook`. A `.qdc` is written with GUIDs derived from
code ids (the same id, the same GUID, every time), children nested, and no empty `<Sets/>`; a `.qdc`
read may carry ids that are not GUIDs (a warning, not an error); XML that is not well formed is an
error with line and column.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .codebook import ID, Codebook, codebook_path, load_codebook
from .codebook_file import append_codes
from .coding import new_code_id
from .errors import InputFileError, UsageError
from .files import refuse_existing, write_whole
from .project import Project

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
_GUIDS = uuid.UUID("6f1e1c1e-8a44-4c53-9a0e-7a2f2b5d9c11")  # qualcode's namespace for GUIDs made from code ids
FORMATS = {".qdc": "REFI-QDA", ".csv": "CSV", ".txt": "QualCoder", ".docx": "Word", ".xlsx": "Excel"}


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # the file's own id for the code (used as the code's id when it is a valid, free one)
    label: str
    parent: str | None  # the parent's key
    definition: str = ""
    include: str = ""
    exclude: str = ""
    rules: dict = field(default_factory=dict, hash=False)  # aliases, keywords, scope … (from qualcode's own CSV)


_LISTS = ("examples", "aliases", "keywords", "patterns", "roles")
_TEXTS = ("count_as", "scope", "speakers", "within", "question")


@dataclass(slots=True)
class ImportReport:
    added: list[str] = field(default_factory=list)
    already: int = 0
    warnings: list[str] = field(default_factory=list)


def import_codebook(project: Project, path: Path) -> ImportReport:
    """Add the file's codes to the project's codebook (those whose path it has already are left as they are)."""
    entries, warnings = read_entries(path)
    _check_tree(entries, path)
    codebook = load_codebook(codebook_path(project))
    known = {codebook.path(code_id).casefold(): code_id for code_id in codebook.codes}
    taken = set(codebook.codes)
    by_key = {e.key: e for e in entries}
    report = ImportReport(warnings=warnings)
    new = []
    for entry in entries:
        path_text = " > ".join(_labels(entry, by_key)).casefold()
        if path_text in known:
            report.already += 1
            continue
        parent = known[" > ".join(_labels(by_key[entry.parent], by_key)).casefold()] if entry.parent else None
        code_id = entry.key if ID.fullmatch(entry.key) and entry.key not in taken else new_code_id(entry.label, parent, taken)
        taken.add(code_id)
        known[path_text] = code_id
        new.append({"id": code_id, "label": entry.label, "parent": parent, "definition": entry.definition,
                    "include": entry.include, "exclude": entry.exclude, **entry.rules})
        report.added.append(code_id)
    if new:
        append_codes(codebook_path(project), new)
    return report


def _labels(entry: Entry, by_key: dict[str, Entry]) -> list[str]:
    labels = [entry.label]
    while entry.parent:
        entry = by_key[entry.parent]
        labels.insert(0, entry.label)
    return labels


def _check_tree(entries: list[Entry], path: Path) -> None:
    """Every parent exists, no key twice, no cycle."""
    keys: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        if entry.key in keys:
            raise InputFileError(path, f"code {entry.key!r} appears twice (entries {keys[entry.key]} and {number})")
        keys[entry.key] = number
    by_key = {e.key: e for e in entries}
    for entry in entries:
        if entry.parent and entry.parent not in by_key:
            raise InputFileError(path, f"code {entry.key!r} names a parent {entry.parent!r} that is not in the file")
        seen, walker = {entry.key}, entry
        while walker.parent:
            walker = by_key[walker.parent]
            if walker.key in seen:
                raise InputFileError(path, f"codes {' > '.join(sorted(seen))} are each other's parents (a cycle)")
            seen.add(walker.key)


def read_entries(path: Path) -> tuple[list[Entry], list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        return _read_qdc(path)
    if suffix == ".csv" or suffix == ".xlsx":
        return _read_table(path), []
    if suffix == ".txt":
        return _read_qualcoder(path), []
    raise UsageError(f"{path}: cannot tell the format from {suffix or 'no suffix'}; use .qdc, .csv, .xlsx or .txt (QualCoder)")


def _read_qdc(path: Path) -> tuple[list[Entry], list[str]]:
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        line, column = error.position
        raise InputFileError(path, f"not well-formed XML ({str(error).split(':')[0]})", line=line, column=column + 1,
                             hint="open it in an XML editor, or export it again") from None
    except OSError as error:
        raise InputFileError(path, f"cannot read ({error.strerror})") from None
    namespace = f"{{{QDC_NAMESPACE}}}"
    codes = root.find(f"{namespace}Codes")
    if root.tag != f"{namespace}CodeBook" or codes is None:
        raise InputFileError(path, "not a REFI-QDA codebook (no CodeBook/Codes)", hint="export a .qdc from your QDA tool")
    entries: list[Entry] = []
    odd: list[str] = []  # guids that are not GUIDs: other tools write them; read anyway

    def walk(element, parent: str | None) -> None:
        for code in element.findall(f"{namespace}Code"):
            key = code.get("guid") or code.get("name", "")
            if not _is_guid(key):
                odd.append(key)
            description = code.find(f"{namespace}Description")
            entries.append(Entry(key, (code.get("name") or key).strip(), parent, " ".join((description.text or "").split())
                                 if description is not None else ""))
            walk(code, key)

    walk(codes, None)
    shown = ", ".join(odd[:3]) + (" …" if len(odd) > 3 else "")
    return entries, [f"{path}: {len(odd)} code(s) have a guid that is not a GUID ({shown}); read anyway"] if odd else []


def _is_guid(text: str) -> bool:
    try:
        uuid.UUID(text.strip("{}"))
        return True
    except ValueError:
        return False


def _read_table(path: Path) -> list[Entry]:
    """`label` (and `id`, `parent`) or, as qualcode's Excel annex has it, `path` (`Theme > Descriptor`,
    with `id`); definition, include, exclude, and the rules (lists separated by `; `)."""
    from .ingest.tables import read_table

    table = read_table(path)
    header = [h.casefold() for h in table.header]
    if "label" not in header and "path" not in header:
        raise InputFileError(path, "needs a `label` column (with `id`, `parent`) or a `path` column (Theme > Descriptor)", line=1)
    rows = [(line, dict(zip(header, (c.strip() for c in cells)))) for line, cells in table.rows]
    by_path = {row["path"]: row.get("id") or row["path"] for _, row in rows} if "label" not in header else {}
    entries = []
    for line, row in rows:
        if by_path:
            parts = [p.strip() for p in row["path"].split(" > ")]
            label, key, parent = parts[-1], by_path[row["path"]], by_path.get(" > ".join(parts[:-1])) if len(parts) > 1 else None
        else:
            label, key, parent = row["label"], row.get("id") or row["label"], row.get("parent") or None
        if not label:
            raise InputFileError(path, "empty label", line=line)
        entries.append(Entry(key, label, parent, row.get("definition", ""), row.get("include", ""), row.get("exclude", ""),
                             _rules(row, path, line)))
    return entries


def _rules(row: dict, path: Path, line: int) -> dict:
    rules = {name: [v.strip() for v in row[name].split(";") if v.strip()] for name in _LISTS if row.get(name)}
    rules.update({name: row[name] for name in _TEXTS if row.get(name)})
    if row.get("fuzzy"):
        if not row["fuzzy"].isdigit():
            raise InputFileError(path, f"fuzzy {row['fuzzy']!r} is not a number", line=line)
        rules["fuzzy"] = int(row["fuzzy"])
    for name in ("lemma", "retired"):
        if row.get(name):
            rules[name] = row[name].casefold() in {"true", "yes", "1"}
    return rules


def _read_qualcoder(path: Path) -> list[Entry]:
    """QualCoder's plain text: `category>>code<TAB>memo`, categories nested with `>>`."""
    entries: dict[str, Entry] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(path, f"cannot read ({error})", hint="save it as UTF-8 text") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        names, _, memo = line.partition("\t")
        parts = [p.strip() for p in names.split(">>")]
        if not all(parts):
            raise InputFileError(path, "empty name between `>>`", line=number, hint="write category>>code")
        for depth, name in enumerate(parts):
            key = ">>".join(parts[:depth + 1])
            if key not in entries:
                entries[key] = Entry(key, name, ">>".join(parts[:depth]) or None, memo.strip() if depth == len(parts) - 1 else "")
    return list(entries.values())


# -- writing -------------------------------------------------------------------------------------

def export_codebook(project: Project, output: Path, force: bool = False, guard=None) -> int:
    """Write the project's codebook in the format the suffix names, after the leak check (examples quote
    people); returns how many codes."""
    from .export import Guard, leak_check

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"-o {output}: choose a .qdc, .csv, .txt (QualCoder), .docx or .xlsx file")
    refuse_existing(output, force)
    codebook = load_codebook(codebook_path(project))
    leak_check(project, output, codebook.content(), guard or Guard())
    writer = {".qdc": _write_qdc, ".csv": _write_csv, ".txt": _write_qualcoder, ".docx": _write_docx, ".xlsx": _write_xlsx}[suffix]
    write_whole(output, lambda path: writer(codebook, path))
    return len(codebook.codes)


def guid(code_id: str) -> str:
    """The same code id gives the same GUID in every export."""
    return str(uuid.uuid5(_GUIDS, code_id))


def qdc_text(codebook: Codebook) -> str:
    from xml.sax.saxutils import escape, quoteattr

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<CodeBook xmlns="{QDC_NAMESPACE}" origin="qualcode">', "  <Codes>"]

    def write(code_id: str, depth: int) -> None:
        code, pad = codebook.codes[code_id], "  " * depth
        description = "\n\n".join(part for part in (code.definition, code.include and f"Include: {code.include}",
                                                     code.exclude and f"Exclude: {code.exclude}") if part)
        lines.append(f'{pad}<Code guid="{guid(code.id)}" name={quoteattr(code.label)} isCodable="true">')
        if description:
            lines.append(f"{pad}  <Description>{escape(description)}</Description>")
        for child in codebook.children(code.id):
            write(child.id, depth + 1)
        lines.append(f"{pad}</Code>")

    for root in codebook.children(None):
        write(root.id, 2)
    lines += ["  </Codes>", "</CodeBook>", ""]
    return "\n".join(lines)


def _write_qdc(codebook: Codebook, path: Path) -> None:
    if not codebook.codes:
        raise UsageError("the codebook has no codes; REFI-QDA needs at least one")
    path.write_text(qdc_text(codebook), encoding="utf-8")


def _rows(codebook: Codebook) -> list[dict]:
    """One row per code with everything in it: `codebook import` of the CSV gives the same codebook back."""
    return [{"id": c.id, "parent": c.parent or "", "label": c.label, "path": codebook.path(c.id), "definition": c.definition,
             "include": c.include, "exclude": c.exclude, **{name: "; ".join(getattr(c, name)) for name in _LISTS},
             **{name: getattr(c, name) or "" for name in _TEXTS}, "fuzzy": c.fuzzy or "", "lemma": "" if c.lemma else "false",
             "retired": "true" if c.retired else ""} for c in codebook.codes.values()]


def _write_csv(codebook: Codebook, path: Path) -> None:
    import csv

    rows = _rows(codebook)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["id", "parent", "label"])
        writer.writeheader()
        writer.writerows(rows)


def _write_qualcoder(codebook: Codebook, path: Path) -> None:
    lines = [">>".join(codebook.path(c.id).split(" > ")) + (f"\t{c.definition}" if c.definition else "")
             for c in codebook.codes.values() if not codebook.children(c.id)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_xlsx(codebook: Codebook, path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Codebook"
    columns = ["path", "definition", "include", "exclude", "examples", "aliases", "id"]
    sheet.append([c.capitalize() for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(codebook):
        sheet.append([row[c] for c in columns])
    for column, width in zip("ABCDEFG", (45, 50, 35, 35, 35, 20, 25)):
        sheet.column_dimensions[column].width = width
        for cell in sheet[column]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path)


def _write_docx(codebook: Codebook, path: Path) -> None:
    """An annex for a report: a heading per theme, and a table of its codes with their definitions."""
    import docx

    document = docx.Document()
    document.add_heading(codebook.name or "Codebook", level=1)
    for theme in codebook.children(None):
        document.add_heading(theme.label, level=2)
        if theme.definition:
            document.add_paragraph(theme.definition)
        codes = [codebook.codes[i] for i in codebook.descendants(theme.id)]
        if not codes:
            continue
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Code", "Definition", "Include", "Exclude")):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for code in codes:
            for cell, text in zip(table.add_row().cells, (codebook.path(code.id).split(" > ", 1)[-1], code.definition,
                                                          code.include, code.exclude)):
                cell.text = text
    document.save(str(path))
