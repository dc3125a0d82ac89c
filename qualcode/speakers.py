"""Speaker labels and their roles. (Anonymisation and speaker codes build on this registry.)"""

from __future__ import annotations

import re

from .errors import UsageError
from .models import INTERVIEWER, PARTICIPANT, SpeakerSummary
from .project import Project


def interviewer_regex(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex that matches a whole label naming an interviewer."""
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error as error:
        raise UsageError(f"import.interviewer_labels: {error}; each entry must be a regular expression") from None


def role_for_label(label: str, interviewers: re.Pattern[str]) -> str:
    """The role a label gets at import: interviewer if it names one, otherwise participant."""
    if interviewers.fullmatch(label):
        return INTERVIEWER
    return PARTICIPANT


def list_speakers(project: Project) -> list[SpeakerSummary]:
    return project.store.speaker_summaries()


def set_role(project: Project, label: str, role: str, document: str | None = None) -> int:
    """Give every speaker with this label (in one document, or all) a role. Returns how many changed."""
    from .corpus import resolve_document

    role = role.strip().casefold()
    if not re.fullmatch(r"[a-z][a-z0-9 _-]{0,39}", role):
        raise UsageError(f"role {role!r}: use a short word such as interviewer, participant or observer")
    store = project.store
    document_id = resolve_document(project, document)["id"] if document else None
    speakers = store.speakers_with_label(label, document_id)
    if not speakers:
        where = f" in {document}" if document else ""
        raise UsageError(f"no speaker labelled {label!r}{where}; `qualcode speakers` lists the labels")
    with store.unit_of_work():
        store.set_roles(speakers, role)
    return len(speakers)
