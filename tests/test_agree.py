"""`qualcode agree` on a project: units both coders were given, per code and pooled, as a methods note names them."""

from __future__ import annotations

import csv

import pytest

from qualcode.agree import agree, as_json, methods_note
from qualcode.codings import import_codings
from qualcode.errors import UsageError


@pytest.fixture
def two_coders(waves, tmp_path):
    path = tmp_path / "bea.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["document", "coder", "code", "turn"], ["w1", "bea", "t.a", "2"], ["w1", "bea", "t.b", "3"],
                                      ["w2", "bea", "t.b", "3"]])
    import_codings(waves, path)
    return waves


def test_turn_presence_per_code_against_a_hand_count(two_coders):
    result = agree(two_coders, ["tester", "bea"])
    rows = {row.code: row for row in result.per_code}
    # Six participant turns (the three interviewer turns are no units): tester coded t.a in w1 turns 2 and 4 and
    # w2 turn 2 (and w1 turn 1, the interviewer's); bea in w1 turn 2. Both 1, tester only 2, neither 3.
    cover = rows["t.a"]
    assert (cover.n_units, cover.coded) == (6, {"tester": 3, "bea": 1})
    assert cover.percent_agreement == pytest.approx(4 / 6) and cover.kappa == pytest.approx(1 / 3)
    assert rows["t.b"].percent_agreement == pytest.approx(5 / 6)
    assert result.pooled.n_units == 6 * 3 and result.statistic == "Cohen's kappa"  # t.a, t.b, u.x: t and u are above them
    assert methods_note(result).startswith("Round 1: agreement between tester, bea on code presence per turn in all 2 "
                                           "document(s) (n = 6 turns per code (interviewers' turns left out), coded or not)")
    assert [r["id"] for r in two_coders.store.rounds()] == [1]


def test_documents_as_units_and_the_json_shape(two_coders):
    data = as_json(agree(two_coders, ["tester", "bea"], unit="document"))
    assert data["unit"] == "document" and data["coders"] == ["tester", "bea"]
    theme = data["per_code"][0]
    assert (theme["code"], theme["n_units"], theme["percent_agreement"]) == ("Time", 2, 1.0)
    assert set(theme) >= {"code", "n_units", "percent_agreement", "cohen_kappa", "ac1", "prevalence_flag"}


@pytest.mark.parametrize("coders, unit, problem", [
    (["tester"], "turn", "name two or more different coders"),
    (["tester", "tester"], "turn", "name two or more different coders"),
    (["tester", "zed"], "turn", "--coder zed: no accepted codings by that coder"),
    (["tester", "bea"], "sentences", "--unit sentences: choose one of turn, sentence, paragraph"),
    (["tester", "bea"], "respondent", "--unit respondent: these documents have no survey respondents"),
])
def test_what_cannot_be_compared_is_refused(two_coders, coders, unit, problem):
    with pytest.raises(UsageError, match=problem):
        agree(two_coders, coders, unit)


def test_agree_through_the_command_line(two_coders, cli, tmp_path):
    result = cli("agree", "--coders", "tester,bea")
    assert result.exit_code == 0 and "Cover" in result.stdout and "Mean of the codes" in result.stdout
    assert cli.json("agree", "--coders", "tester", "--coders", "bea")["pooled"]["code"] == "All codes (pooled)"
    assert cli("agree", "--coders", "tester,bea", "-o", tmp_path / "a.docx").exit_code == 0
    from docx import Document

    assert any("Cohen's kappa and Gwet's AC1" in p.text for p in Document(str(tmp_path / "a.docx")).paragraphs)


def test_coders_with_no_units_in_common_in_the_sample(two_coders, tmp_path):
    from qualcode.ingest import ImportOptions, import_paths

    (tmp_path / "w3.txt").write_text("Interviewer: Anything else?\n\nAnn: Cover again.\n", encoding="utf-8")
    import_paths(two_coders, [str(tmp_path / "w3.txt")], ImportOptions())
    path = tmp_path / "cy.csv"
    path.write_text("document,coder,code,turn\nw3,cy,t.a,2\n", encoding="utf-8")
    import_codings(two_coders, path)
    store = two_coders.store
    with store.unit_of_work():
        store.save_sample(0.5, 1, [], [store.document_named("w1.txt")])
    with pytest.raises(UsageError, match="cy coded nothing in sample 1; the coders have no units in common"):
        agree(two_coders, ["bea", "cy"])
    result = agree(two_coders, ["tester", "bea"])
    assert (result.sample, result.documents, result.per_code[0].n_units) == (1, 1, 3)  # the sample's three participant turns


