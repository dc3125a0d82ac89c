"""The leak check: is anything identifying left in the project or its exports?

It looks for roster names and aliases, declared terms, typos of them, and identifier patterns
(e-mail, phone, postcode, web address) in the stored text and labels, document names, attributes,
the log and the reasons people wrote, the settings and codebook files, and every file under
`exports/`; and for codes that single out one person through their attributes. Names come from the
key once the project is anonymised. Hits recorded in the allowlist (with who and why) and finds a
reviewer decided to keep are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..anonymise import PENDING, REJECTED, pending, settings_files, settings_for
from ..anonymise.detect import Detector, case_is_informative
from ..anonymise.lexicon import detector_for
from ..codes import Person, identifying
from ..errors import UsageError
from ..key import check_location, hide_seed, read_key
from ..models import REVIEW
from ..project import Project
from ..script import LineIndex, visible
from ..settings import DATABASE_FILE, EXPORTS_DIR, PROJECT_FILE

LOG = "log"
_TEXT_SUFFIXES = {".md", ".txt", ".csv", ".tsv", ".json", ".html", ".htm", ".xml", ".yaml", ".yml", ".svg"}
_UNREADABLE = "cannot be read to check it; delete it, or export again as md, csv, txt, json, docx or xlsx"


@dataclass(frozen=True, slots=True)
class Leak:
    where: str  # a document, `NAME: attribute …`, `log`, `reasons`, a project file, or a file under exports/
    line: int | None
    text: str
    category: str
    detector: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Source:
    where: str
    offset: int  # of `text` within `whole`
    text: str
    case_known: bool
    whole: str | None = None  # the document or file it is part of, for line numbers


def check_leaks(project: Project, key_path: Path | None = None, passphrase: str | None = None,
                also: list[Path] | None = None) -> list[Leak]:
    """Every leak in the project and its exports/ folder (and in the `also` files or folders, where a
    team writes outputs outside the project)."""
    store = project.store
    key = _key(project, key_path, passphrase, store.has_anonymised_documents())
    people = store.people_for_codes()
    detector = _detector(project, key)
    exports, unreadable = _export_texts(project.root / EXPORTS_DIR)
    for other in _other_files(project):  # transcripts copied into the folder, notes, anything else left there
        found, missed = _export_texts(other, project.root)
        exports, unreadable = exports + found, unreadable + missed
    for extra in also or []:
        if not extra.exists():
            raise UsageError(f"--path {extra}: no such file or folder")
        found, missed = _export_texts(extra)
        exports, unreadable = exports + found, unreadable + missed
    sources = [*_project_texts(project), *exports]
    detector.learn_variants(source.text for source in sources)
    allowed = store.allowlist()
    leaks = _found_in(sources, detector, store, allowed)
    leaks += [Leak(where, None, "", "unchecked", "exports", _UNREADABLE) for where in unreadable]
    leaks += [Leak(p.document, p.line, p.text, p.category, p.detector, "doubtful: decide with `qualcode anonymise review`")
              for p in pending(project) if not _allowed(allowed, p.text, p.document)]
    leaks += _identifying_codes(people, allowed)
    leaks += [Leak(LOG, None, command, "seed", "log", "an allocation seed: `qualcode anonymise` blanks it in the log")
              for command in store.log_texts()[0].values() if hide_seed(command) != command]
    return list(dict.fromkeys(leaks))  # the log names a file in many lines: once is enough


def check_output(project: Project, where: str, text: str, key_path: Path | None = None) -> tuple[list[Leak], bool]:
    """Names and identifiers in an export about to be written (doubtful words a reviewer has seen in
    the transcripts are not raised again), and whether names could be looked for: once the project is
    anonymised they are in the key, which may not be at hand."""
    store = project.store
    text = visible(text)
    anonymised = store.has_anonymised_documents()
    try:
        key, names_known = _key(project, key_path, None, anonymised), True
    except UsageError:
        if key_path is not None:
            raise
        key, names_known = {}, not anonymised
    detector = _detector(project, key)
    allowed, kept = store.allowlist(), _kept(store)
    leaks = [Leak(where, None, text[d.start:d.end], d.category, d.detector, d.reason)
             for d in detector.find(text, case_is_informative(text))
             if d.decision != REVIEW and text[d.start:d.end].casefold() not in kept and not _allowed(allowed, text[d.start:d.end], where)]
    flat = _flat(text)
    leaks += [Leak(where, None, row["surface"], row["category"], row["detector"], "doubtful: decide with `qualcode anonymise review`")
              for row in _undecided(store) if any(passage in flat for passage in row["passages"])
              and not _allowed(allowed, row["surface"], where)]
    return list(dict.fromkeys(leaks)), names_known


def _kept(store) -> set[str]:
    """Words a reviewer decided to keep in the transcripts (`Will` the verb): an export quoting them is
    quoting what was decided."""
    return {row["surface"].casefold() for row in _doubtful(store, REJECTED)}


_AROUND = 12  # characters of a doubtful word's surroundings that mark a quote of its passage


def _undecided(store) -> list[dict]:
    """Doubtful finds no one has decided yet, with the passages (the word and a little before, or a
    little after) whose quoting in an export would carry the word out undecided."""
    return _doubtful(store, PENDING)


def _doubtful(store, status: str) -> list[dict]:
    texts: dict[int, str] = {}
    found = []
    for row in store.redactions(status=status):
        if row["document_id"] not in texts:
            texts[row["document_id"]] = store.document_text(row["document_id"])
        text, start, end = texts[row["document_id"]], row["start"], row["end"]
        found.append({**row, "surface": text[start:end],
                      "passages": (_flat(text[max(0, start - _AROUND):end]), _flat(text[start:end + _AROUND]))})
    return found


def _flat(text: str) -> str:
    return " ".join(text.casefold().split())


def _detector(project: Project, key: dict) -> Detector:
    store = project.store
    people = store.people_kinds()
    roster = store.roster_entries() + [{"person_id": int(pid), "name": e["name"], "aliases": e["aliases"]}
                                       for pid, e in key.get("roster", {}).items()]
    return detector_for(project, settings_for(project), roster, people, {p["id"]: p["code"] for p in people if p["code"]},
                        key.get("terms", []))


def _found_in(sources: list[_Source], detector: Detector, store, allowed: list[dict]) -> list[Leak]:
    # Kept on purpose by a reviewer, or waiting for one (pending finds are reported on their own).
    decided = {(r["document"], r["start"], r["end"]) for status in (REJECTED, PENDING) for r in store.redactions(status=status)}
    documents = {d["name"] for d in store.document_refs()}
    remembered: dict[str, list] = {}  # attribute values and log lines repeat (`Agree`, a site's name)
    lines: dict[str, LineIndex] = {}
    leaks = []
    for source in sources:
        if source.whole is None:
            if source.text not in remembered:
                remembered[source.text] = detector.find(source.text, source.case_known)
            finds = remembered[source.text]
        else:
            finds = detector.find(source.text, source.case_known)
        for found in finds:
            surface = source.text[found.start:found.end]
            start = source.offset + found.start
            if (source.where, start, source.offset + found.end) in decided or _allowed(allowed, surface, source.where):
                continue
            line = None
            if source.whole is not None:
                if source.where not in lines:
                    lines[source.where] = LineIndex(source.whole)
                line = lines[source.where].line(start)
            leaks.append(Leak(source.where, line, surface, found.category, found.detector,
                              _note(found, source.where in documents)))
    return leaks


def _note(found, in_a_document: bool) -> str:
    if found.decision != REVIEW:
        return found.reason
    action = "run `qualcode anonymise` to list it for review" if in_a_document else "`qualcode check allow` it if it is not a name here"
    return f"doubtful, a name that is also a word: {action}"


def _key(project: Project, key_path: Path | None, passphrase: str | None, anonymised: bool) -> dict:
    """The key when one is given or configured and exists; an anonymised project cannot be checked without it."""
    chosen = key_path or project.settings["key"]
    path = check_location(Path(chosen), project.root) if chosen else None
    if path is None or not path.exists():
        if not anonymised and key_path is None:
            return {}  # the names are still in the project (a configured key may not exist yet)
        if path is None:
            raise UsageError("the names to look for are in the key: pass --key PATH, or set QUALCODE_KEY or [user] key")
        raise UsageError(f"{path}: no such key; check the path")
    return read_key(path, project.store.project_id(), passphrase)


def _allowed(allowed: list[dict], surface: str, where: str) -> bool:
    """On the allowlist for this place; in the log, on it anywhere (allowing a text logs it)."""
    folded = surface.casefold()
    return any(a["text"].casefold() == folded and (not a["scope"] or a["scope"] == where or where == LOG) for a in allowed)


def _project_texts(project: Project) -> Iterator[_Source]:
    """Everything the store holds that people said, wrote or named, and the project's own files."""
    store = project.store
    for document in store.all_documents():
        name, text = document["name"], document["text"]
        turns = store.turn_rows(document["id"])
        case_known = case_is_informative(" ".join(text[t["start"]:t["end"]] for t in turns))
        labels: dict[str, int] = {}  # each label once, where it first stands
        for turn in turns:
            yield _Source(name, turn["start"], text[turn["start"]:turn["end"]], case_known, text)
            if turn["label_start"] is not None:
                labels.setdefault(text[turn["label_start"]:turn["label_end"]], turn["label_start"])
        yield from (_Source(name, start, label, True, text) for label, start in labels.items())
        yield _Source("document names", 0, name, True)
        for attribute, value in store.document_attributes(document["id"]).items():
            yield _Source(f"{name}: attribute {attribute}", 0, value, True)
    for speaker in store.speakers_with_attributes():
        for attribute, value in speaker["attributes"].items():
            yield _Source(f"{speaker['document']}: {speaker['label']} attribute {attribute}", 0, str(value), True)
    for person, attributes in store.person_attributes().items():
        for attribute, value in attributes.items():
            for item in value if isinstance(value, list) else [value]:
                yield _Source(f"person {person}: attribute {attribute}", 0, str(item), True)
    for name, text in settings_files(project):
        yield _Source(name, 0, text, case_is_informative(text), text)
    commands, changes = store.log_texts()
    yield from (_Source(LOG, 0, command, True) for command in commands.values())
    yield from (_Source(LOG, 0, f"{target} {detail}", True) for target, detail in changes.values())
    yield from (_Source("reasons", 0, note, True) for note in store.notes().values())
    yield from (_Source("memos", 0, f"{memo['title']}\n{memo['text']}", True) for memo in store.memos())
    yield from (_Source("framework summaries", 0, text, True) for text in store.framework_texts().values())
    yield from (_Source("quotes", 0, text, True) for text in store.quote_texts().values())
    yield from (_Source("quote reasons", 0, text, True) for text in store.quote_reasons().values())
    yield from (_Source("ratifications", 0, text, True) for text in store.ratification_texts().values())
    yield from (_Source("codebook versions", 0, text, case_is_informative(text)) for text in store.codebook_texts().values())
    yield from (_Source("coders", 0, name, True) for name in sorted(store.coder_names()))


