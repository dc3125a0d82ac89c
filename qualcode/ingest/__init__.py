"""Import: files, folders and globs of transcripts into the project, one transaction per file.

`import_paths` is the stage's entry point. Readers (one module per family of formats) turn bytes into
blocks; `script.build_script` turns blocks into the stored text; the store saves it.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..anchor import reanchor
from ..corpus import apply_attributes, parse_assignments
from ..errors import InputFileError, QualcodeError, UsageError
from ..models import ORPHANED, ImportOutcome, ParsedSource, Script, SourceFile
from ..project import Project
from ..script import build_script
from ..speakers import interviewer_regex, role_for_label
from .decode import FORMATS, SUFFIX_FORMATS, sniff_format
from .documents import ReadOptions
from .tables import read_attribute_sheet

ATTRIBUTE_SHEETS = {"documents.csv", "documents.xlsx"}
# Sheets about people, not transcripts: `qualcode roster import` reads them, a folder import skips them.
_PEOPLE_SHEETS = {"roster.csv", "roster.xlsx", "terms.csv", "terms.xlsx"}
_SKIPPED_STEMS = {"readme", "license", "licence", "copying", "notice"}
# Files to parse before worker processes pay for their start-up; two PDFs (a second each) already do.
_PARALLEL_FROM = 16


@dataclass(slots=True)
class ImportOptions:
    replace: bool = False
    format: str | None = None
    label_pattern: str | None = None
    attributes: list[str] = field(default_factory=list)
    attribute_sheet: Path | None = None
    id_column: str | None = None
    question_columns: tuple[str, ...] = ()
    sheet: str | None = None


@dataclass(slots=True)
class ImportReport:
    outcomes: list[ImportOutcome]
    skipped: list[str]
    unknown_sheet_rows: list[str]
    anonymised_project: bool = False  # new text arrived in a project whose other documents are anonymised

    @property
    def failed(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def collect_sources(paths: list[str]) -> tuple[list[SourceFile], list[Path], list[str], list[ImportOutcome]]:
    """Expand files, folders and globs. Returns sources, attribute sheets found, skipped files, missing paths.

    A file named on the command line is imported as asked; files found in a folder or by a glob are
    filtered (hidden files, lock files, READMEs and licences skipped; documents.csv/.xlsx taken as the
    attribute sheet).
    """
    sources: list[SourceFile] = []
    sheets: list[Path] = []
    skipped: list[str] = []
    missing: list[ImportOutcome] = []
    for argument in paths:
        literal = Path(argument)
        if literal.exists() or not glob.has_magic(argument):
            matches, found = [literal], False
        else:
            matches, found = [Path(m) for m in sorted(glob.glob(argument, recursive=True))], True
        if not any(m.exists() for m in matches):
            missing.append(ImportOutcome(argument, literal.name, "failed", error=f"{argument}: no such file or folder; check the path"))
        for match in matches:
            if match.is_dir():
                for path in sorted(match.rglob("*")):
                    _collect_found(path, match, sources, sheets, skipped)
            elif found:
                _collect_found(match, match.parent, sources, sheets, skipped)
            elif match.is_file():
                sources.append(SourceFile(str(match), match.name, match.name))
            elif match.exists():
                missing.append(ImportOutcome(str(match), match.name, "failed", error=f"{match}: not a regular file (a pipe or device?); import files or folders"))
    return _disambiguate(sources), sheets, skipped, missing


def _collect_found(path: Path, root: Path, sources: list[SourceFile], sheets: list[Path], skipped: list[str]) -> None:
    # Hidden files and Word's lock files (~$name.docx) are never transcripts.
    if not path.is_file() or any(part.startswith((".", "~$")) for part in path.relative_to(root).parts):
        return
    if path.name.casefold() in ATTRIBUTE_SHEETS:
        sheets.append(path)
    elif path.suffix.lower() not in SUFFIX_FORMATS or path.stem.casefold() in _SKIPPED_STEMS or path.name.casefold() in _PEOPLE_SHEETS:
        skipped.append(str(path))
    else:
        sources.append(SourceFile(str(path), path.relative_to(root).as_posix(), path.name))


def _disambiguate(sources: list[SourceFile]) -> list[SourceFile]:
    """One entry per file; files that share a name are named by their paths below a common folder."""
    unique: dict[Path, SourceFile] = {}
    for source in sources:
        unique.setdefault(Path(source.path).resolve(), source)
    by_name: dict[str, list[Path]] = {}
    for resolved, source in unique.items():
        by_name.setdefault(source.name, []).append(resolved)
    named = []
    for resolved, source in unique.items():
        twins = by_name[source.name]
        if len(twins) > 1:
            common = Path(os.path.commonpath([p.parent for p in twins]))
            named.append(SourceFile(source.path, source.relpath, resolved.relative_to(common).as_posix()))
        else:
            named.append(source)
    return named


def import_paths(project: Project, paths: list[str], options: ImportOptions,
                 on_file: Callable[[SourceFile, int], None] | None = None) -> ImportReport:
    """Import every file the paths name; `on_file(source, total)` is called as each one is done."""
    if options.format is not None and options.format not in FORMATS:
        raise UsageError(f"--format {options.format}: choose one of {', '.join(FORMATS)}")
    attributes = parse_assignments(options.attributes)
    sources, sheets, skipped, outcomes = collect_sources(paths)
    if options.attribute_sheet is not None:
        sheets.append(options.attribute_sheet)
    # Read before anything is imported, so a broken sheet stops the command with the store untouched.
    sheet_rows = [read_attribute_sheet(sheet) for sheet in sheets]
    read_options = ReadOptions(
        label_pattern=options.label_pattern or project.settings["import.label_pattern"] or None,
        interviewer_labels=interviewer_regex(project.settings.interviewer_labels),
        id_column=options.id_column, question_columns=options.question_columns, sheet=options.sheet,
    )
    jobs = []
    for source in sources:
        checked = _check(project, source, options, read_options)
        if isinstance(checked, ImportOutcome):
            outcomes.append(checked)
            if on_file:
                on_file(source, len(sources))
        else:
            jobs.append(checked)
    for job, parsed in zip(jobs, _parse_all(jobs)):
        outcomes.append(_save(project, job, parsed, attributes))
        if on_file:
            on_file(job.source, len(sources))
    unknown_rows: list[str] = []
    for rows in sheet_rows:
        unknown_rows += apply_attributes(project, rows)[1]
    arrived = any(o.status in {"imported", "replaced"} for o in outcomes)
    return ImportReport(outcomes, skipped, unknown_rows, arrived and project.store.has_anonymised_documents())


def import_attribute_sheet(project: Project, path: Path) -> tuple[int, list[str]]:
    """Set attributes from a sheet in one transaction. Returns documents updated and rows naming no document."""
    return apply_attributes(project, read_attribute_sheet(path))


@dataclass(frozen=True, slots=True)
class _Job:
    """A file that needs reading: picklable, so a worker process can parse it."""

    source: SourceFile
    sha256: str
    size: int
    format: str | None
    replace_id: int | None
    options: ReadOptions


def _check(project: Project, source: SourceFile, options: ImportOptions, read_options: ReadOptions) -> _Job | ImportOutcome:
    """Hash the file and decide: unchanged, refused, or to be read (always, with --replace)."""
    path = Path(source.path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return ImportOutcome(source.path, source.name, "failed", error=f"{path}: cannot read ({error.strerror}); check the file's permissions")
    digest = hashlib.sha256(data).hexdigest()
    # The same file keeps the name it was first imported under, however it is named on the command line.
    existing = project.store.existing_document(str(path.resolve()), source.name)
    if existing:
        source = SourceFile(source.path, source.relpath, existing["name"])
    if existing and existing["sha256"] == digest and not options.replace:
        return ImportOutcome(source.path, source.name, "unchanged")
    anonymised = project.store.anonymised_document_with_sha256(digest)
    if anonymised and not existing:
        # Its name and path went into the key: only its content can tell it was imported before.
        return ImportOutcome(source.path, anonymised, "unchanged", warnings=[f"imported before, now the anonymised {anonymised}"])
    if existing and not options.replace:
        if existing["source_path"] == str(path.resolve()):
            problem = f"has changed since it was imported as {source.name!r}"
        else:
            problem = f"differs from the document {source.name!r} imported from {existing['source_path']}"
        error = InputFileError(path, problem, hint="pass --replace to import this version over it")
        return ImportOutcome(source.path, source.name, "failed", error=str(error))
    return _Job(source, digest, len(data), options.format, existing["id"] if existing else None, read_options)


def _parse_all(jobs: list[_Job]):
    """Parse in worker processes when there is enough work to pay for starting them."""
    workers = min(os.cpu_count() or 1, 4)
    pdfs = sum(job.source.path.lower().endswith(".pdf") for job in jobs)
    if workers < 2 or (len(jobs) < _PARALLEL_FROM and pdfs < 2):
        return map(_parse, jobs)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # spawn, not fork: the parent may hold a progress-bar thread and an open database.
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    chunksize = max(1, min(8, len(jobs) // (workers * 4)))
    return _results_then_shutdown(executor, executor.map(_parse, jobs, chunksize=chunksize))


def _results_then_shutdown(executor, results):
    try:
        yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _parse(job: _Job) -> tuple[ParsedSource, Script] | str:
    """Read and parse one file; a failure comes back as its one-line message (exceptions may not pickle)."""
    path = Path(job.source.path)
    try:
        data = path.read_bytes()
        parsed = read_source(path, data, job.format or sniff_format(path, data), job.options)
        return parsed, build_script(parsed.blocks)
    except OSError as error:
        return f"{path}: cannot read ({error.strerror}); check the file's permissions"
    except QualcodeError as error:
        return str(error)
    except Exception as error:  # a reader library failing on a file it cannot handle: that file fails, not the batch
        return f"{path}: could not be read ({type(error).__name__}: {error}); check the file, or report it if it opens elsewhere"


def _save(project: Project, job: _Job, parsed: tuple[ParsedSource, Script] | str, attributes: dict[str, str]) -> ImportOutcome:
    """One transaction: the document, its turns, speakers and attributes, and the log line."""
    source = job.source
    if isinstance(parsed, str):
        return ImportOutcome(source.path, source.name, "failed", error=parsed)
    parsed_source, script = parsed
    store = project.store
    roles = {t.speaker_label: role_for_label(t.speaker_label, job.options.interviewer_labels) for t in script.turns if t.speaker_label}
    record = {"name": source.name, "format": parsed_source.format, "source_path": str(Path(source.path).resolve()),
              "relpath": source.relpath, "sha256": job.sha256, "size": job.size}
    twin = store.document_with_sha256(job.sha256)
    warnings = [f"same content as the imported document {twin!r}"] if twin and twin != source.name else []
    with store.unit_of_work():
        codings = store.codings(job.replace_id) if job.replace_id else []
        old_text = store.document_text(job.replace_id) if codings else ""
        document_id = store.save_document(record, script, parsed_source, roles, job.replace_id)
        if codings:
            placements = reanchor(old_text, script.text, codings)
            store.place_codings(placements)
            orphaned = sum(p.placement == ORPHANED for p in placements)
            if orphaned:
                warnings.append(f"{orphaned} of {len(codings)} coding(s) could not be placed in the new text; they are kept as "
                                "orphaned (`qualcode index --orphaned` lists them)")
        if attributes:
            store.set_document_attributes(document_id, source.name, attributes)
    status = "replaced" if job.replace_id else "imported"
    return ImportOutcome(source.path, source.name, status, parsed_source.format, len(script.turns), warnings + parsed_source.warnings)


def read_source(path: Path, data: bytes, fmt: str, options: ReadOptions) -> ParsedSource:
    """Dispatch to the reader for `fmt`; heavy libraries are imported only by the reader that needs them."""
    if not data:
        raise InputFileError(path, "empty file (0 bytes)", hint="check the export or download finished")
    if fmt in {"vtt", "srt", "sbv"}:
        from .captions import read_captions

        return read_captions(path, data, fmt)
    if fmt in {"csv", "xlsx"}:
        from .survey import read_survey

        return read_survey(path, data, fmt, options)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, data, options)
    from . import documents

    reader = {"text": documents.read_text, "docx": documents.read_docx, "odt": documents.read_odt, "rtf": documents.read_rtf}[fmt]
    return reader(path, data, options)