def test_three_coders_use_fleiss_kappa(two_coders, tmp_path):
    path = tmp_path / "cy.csv"
    path.write_text("document,coder,code,turn\nw1,cy,t.a,2\nw2,cy,t.b,3\n", encoding="utf-8")
    import_codings(two_coders, path)
    result = agree(two_coders, ["tester", "bea", "cy"], codes=["t.b"])
    assert result.statistic == "Fleiss' kappa" and [row.code for row in result.per_code] == ["t.b"]
    assert result.per_code[0].coded == {"tester": 3, "bea": 2, "cy": 1}


def test_all_adds_the_interval_brennan_prediger_and_alpha(two_coders, cli):
    from qualcode.agreement import brennan_prediger, cohen, krippendorff_alpha

    cover = next(row for row in agree(two_coders, ["tester", "bea"], everything=True).per_code if row.code == "t.a")
    table = [[3, 0], [2, 1]]  # rows: tester (absent, present); columns: bea; the hand count above
    assert cover.more["brennan_prediger"] == pytest.approx(brennan_prediger(table, 2))
    assert cover.more["cohen_kappa_ci95"] == pytest.approx(list(cohen(table).ci95))
    assert cover.more["krippendorff_alpha"] == pytest.approx(krippendorff_alpha([[1, 1]] + [[1, 0]] * 2 + [[0, 0]] * 3))
    shown = cli("agree", "--coders", "tester,bea", "--all")
    assert shown.exit_code == 0 and "Krippendorff" in shown.stdout


def test_character_agreement_is_nvivos(two_coders):
    from qualcode.agreement import nvivo

    result = agree(two_coders, ["tester", "bea"], unit="character", codes=["t.b"])
    row = result.per_code[0]
    store = two_coders.store
    total = sum(len(store.document_text(d["id"])) for d in store.document_refs())
    spans = {c: sum(r["end"] - r["start"] for r in store.codings(code="t.b") if (r["decided_by"] or r["coder"]) == c)
             for c in ("tester", "bea")}
    both = spans["bea"]  # bea coded two of the turns tester coded, the same whole turns
    assert (row.n_units, row.coded) == (total, spans)
    expected = nvivo(total, spans["tester"], spans["bea"], both)
    assert (row.percent_agreement, row.kappa) == pytest.approx((expected.agreement, expected.kappa))
    assert [d["document"] for d in row.more["by_document"]] == ["w1.txt", "w2.txt"]
    with pytest.raises(UsageError, match="--unit character compares two coders"):
        agree(two_coders, ["tester", "bea", "tester2"], unit="character")


INTERVIEW = ("Interviewer: Tell me about the term.\n\nAnn: Cover ate our time. We lost sessions.\nThe head noticed.\n\n"
             "Interviewer: And now?\n\nAnn: Better now. Much better.\n")


def one_code_two_coders(project, path, text: str, places: dict[str, list]) -> None:
    """A document, a one-code codebook, and where amy and ben each put the code."""
    from qualcode.coding import code_document
    from qualcode.ingest import ImportOptions, import_paths
    from qualcode.project import open_project

    path.write_text(text, encoding="utf-8")
    import_paths(project, [str(path)], ImportOptions())
    (project.root / "codebook.yaml").write_text("codes:\n  - id: cover\n    label: Cover\n", encoding="utf-8")
    for name, where in places.items():
        opened = open_project(project.root, {"coder": name}, "pytest")
        for location in where:
            code_document(opened, path.stem, "cover", location)
        opened.close()


@pytest.fixture
def sentences(project, tmp_path):
    from qualcode.coding import Location

    start, end = INTERVIEW.index("our time"), INTERVIEW.index("sessions") + 8
    # Amy: sentence 1 of turn 2, and turn 4 whole; Ben: a span across sentences 1 and 2 of turn 2.
    one_code_two_coders(project, tmp_path / "i.txt", INTERVIEW, {"amy": [Location(turn=2, sentence=1), Location(turn=4)],
                                                                 "ben": [Location(span=f"{start}:{end}")]})
    return project