def _other_files(project: Project) -> list[Path]:
    """Files in the project folder that are not qualcode's own (the store, settings, codebook, exports/);
    hidden folders (`.git`) are left alone."""
    own = {DATABASE_FILE, PROJECT_FILE, project.settings["project.codebook"], EXPORTS_DIR}
    found = []
    for path in sorted(project.root.rglob("*")):
        relative = path.relative_to(project.root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts) and relative.parts[0] not in own \
                and not relative.name.startswith(DATABASE_FILE):
            found.append(path)
    return found


def _export_texts(folder: Path, base: Path | None = None) -> tuple[list[_Source], list[str]]:
    """The text of every file under a folder (exports/), or of one file, and the files that could not be read."""
    texts, unreadable = [], []
    if folder.is_dir() or folder.is_file():
        files = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".gitkeep")
        for path in files:
            where = str(path.relative_to(base or folder.parent))
            texts.append(_Source("export file names", 0, path.name, True))  # `Lucy Marsh quotes.md`
            text = _file_text(path)
            if text is None:
                unreadable.append(where)
            else:
                text = visible(text)
                texts.append(_Source(where, 0, text, case_is_informative(text), text))
    return texts, unreadable


def _file_text(path: Path) -> str | None:
    suffix = path.suffix.lower()
    try:
        if suffix in _TEXT_SUFFIXES or path.name.startswith(".") and not suffix:
            from ..ingest.decode import decode

            return decode(path.read_bytes(), path)[0]  # UTF-8, UTF-16, legacy code pages
        if suffix == ".docx":
            import docx

            document = docx.Document(str(path))
            parts = [document, *_margins(document)]
            comments = [f"{c.author}\n{c.text}" for c in document.comments]
            return "\n".join([*(_docx_text(part) for part in parts), *comments, _properties(document.core_properties)])
        if suffix == ".png":
            return _chart_text(path)
        if suffix == ".xlsx":
            import openpyxl

            workbook = openpyxl.load_workbook(path, data_only=True)  # not read-only: comments are read too
            cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
            return "\n".join([*workbook.sheetnames, *("" if c.value is None else str(c.value) for c in cells),
                              *(f"{c.comment.author}\n{c.comment.text}" for c in cells if c.comment),
                              _properties(workbook.properties)])
    except Exception:  # a damaged export cannot be read, so it cannot be cleared either
        return None
    return None


