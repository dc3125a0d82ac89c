"""The leak check: is anything identifying left in the project or its exports?

It looks for roster names and aliases, declared terms, typos of them, and identifier patterns
(e-mail, phone, postcode, web address) in the stored text and labels, document names, attributes, the
log, the settings and codebook files, and every file under `exports/`; and for codes that single out one person through their
attributes. Names come from the key once the project is anonymised. Hits recorded in the allowlist
(with who and why) and finds a reviewer decided to keep are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..anonymise import PENDING, REJECTED, settings_files, settings_for
from ..anonymise.detect import case_is_informative
from ..anonymise.lexicon import detector_for
from ..codes import Person, identifying
from ..errors import UsageError
from ..key import locate, read_key
from ..models import REVIEW
from ..project import Project
from ..script import LineIndex
from ..settings import EXPORTS_DIR

LOG = "log"
_TEXT_SUFFIXES = {".md", ".txt", ".csv", ".tsv", ".json", ".html", ".htm", ".xml", ".yaml", ".yml"}


@dataclass(frozen=True, slots=True)
class Leak:
    where: str  # a document, `attribute …`, `log`, or a file under exports/
    line: int | None
    text: str
    category: str
    detector: str
    note: str = ""


def check_leaks(project: Project, key_path: Path | None = None, passphrase: str | None = None) -> list[Leak]:
    store = project.store
    anonymised = store.has_anonymised_documents()
    key = _key(project, key_path, passphrase, anonymised)
    roster = store.roster_entries() + [{"person_id": int(pid), "name": e["name"], "aliases": e["aliases"]}
                                       for pid, e in key.get("roster", {}).items()]
    codes = {p["id"]: p["code"] for p in store.people_for_codes() if p["code"]}
    detector = detector_for(project, settings_for(project), roster, codes, key.get("terms", []))
    exports, unreadable = _export_texts(project.root / EXPORTS_DIR)
    sources = list(_project_texts(project)) + exports
    detector.learn_variants(text for _, _, text, _, _ in sources)
    # Kept on purpose by a reviewer, or waiting for one (reported once, below).
    decided = {(r["document"], r["start"], r["end"]) for status in (REJECTED, PENDING) for r in store.redactions(status=status)}
    allowed = store.allowlist()
    documents = {d["name"] for d in store.document_refs()}
    leaks = []
    remembered: dict[str, list] = {}  # attribute values and log lines repeat (`Agree`, a site's name)
    lines: dict[str, LineIndex] = {}
    for where, offset, text, case_known, whole in sources:
        if whole is None:
            if text not in remembered:
                remembered[text] = detector.find(text, case_known)
            finds = remembered[text]
        else:
            finds = detector.find(text, case_known)
        for found in finds:
            surface = text[found.start:found.end]
            if (where, offset + found.start, offset + found.end) in decided or _allowed(allowed, surface, where):
                continue
            line = lines.setdefault(where, LineIndex(whole)).line(offset + found.start) if whole is not None else None
            note = found.reason
            if found.decision == REVIEW:
                action = "run `qualcode anonymise` to list it for review" if where in documents \
                    else "`qualcode check allow` it if it is not a name here"
                note = f"doubtful, a name that is also a word: {action}"
            leaks.append(Leak(where, line, surface, found.category, found.detector, note))
    leaks.extend(Leak(where, None, "", "unchecked", "exports", "cannot be read to check it; delete it, or export again as "
                      "md, csv, txt, json, docx or xlsx") for where in unreadable)
    leaks.extend(_pending(store, allowed))
    leaks.extend(_identifying_codes(project, allowed))
    return list(dict.fromkeys(leaks))  # the log names a file in many lines: once is enough


def _key(project: Project, key_path: Path | None, passphrase: str | None, anonymised: bool) -> dict:
    """The key when one is given or configured; an anonymised project cannot be checked without it."""
    try:
        path = locate(key_path, project.settings["key"], project.root)
    except UsageError:
        if anonymised:
            raise UsageError("the names to look for are in the key: pass --key PATH, or set QUALCODE_KEY or [user] key") from None
        return {}
    if not path.exists():
        raise UsageError(f"{path}: no such key; check the path")
    return read_key(path, project.store.project_id(), passphrase)


def _allowed(allowed: list[dict], surface: str, where: str) -> bool:
    """On the allowlist for this place; in the log, on it anywhere (allowing a text logs it)."""
    folded = surface.casefold()
    return any(a["text"].casefold() == folded and (not a["scope"] or a["scope"] == where or where == LOG) for a in allowed)


Source = tuple[str, int, str, bool, "str | None"]  # where, offset, text, case known, the whole text it is part of


def _project_texts(project: Project) -> Iterator[Source]:
    """Everything the store holds that people said, wrote or named."""
    store = project.store
    for document in store.documents_to_anonymise():
        name, text = document["name"], document["text"]
        turns = store.turn_rows(document["id"])
        case_known = case_is_informative(" ".join(text[t["start"]:t["end"]] for t in turns))
        for turn in turns:
            yield name, turn["start"], text[turn["start"]:turn["end"]], case_known, text
            if turn["label_start"] is not None:
                yield name, turn["label_start"], text[turn["label_start"]:turn["label_end"]], True, text
        yield "document names", 0, name, True, None
        for attribute, value in store.document_attributes(document["id"]).items():
            yield f"{name}: attribute {attribute}", 0, value, True, None
    for speaker in store.speaker_rows_all():
        for attribute, value in speaker["attributes"].items():
            yield f"{speaker['document']}: {speaker['label']} attribute {attribute}", 0, str(value), True, None
    for person, attributes in store.person_attributes().items():
        for attribute, value in attributes.items():
            for item in value if isinstance(value, list) else [value]:
                yield f"person {person}: attribute {attribute}", 0, str(item), True, None
    for name, text in settings_files(project):
        yield name, 0, text, case_is_informative(text), text
    commands, changes = store.log_texts()
    for command in commands.values():
        yield LOG, 0, command, True, None
    for target, detail in changes.values():
        yield LOG, 0, f"{target} {detail}", True, None
    for note in store.notes().values():
        yield "reasons", 0, note, True, None


def _export_texts(folder: Path) -> tuple[list[Source], list[str]]:
    """The text of every file under exports/, and the files that could not be read."""
    texts, unreadable = [], []
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".gitkeep"):
            where = str(path.relative_to(folder.parent))
            text = _file_text(path)
            if text is None:
                unreadable.append(where)
            else:
                texts.append((where, 0, text, case_is_informative(text), text))
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
            parts = [document] + [part for section in document.sections
                                  for part in (section.header, section.footer, section.first_page_header, section.first_page_footer)]
            return "\n".join(_docx_text(part) for part in parts)
        if suffix == ".xlsx":
            import openpyxl

            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
            return "\n".join("\t".join("" if v is None else str(v) for v in row) for sheet in workbook for row in sheet.iter_rows(values_only=True))
    except Exception:  # a damaged export cannot be read, so it cannot be cleared either
        return None
    return None


def _docx_text(part) -> str:
    """Paragraphs and table cells of a Word body, header or footer."""
    cells = [cell.text for table in part.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in part.paragraphs] + cells)


def _pending(store, allowed: list[dict]) -> list[Leak]:
    """Doubtful finds nobody has decided yet are still in the text."""
    texts: dict[int, str] = {}
    found = []
    for row in store.redactions(status=PENDING):
        text = texts.setdefault(row["document_id"], store.document_text(row["document_id"]))
        surface = text[row["start"]:row["end"]]
        if not _allowed(allowed, surface, row["document"]):
            found.append(Leak(row["document"], LineIndex(text).line(row["start"]), surface, row["category"], row["detector"],
                              "doubtful: decide with `qualcode anonymise review`"))
    return found


def _identifying_codes(project: Project, allowed: list[dict]) -> list[Leak]:
    """Codes that single out one person through role and site."""
    rows = project.store.people_for_codes()
    people = [Person(r["id"], r["role"], r["attributes"], r["code"], tuple(r["document_sites"])) for r in rows if r["code"]]
    codes = {p.id: p.code for p in people}
    return [Leak("speaker codes", None, description.split(" ")[0], "identifying-code", "attributes", description)
            for description in identifying(people, codes) if not _allowed(allowed, description.split(" ")[0], "speaker codes")]