def test_sentences_and_paragraphs_as_units(sentences):
    # Sentences of Ann's turns: turn 2 (3: two on its first line, one on its second), turn 4 (2) = 5.
    # Amy: turn 2 sentence 1, turn 4 sentences 1-2; Ben: turn 2 sentences 1-2. Agree on 2 of 5.
    by_sentence = agree(sentences, ["amy", "ben"], unit="sentence").per_code[0]
    assert (by_sentence.n_units, by_sentence.coded) == (5, {"amy": 3, "ben": 2})
    assert by_sentence.percent_agreement == pytest.approx(2 / 5)
    # Paragraphs (lines): turn 2 (2 lines), turn 4 = 3; Amy 2 (turn 2 line 1, turn 4), Ben 1.
    by_paragraph = agree(sentences, ["amy", "ben"], unit="paragraph").per_code[0]
    assert (by_paragraph.n_units, by_paragraph.coded, by_paragraph.percent_agreement) == (3, {"amy": 2, "ben": 1}, pytest.approx(2 / 3))


SURVEY = ("respondent_id,site,q1\nR01,North,Cover ate our time in the spring term.\n"
          "R02,North,Nothing much changed for me or for the class.\nR03,South,Cover again and again when staff were off.\n"
          "R04,South,More planning time with a colleague every week.\n")


@pytest.fixture
def survey(project, tmp_path):
    from qualcode.coding import Location

    one_code_two_coders(project, tmp_path / "s.csv", SURVEY, {"amy": [Location(turn=1), Location(turn=3)],
                                                              "ben": [Location(turn=1), Location(turn=2)]})
    return project


def test_respondents_as_units_and_a_respondent_sample(survey):
    from qualcode.sample import draw

    whole = agree(survey, ["amy", "ben"], unit="respondent").per_code[0]
    assert (whole.n_units, whole.coded, whole.percent_agreement) == (4, {"amy": 2, "ben": 2}, pytest.approx(2 / 4))
    drawn = draw(survey, 0.5, seed=1, stratify=["site"], respondents=True)
    assert len(drawn.respondents) == 2 and drawn.strata == {"site=North": 1, "site=South": 1}
    assert survey.store.samples()[-1]["respondents"] is not None
    sampled = agree(survey, ["amy", "ben"], unit="respondent").per_code[0]
    assert sampled.n_units == 2 and agree(survey, ["amy", "ben"]).per_code[0].n_units == 2  # their answers, as turns
    with pytest.raises(UsageError, match="no survey answer here has more than one sentence"):
        agree(survey, ["amy", "ben"], unit="sentence")


def test_respondent_samples_need_a_survey(two_coders):
    from qualcode.sample import draw

    with pytest.raises(UsageError, match="--respondents: no survey respondents"):
        draw(two_coders, 0.5, seed=1, respondents=True)


def test_character_level_unitized_alpha_and_segment_agreement(sentences):
    from qualcode.agreement import unitized

    result = agree(sentences, ["amy", "ben"], unit="character", everything=True)
    [cover], pooled = result.per_code, result.pooled
    text = sentences.store.document_text(1)
    amy = [(text.index("Cover ate"), text.index("Cover ate") + len("Cover ate our time.")),
           (text.index("Better now."), len(text))]
    ben = [(text.index("our time"), text.index("sessions") + 8)]
    expected = unitized([[(a, b, "c") for a, b in amy], [(a, b, "c") for a, b in ben]], len(text)).alpha
    assert cover.more["u_alpha_binary"] == pytest.approx(expected) and expected < 1
    # Three segments, none overlapping another by 90 % of their union.
    assert (cover.more["segment_agreement"], cover.more["segments"]) == (0.0, 3)
    assert pooled.more["u_alpha_nominal"] == pytest.approx(expected) and pooled.more["cu_alpha"] is None  # one code: no values to confuse
    # "our time." is 9 of the 36 characters "Cover ate our time. We lost sessions" spans: a quarter of the union.
    loose = agree(sentences, ["amy", "ben"], unit="character", everything=True, min_overlap=0.25).per_code[0]
    assert loose.more["segment_agreement"] == pytest.approx(2 / 3)
    assert agree(sentences, ["amy", "ben"], unit="character", everything=True, min_overlap=0.26).per_code[0].more["segment_agreement"] == 0
    assert cover.more["by_document"][0]["document"] == "i.txt"
    assert "overlaps it by at least 90% of their union" in methods_note(result)
    with pytest.raises(UsageError, match="--min-overlap 150"):
        agree(sentences, ["amy", "ben"], unit="character", everything=True, min_overlap=1.5)


