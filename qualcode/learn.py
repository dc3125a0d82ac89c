"""Learned suggestions: a model per code, trained on people's decisions, proposing codes for turns.

The unit is the turn. A turn is an example *for* a code when an accepted coding of the code lies in it,
and *against* it when it is in a coded document without one (a rejected suggestion is one for sure).
Features are TF-IDF weights of lemmas and lemma pairs; the model is a balanced logistic regression.
Each code's cross-validated precision and recall are reported; a code with too few examples either
way is declined (typical studies have 10–40 interviews: a model on six examples would only overfit).
What the model proposes is stored as suggestions, reviewed like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .coding import ACCEPTED, REJECTED, SUGGESTED, project_codebook
from .errors import UsageError
from .project import Project
from .script import quote_in

MIN_EXAMPLES = 8  # each way, per code
FOLDS = 5
MODEL = "model:tfidf-logreg"


@dataclass(frozen=True, slots=True)
class CodeModel:
    code: str
    positives: int
    negatives: int
    precision: float | None  # cross-validated, at the suggestion threshold
    recall: float | None
    suggested: int
    declined: str = ""  # why no model was trained


def suggest(project: Project, codes: list[str] | None = None, threshold: float = 0.5, cross_validate: bool = True,
            on_code: Callable[[str, int], None] | None = None) -> list[CodeModel]:
    """Train per code, report cross-validated figures, and store suggestions for turns not yet coded."""
    if not 0 < threshold < 1:
        raise UsageError("--threshold is a probability between 0 and 1, e.g. 0.6")
    store = project.store
    codebook = project_codebook(project)
    chosen = _chosen(codebook, codes)
    turns = [(d, t) for d in store.all_documents() for t in store.turn_rows(d["id"]) if t["end"] > t["start"]]
    codings = store.codings()
    coded_documents = {c["document_id"] for c in codings if c["status"] == ACCEPTED}
    features = _features([d["text"][t["start"]:t["end"]] for d, t in turns])
    version = codebook.version
    results = []
    for code_id in chosen:
        results.append(_one(store, code_id, turns, features, codings, coded_documents, threshold, cross_validate, version, codebook))
        if on_code:
            on_code(code_id, len(chosen))
    return results


def _chosen(codebook, references: list[str] | None) -> list[str]:
    if not references:
        return [c.id for c in codebook.codes.values() if not c.retired]
    return codebook.resolve_all(references)


def _features(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .nlp import lemmas

    lemmatised = [" ".join(words) for words in lemmas(texts)]
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=50_000, sublinear_tf=True,
                                 token_pattern=r"(?u)\b\w\w+\b")
    try:
        matrix = vectoriser.fit_transform(lemmatised)
    except ValueError:  # no word occurs twice: nothing to learn from
        raise UsageError("too little text to learn from; code more of the corpus first") from None
    matrix.sort_indices()  # unsorted CSR input has crashed parallel fits
    return matrix


def _one(store, code_id: str, turns: list, features, codings: list[dict], coded_documents: set[int], threshold: float,
         cross_validate: bool, version: str, codebook) -> CodeModel:
    mine: dict[int, list[dict]] = {}  # document -> this code's codings
    for coding in codings:
        if coding["code"] == code_id:
            mine.setdefault(coding["document_id"], []).append(coding)
    labels, known = [], []
    for index, (document, turn) in enumerate(turns):
        inside = _in_turn(mine.get(document["id"], []), turn)
        if any(c["status"] == ACCEPTED for c in inside):
            labels.append(1)
        elif any(c["status"] == REJECTED for c in inside) or document["id"] in coded_documents:
            labels.append(0)
        else:
            continue
        known.append(index)
    positives, negatives = sum(labels), len(labels) - sum(labels)
    if positives < MIN_EXAMPLES or negatives < MIN_EXAMPLES:
        return CodeModel(code_id, positives, negatives, None, None, 0,
                         f"too few examples ({positives} for, {negatives} against; {MIN_EXAMPLES} each way needed)")
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(class_weight="balanced", solver="liblinear")  # fast on sparse text features
    x = features[known]
    precision = recall = None
    if cross_validate:
        precision, recall = _cross_validated(model, x, labels, threshold)
    model.fit(x, labels)
    taken = set(known) | {i for i, (document, turn) in enumerate(turns)
                          if any(c["status"] == SUGGESTED for c in _in_turn(mine.get(document["id"], []), turn))}
    unknown = [i for i in range(len(turns)) if i not in taken]
    suggested = 0
    if unknown:
        scores = model.predict_proba(features[unknown])[:, 1]
        rows_by_document: dict[int, list[dict]] = {}
        for index, score in zip(unknown, scores):
            if score >= threshold:
                document, turn = turns[index]
                quote, before, after = quote_in(document["text"], turn["start"], turn["end"])
                rows_by_document.setdefault(document["id"], []).append({
                    "start": turn["start"], "end": turn["end"], "code": code_id, "status": SUGGESTED,
                    "origin": f"{MODEL}:{score:.2f}", "codebook_version": version, "quote": quote, "before": before, "after": after})
        names = {d["id"]: d["name"] for d, _ in turns}
        with store.unit_of_work():
            store.save_codebook_version(version, codebook.name, codebook.content())
            for document_id, rows in rows_by_document.items():
                store.add_codings(document_id, names[document_id], rows, summary=f"{len(rows)} learned suggestion(s) for {code_id}")
                suggested += len(rows)
    return CodeModel(code_id, positives, negatives, precision, recall, suggested)


def _in_turn(codings: list[dict], turn: dict) -> list[dict]:
    return [c for c in codings if turn["start"] <= c["start"] < max(turn["end"], turn["start"] + 1)]


def _cross_validated(model, x, labels: list[int], threshold: float) -> tuple[float, float]:
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=min(FOLDS, sum(labels), len(labels) - sum(labels)), shuffle=True, random_state=0)
    scores = cross_val_predict(clone(model), x, labels, cv=folds, method="predict_proba")[:, 1]
    predicted = [score >= threshold for score in scores]
    true_positives = sum(p and y for p, y in zip(predicted, labels))
    precision = true_positives / sum(predicted) if sum(predicted) else 0.0
    return precision, true_positives / sum(labels)
