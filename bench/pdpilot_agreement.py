"""How far autocode and learned suggestions agree with the human coding of the pdpilot study, per turn.

Imports the 7 pdpilot interviews and their 261 coded segments (MAXQDA, via `qualcode codings import`),
gives five of the codes keyword rules, autocodes them, and compares with the human coding turn by
turn: precision, recall and Cohen's kappa (a turn is positive for a code when a coding of it lies in
the turn). Then `qualcode suggest` reports its cross-validated precision and recall per code.

    python bench/pdpilot_agreement.py [CORPORA]      (default ../shared/corpora, or $QUALCODE_CORPORA)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RULES = {  # code path -> keywords (on lemmas)
    "Explainability techniques > SHAP": ["shap", "shapley"],
    "Explainability techniques > ALE": ["ale", "accumulated local effect"],
    "Explainability techniques > Residual analysis": ["residual"],
    "Explainability purposes > Understanding null values": ["null", "missing value", "nan"],
    "Explainability techniques > Marginal plots": ["marginal plot", "marginal"],
}


def main() -> int:
    corpora = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("QUALCODE_CORPORA", ROOT.parent / "shared" / "corpora"))
    study = corpora / "pdpilot-user-study"
    if not study.is_dir():
        print(f"pdpilot study not found at {study}", file=sys.stderr)
        return 2
    from qualcode.codebook import codebook_path, load_codebook
    from qualcode.codebook_file import edit_code
    from qualcode.codings import import_codings
    from qualcode.autocode import autocode
    from qualcode.ingest import ImportOptions, import_paths
    from qualcode.learn import suggest
    from qualcode.project import init_project, open_project

    with tempfile.TemporaryDirectory() as folder, open_project(init_project(Path(folder) / "pdpilot")) as project:
        import_paths(project, [str(study / "transcripts_clean")], ImportOptions())
        import_codings(project, study / "derived_coded_segments.csv", {"text": "segment"}, coder="maxqda", create_codes=True)
        codebook = load_codebook(codebook_path(project))
        chosen = {}
        for path, keywords in RULES.items():
            code = codebook.find(path)
            edit_code(codebook_path(project), code.id, keywords=keywords, scope="turn")
            chosen[code.id] = path
        autocode(project, list(chosen))
        turns = [(d["id"], t) for d in project.store.all_documents() for t in project.store.turn_rows(d["id"])]
        codings = project.store.codings()
        print(f"autocode v. human coding, per turn ({len(turns)} turns, 7 interviews)")
        print(f"{'code':55} {'human':>5} {'auto':>5} {'prec':>5} {'recall':>6} {'kappa':>6}")
        for code_id, path in chosen.items():
            human = _positive(turns, codings, code_id, "accepted")
            auto = _positive(turns, codings, code_id, "suggested")
            print(f"{path:55} {sum(human):5} {sum(auto):5} {_figures(human, auto)}")
        models = suggest(project)
        trained = sorted((m for m in models if not m.declined), key=lambda m: -m.positives)
        print(f"\nlearned suggestions (tf-idf + logistic regression), 5-fold cross-validated; {len(trained)} codes trained, "
              f"{len(models) - len(trained)} declined (fewer than 8 turns for or against); the ten with most examples:")
        for model in trained[:10]:
            print(f"  {codebook.path(model.code)[:60]:60} for {model.positives:3}  precision {model.precision:.2f}  "
                  f"recall {model.recall:.2f}")
        middle = len(trained) // 2
        print(f"  median over trained codes: precision {sorted(m.precision for m in trained)[middle]:.2f}, "
              f"recall {sorted(m.recall for m in trained)[middle]:.2f}")
    return 0


def _positive(turns, codings, code_id: str, status: str) -> list[bool]:
    mine = [c for c in codings if c["code"] == code_id and c["status"] == status]
    return [any(c["document_id"] == document and turn["start"] <= c["start"] < max(turn["end"], turn["start"] + 1)
                or c["document_id"] == document and c["start"] <= turn["start"] < c["end"] for c in mine)
            for document, turn in turns]


def _figures(truth: list[bool], guess: list[bool]) -> str:
    both = sum(t and g for t, g in zip(truth, guess))
    precision = both / sum(guess) if sum(guess) else 0.0
    recall = both / sum(truth) if sum(truth) else 0.0
    n = len(truth)
    observed = sum(t == g for t, g in zip(truth, guess)) / n
    expected = (sum(truth) * sum(guess) + (n - sum(truth)) * (n - sum(guess))) / (n * n)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return f"{precision:5.2f} {recall:6.2f} {kappa:6.2f}"


if __name__ == "__main__":
    sys.exit(main())