def _chart_text(path: Path) -> str | None:
    """A chart qualcode drew keeps its words in a text chunk; any other picture cannot be read."""
    from PIL import Image

    from ..charts import CHART_SOFTWARE

    with Image.open(path) as image:
        chunks = getattr(image, "text", {})
    return chunks.get("Description", "") if chunks.get("Software") == CHART_SOFTWARE else None


def template_text(path: Path) -> str:
    """The headers and footers a Word template passes on to a report made with it (not its properties:
    a report starts with its own)."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception:  # an unreadable template is refused where it is opened, with its own message
        return ""
    return "\n".join(_docx_text(part) for part in _margins(document))


def _margins(document) -> list:
    """Every header and footer of a Word document: default, first page and even pages, each section."""
    return [part for section in document.sections
            for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                         section.even_page_header, section.even_page_footer)]


def _properties(properties) -> str:
    """Who wrote a Word or Excel file and what it is called: names hide there too."""
    names = ("author", "creator", "last_modified_by", "lastModifiedBy", "title", "subject", "keywords", "comments", "description",
             "category")
    return "\n".join(str(getattr(properties, name)) for name in names if getattr(properties, name, None))


def _docx_text(part) -> str:
    """Paragraphs and table cells of a Word body, header or footer."""
    cells = [cell.text for table in part.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in part.paragraphs] + cells)


def _identifying_codes(people: list[dict], allowed: list[dict]) -> list[Leak]:
    """Codes that single out one person through role and site."""
    coded = [Person(r["id"], r["role"], r["attributes"], r["code"], tuple(r["document_sites"])) for r in people if r["code"]]
    return [Leak("speaker codes", None, description.split(" ")[0], "identifying-code", "attributes", description)
            for description in identifying(coded, {p.id: p.code for p in coded})
            if not _allowed(allowed, description.split(" ")[0], "speaker codes")]
