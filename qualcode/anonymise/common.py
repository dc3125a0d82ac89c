"""What anonymising, reversing and reviewing share: statuses, the key's tie to one copy of a project,
stand-ins for attributes, and the texts people write outside transcripts."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from ..errors import UsageError
from ..models import Detection
from ..project import Project
from ..settings import PROJECT_FILE
from .lexicon import AnonymiseSettings

# A redaction is applied (in the text), pending (a doubtful find), rejected (kept, with a reason), or
# accepted: a person's decision to redact, kept while the project is reversed, applied again next time.
APPLIED, PENDING, REJECTED, ACCEPTED = "applied", "pending", "rejected", "accepted"
SPEAKER = "speaker"  # the category of a label replaced by a code


def settings_for(project: Project) -> AnonymiseSettings:
    return AnonymiseSettings.from_values(project.settings.values, str(project.root / PROJECT_FILE))


def settings_files(project: Project) -> list[tuple[str, str]]:
    """The project's own text files people write in: `qualcode.toml` (`[codes.sites]` may name schools)
    and the codebook (which may quote speech). Anonymising leaves them alone; they are checked."""
    found = []
    for name in (PROJECT_FILE, project.settings["project.codebook"]):
        path = project.root / name
        if path.is_file():
            found.append((name, path.read_text(encoding="utf-8", errors="replace")))
    return found


def check_key_state(store, key: dict, path: Path) -> None:
    """A key goes with one copy of a project: the one it was last anonymised with. A copy of the project
    (same id) anonymised with the same key file since, or another key, must not be mixed with it."""
    project_state, key_state = store.key_state(), key.get("state")
    if project_state is None and key.get("documents"):
        raise UsageError(f"{path}: this key already holds an anonymisation of another copy of this project; "
                         "use a new key file for this copy")
    if project_state is not None and key_state != project_state:
        raise UsageError(f"{path}: not the key this copy of the project was last anonymised with (another copy has "
                         "written it since, or it is another key); use the matching key")


def new_state(store) -> str:
    """A fresh token for the store and the key written in the same unit of work."""
    token = secrets.token_hex(8)
    store.set_key_state(token)
    return token


def unmasked(current: dict, originals: dict, pseudonyms: dict) -> dict:
    """Attributes as they were before anonymising: a value that is still the stand-in of its original
    gets the original back; a value changed since, or added, stays as it is now (a cleared one too)."""
    def back(name: str, value, original):
        def mask(item):
            return pseudonyms.get(f"{name.casefold()}\t{item}", item)
        if isinstance(original, list) and isinstance(value, list):
            return original if value == [mask(item) for item in original] else value
        return original if value == mask(original) else value

    return {name: back(name, value, originals[name]) if name in originals else value for name, value in current.items()}


def restore_people(store, key: dict) -> None:
    """Roster names and people's original attributes from the key (while anonymising, and for good on reversal)."""
    current = store.person_attributes()
    for person_id, attributes in key.get("people", {}).items():
        store.set_person_attributes(int(person_id), unmasked(current.get(int(person_id), {}), attributes, key.get("pseudonyms", {})))
    store.restore_roster({int(pid): entry for pid, entry in key.get("roster", {}).items()})


def written_texts(store) -> dict[str, dict[str, str]]:
    """What people typed outside transcripts, as {kind: {id: text}}: command lines, log targets and
    details, reasons (keeping a find, allowing a hit), memos, framework summaries,
    authors' wording of quotes, and readers' names and comments on themes. Anonymising
    redacts them; reversing restores them."""
    commands, changes = store.log_texts()
    memos = store.memos()
    return {"commands": {str(i): c for i, c in commands.items()},
            "targets": {str(i): t for i, (t, _) in changes.items()},
            "details": {str(i): d for i, (_, d) in changes.items()},
            "notes": store.notes(),
            "memos": {str(m["id"]): m["text"] for m in memos},
            "memo_titles": {str(m["id"]): m["title"] for m in memos if m["title"]},
            "framework": store.framework_texts(),
            "quotes": store.quote_texts(),
            "quote_reasons": store.quote_reasons(),
            "ratifications": store.ratification_texts(),
            "codebook_versions": store.codebook_texts()}


def save_written_texts(store, texts: dict[str, dict[str, str]]) -> None:
    store.set_log_texts({int(i): c for i, c in texts["commands"].items()},
                        {int(i): (texts["targets"][i], texts["details"][i]) for i in texts["targets"]})
    store.set_notes(texts["notes"])
    store.set_memo_texts({int(i): text for i, text in texts["memos"].items()})
    store.set_memo_titles({int(i): title for i, title in texts.get("memo_titles", {}).items()})
    store.set_quote_reasons(texts.get("quote_reasons", {}))
    store.set_framework_texts(texts.get("framework", {}))
    store.set_quote_texts(texts.get("quotes", {}))
    store.set_ratification_texts(texts.get("ratifications", {}))
    store.set_codebook_texts(texts.get("codebook_versions", {}))


def redaction_row(detection: Detection, start: int, end: int, status: str, reason: str | None = None) -> dict:
    return {"start": start, "end": end, "category": detection.category, "detector": detection.detector,
            "replacement": detection.replacement, "status": status, "reason": detection.reason if reason is None else reason}


Progress = Callable[[str, int], None]  # (document name, number of documents)