def test_rounds_show_the_cycle_of_revising_the_codebook(two_coders, cli):
    from qualcode.agree import rounds

    agree(two_coders, ["tester", "bea"])
    path = two_coders.root / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("label: Workload", "label: Workload and marking"), encoding="utf-8")
    agree(two_coders, ["tester", "bea"], unit="document")
    found = rounds(two_coders)
    assert [(r["round"], r["unit"], r["codebook_changed"]) for r in found] == [(1, "turn", False), (2, "document", True)]
    assert found[0]["kappa"] == pytest.approx(agree(two_coders, ["tester", "bea"]).pooled.kappa)
    listed = cli.json("agree", "--rounds")
    assert [r["round"] for r in listed] == [1, 2, 3]
    assert "--rounds to list the rounds" in cli("agree").stderr


def test_coders_who_share_no_document_and_respondent_samples_by_document_are_refused(survey, two_coders):
    from qualcode.sample import draw

    draw(survey, 0.5, seed=1, respondents=True)
    for unit in ("document", "character"):
        with pytest.raises(UsageError, match=f"--unit {unit}: sample 1 is of respondents"):
            agree(survey, ["amy", "ben"], unit=unit)


def test_coders_on_different_documents_have_nothing_to_compare(waves, tmp_path):
    path = tmp_path / "split.csv"
    path.write_text("document,coder,code,turn\nw1,amy,t.a,2\nw2,ben,t.a,2\n", encoding="utf-8")
    import_codings(waves, path)
    with pytest.raises(UsageError, match="amy, ben coded no document in common; draw a sample"):
        agree(waves, ["amy", "ben"])


def test_the_mean_leaves_out_codes_no_one_used(two_coders):
    path = two_coders.root / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: v\n    label: Unused\n", encoding="utf-8")
    result = agree(two_coders, ["tester", "bea"], unit="character")
    used = [row for row in result.per_code if any(row.coded.values())]
    assert [row.code for row in result.per_code if row not in used] == ["v"]  # NVivo's 1 for it, but not in the mean
    assert result.averaged["kappa"] == pytest.approx(sum(r.kappa for r in used) / len(used))


def test_options_that_do_not_go_together_and_a_bad_output_record_no_round(two_coders, cli, tmp_path):
    for args, problem in ((["--min-overlap", "50"], "--min-overlap goes with --unit character --all"),
                          (["--disagreements", "--all"], "--disagreements lists code × turn disagreements"),
                          (["-o", tmp_path / "a.pdf"], "cannot tell the format")):
        result = cli("agree", "--coders", "tester,bea", *args)
        assert result.exit_code == 2 and problem in result.stderr, (args, result.stderr)
    (tmp_path / "there.md").write_text("x", encoding="utf-8")
    assert cli("agree", "--coders", "tester,bea", "-o", tmp_path / "there.md").exit_code == 2
    assert two_coders.store.rounds() == []


def test_agreement_on_ratings_sheets(waves, cli, tmp_path):
    from qualcode.agree import rating_agreement
    from qualcode.agreement import krippendorff_alpha

    (tmp_path / "anna.csv").write_text("site,Time,Outputs\nNorth,Green,Amber\nSouth,Red,Green\n", encoding="utf-8")
    (tmp_path / "ben.csv").write_text("site,Time,Outputs\nNorth,Green,Red\nSouth,Amber,\n", encoding="utf-8")
    rows, pooled = rating_agreement(waves, [tmp_path / "anna.csv", tmp_path / "ben.csv"])
    time, outputs = rows
    assert (time.theme, time.cases, time.exact) == ("Time", 2, 0.5)
    assert time.alpha == pytest.approx(krippendorff_alpha([[3, 3], [1, 2]], "ordinal"))
    assert (outputs.rated, outputs.exact) == ({"anna": 2, "ben": 1}, 0.0)  # South's blank is missing, not a disagreement
    assert pooled.alpha == pytest.approx(krippendorff_alpha([[3, 3], [1, 2], [2, 1], [3, None]], "ordinal"))
    data = cli.json("agree", "--ratings", tmp_path / "anna.csv", "--ratings", tmp_path / "ben.csv", "--level", "interval")
    assert data["level"] == "interval" and data["pooled"]["krippendorff_alpha"] == pytest.approx(
        krippendorff_alpha([[3, 3], [1, 2], [2, 1], [3, None]], "interval"))
    (tmp_path / "cy.csv").write_text("site,Time\nNorth,Green\n", encoding="utf-8")
    other = cli("agree", "--ratings", tmp_path / "anna.csv", "--ratings", tmp_path / "cy.csv")
    assert other.exit_code == 2 and "cy.csv:1: its themes (Time) are not anna.csv's" in other.stderr
    assert "--level odd" in cli("agree", "--ratings", tmp_path / "anna.csv", "--ratings", tmp_path / "ben.csv", "--level", "odd").stderr
