"""Tallies: each unit counted apart, roll-up without double counting, bases, waves, coders, and printing."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.codebook import parse_codebook
from qualcode.coding import Location, code_document
from qualcode.codings import import_codings
from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.roster import import_roster
from qualcode.tally import (Count, Evidence, Occurrence, Person, Spoken, as_json, load_evidence, narrowed, percent,
                            quantifier, shown, tally, tally_project)

from conftest import CODEBOOK, golden

def rows(result):
    return {row.code: (row.count.n, row.count.base) for row in result.rows}


def test_participants_are_distinct_people_and_a_theme_counts_each_once(waves):
    result = tally_project(waves)
    assert result.base.n == 3 and result.base.description == "all participants"
    # Ann coded with both descriptors of t counts once for t; the interviewer never counts; Dee (PC) is apart.
    assert rows(result) == {"t": (3, 3), "t.a": (1, 3), "t.b": (3, 3), "u": (1, 3), "u.x": (1, 3)}
    assert {row.code: row.groups for row in result.rows} == {"t": 1, "t.a": 1, "t.b": 0, "u": 1, "u.x": 1}
    assert "group codes are shown apart" in " ".join(result.notes)


def test_own_counts_only_the_code_itself(waves):
    assert rows(tally_project(waves, own=True))["t"] == (0, 3)


def test_mentions_documents_and_actions_count_their_own_things(waves):
    mentions = tally_project(waves, "mentions")
    # Ann's turn coded t.a and t.b is one mention of the theme, one of each descriptor.
    # Every coded segment is a mention, the interviewer's too.
    assert {r.code: r.count.n for r in mentions.rows} == {"t": 6, "t.a": 4, "t.b": 3, "u": 2, "u.x": 2}
    assert all(r.count.base is None for r in mentions.rows) and mentions.base.n == 7
    assert rows(tally_project(waves, "documents")) == {"t": (2, 2), "t.a": (2, 2), "t.b": (2, 2), "u": (2, 2), "u.x": (2, 2)}
    actions = tally_project(waves, "actions")
    assert {r.code: r.count.n for r in actions.rows} == {"u": 2, "u.x": 2}  # two codings of `guides` are one action


def test_by_wave_has_a_base_per_wave_and_the_constant_sample_keeps_people_in_both(waves):
    result = tally_project(waves, by="wave")
    assert {v: b.n for v, b in result.bases.items()} == {"1": 2, "2": 2}
    assert {r.code: {v: c.n for v, c in r.by.items()} for r in result.rows}["t.b"] == {"1": 2, "2": 1}
    constant = tally_project(waves, constant_sample=True)
    assert constant.base.n == 1 and "present in every wave" in constant.base.description  # only Ann
    assert rows(constant)["t.b"] == (1, 1)


def test_filters_narrow_the_base_and_say_so(waves):
    result = tally_project(waves, filters={"site": {"South"}})
    assert result.base.n == 1 and result.base.description == "all participants (site=South)"
    with pytest.raises(UsageError, match="--filter colour: no such attribute; known: .*site"):
        tally_project(waves, filters={"colour": {"red"}})
    with pytest.raises(UsageError, match="the base is zero: no participants in scope \\(wave=9\\)"):
        tally_project(waves, filters={"wave": {"9"}})
    with pytest.raises(UsageError, match="--unit votes: choose one of participants, mentions"):
        tally_project(waves, "votes")


def test_several_coders_must_be_chosen_and_consensus_needs_all_of_them(waves, tmp_path):
    path = tmp_path / "second.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([["document", "coder", "code", "turn"], ["w1", "bea", "t.a", "2"], ["w1", "bea", "t.b", "3"],
                          ["w2", "bea", "t.b", "3"]])
    import_codings(waves, path)
    with pytest.raises(UsageError, match="codings by 2 coders \\(bea, tester\\); choose one with --coder"):
        tally_project(waves)
    with pytest.raises(UsageError, match="--coder zed: no accepted codings by that coder; the coders are bea, tester"):
        tally_project(waves, coder="zed")
    assert rows(tally_project(waves, coder="bea"))["t.a"] == (1, 3)
    agreed = tally_project(waves, "mentions", coder="consensus")
    assert {r.code: r.count.n for r in agreed.rows if r.count.n} == {"t": 3, "t.a": 1, "t.b": 2}


def test_survey_answers_are_responses_and_their_people_respondents(project, tmp_path):
    (tmp_path / "survey.csv").write_text(
        "id,role,What changed for you?,What got in the way?\n"
        "r1,teacher,I plan lessons with more care now,Cover for absent staff every week\n"
        "r2,teacher,Nothing much has changed really,There is never enough time in the day\n"
        "r3,leader,Staff talk about teaching far more,Budget cuts to supply cover this year\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "survey.csv")], ImportOptions())
    (project.root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    for turn in (2, 4, 6):
        code_document(project, "survey", "t.a", Location(turn=turn))
    result = tally_project(project, "responses", by="question")
    assert result.base.description == "all survey responses" and result.base.n == 6
    assert {v: (c.n, c.base) for v, c in result.rows[0].by.items()} == {"What changed for you?": (0, 3), "What got in the way?": (3, 3)}
    people = tally_project(project)
    assert people.base.description == "all respondents" and rows(people)["t"] == (3, 3)


def test_numbers_print_with_their_unit_and_below_the_threshold_as_x_of_n():
    assert shown(Count(7, 10), "participants") == "7 of 10"
    assert shown(Count(15, 40), "participants") == "38%"  # 37.5 rounds half up
    assert percent(Count(1, 8), 1) == 12.5 and percent(Count(1, 3), 2) == 33.33
    assert shown(Count(34, None), "mentions") == "N=34" and shown(Count(9, None), "actions") == "n=9"
    words = [(100, "all"), (60, "most"), (40, "around half"), (0.01, "a few"), (0, "none")]
    assert [quantifier(Count(n, 20), words) for n in (20, 13, 9, 1, 0)] == ["all", "most", "around half", "a few", "none"]


def test_json_has_the_unit_the_base_and_full_paths(waves):
    data = as_json(tally_project(waves))
    assert data["unit"] == "participants" and data["base"] == {"n": 3, "description": "all participants"}
    assert data["rows"][1]["code"] == "Time > Cover" and data["rows"][1]["percent"] == 33
    assert json.loads(json.dumps(data)) == data


def test_orphaned_codings_are_not_counted_and_the_notes_say_so(waves, tmp_path):
    (tmp_path / "w2.txt").write_text("Interviewer: And now?\n\nAnn: Fine.\n\nCat: Workload is heavy.\n\nInterviewer: Anything made?\n\n"
                                     "Cat: Two guides.\n", encoding="utf-8")
    import_paths(waves, [str(tmp_path / "w2.txt")], ImportOptions(replace=True, attributes=["wave=2"]))
    result = tally_project(waves)
    assert rows(result)["t.a"] == (1, 3) and any("1 orphaned coding(s) are not counted" in n for n in result.notes)


# The counting core on any evidence: a theme never counts a unit twice, and shares agree with counts.

PEOPLE = {1: Person(1, "A1", "participant", False, {}), 2: Person(2, "A2", "participant", False, {}),
          3: Person(3, "INT1", "interviewer", False, {}), 4: Person(4, "PC", "participant", True, {})}
TREE, _ = parse_codebook("codes:\n  - id: t\n    codes:\n      - id: t.a\n      - id: t.b\n        codes:\n"
                         "          - id: t.b.c\n            count_as: actions\n")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["t", "t.a", "t.b", "t.b.c"]), st.integers(0, 5), st.sampled_from([1, 2, 3, 4])),
                max_size=30), st.sampled_from(["participants", "mentions", "documents", "actions", "responses"]))
def test_roll_up_never_double_counts(found, unit):
    turns = [Spoken(n, n % 2, n * 10, n * 10 + 9, person, "Q" if n % 3 else None) for n, person in
             enumerate([1, 2, 3, 4, 1, 2])]
    occurrences = [Occurrence(code, turns[n].document, turns[n].start, turns[n].end, turns[n], None, "me")
                   for code, n, _ in found]
    evidence = Evidence(occurrences, turns, PEOPLE, {}, {})
    try:
        result = tally(evidence, TREE, unit)
    except UsageError:
        assert unit == "responses" and not any(t.question and PEOPLE[t.person].is_participant for t in turns)
        return
    counted = {r.code: r.count for r in result.rows}
    own = {r.code: r.count for r in tally(evidence, TREE, unit, own=True).rows}
    for code in counted:
        members = [m for m in (code, *TREE.descendants(code)) if m in own]  # for actions: the codes counted so
        assert counted[code].n <= sum(own[m].n for m in members)
        assert counted[code].n >= max(own[m].n for m in members)
        if counted[code].base is not None:
            assert counted[code].n <= counted[code].base
            assert abs(percent(counted[code]) - 100 * counted[code].n / counted[code].base) <= 0.5


def test_a_narrowed_evidence_keeps_only_turns_that_pass():
    turns = [Spoken(1, 1, 0, 5, 1, None), Spoken(2, 2, 0, 5, 2, None)]
    evidence = Evidence([Occurrence("t", 1, 0, 5, turns[0], None, "me")], turns, PEOPLE, {1: {"site": "N"}, 2: {"site": "S"}}, {})
    kept = narrowed(evidence, {"site": {"S"}})
    assert kept.turns == [turns[1]] and kept.occurrences == [] and kept.scope == ["site=S"]


def test_no_codings_yet_is_said_plainly(project):
    with pytest.raises(UsageError, match="no accepted codings to count yet"):
        load_evidence(project.store, None)


# Through the command line.

def test_the_tally_command_prints_tables_with_their_base(waves, cli):
    result = cli("tally", "--by", "wave", "--as-words")
    assert result.exit_code == 0, result.stderr
    golden("tally-by-wave.txt", result.stdout)
    golden("tally-mentions.md", cli("tally", "--unit", "mentions", "--format", "md").stdout)
    golden("tally.csv", cli("tally", "--csv", "--by", "wave").stdout)
    golden("tally-by-wave.json", cli("tally", "--json", "--by", "wave").stdout)
    data = cli.json("tally", "--filter", "wave=1", "--unit", "documents")
    assert data["base"] == {"n": 1, "description": "all documents (wave=1)"} and data["rows"][0]["percent"] == 100


@pytest.mark.parametrize("args, problem", [
    (["--unit", "votes"], "--unit votes: choose one of"),
    (["--by", "colour"], "--by colour: no such attribute"),
    (["--filter", "wave"], "--filter wave: write ATTRIBUTE=VALUE"),
    (["--coder", "zed"], "--coder zed: no accepted codings"),
    (["--coder", "consensus"], "--coder consensus needs two coders or more"),
])
def test_bad_tally_options_are_one_line_errors(waves, cli, args, problem):
    result = cli("tally", *args)
    assert result.exit_code == 2 and problem in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_pdpilot_mentions_of_each_code_equal_maxqdas_frequencies(project, corpora):
    study = corpora / "pdpilot-user-study"
    import_paths(project, [str(study / "transcripts_clean")], ImportOptions())
    import_codings(project, study / "derived_coded_segments.csv", {"text": "segment"}, coder="maxqda", create_codes=True)
    counted = {row.path: row.count.n for row in tally_project(project, "mentions", own=True).rows}
    with (study / "derived_code_system.csv").open(encoding="utf-8") as handle:
        expected = {r["path"]: int(r["frequency"]) for r in csv.DictReader(handle) if r["path"] != "Anonymize"}
    assert {path: counted.get(path, 0) for path in expected} == expected
    assert set(counted) <= set(expected)


def test_a_wave_the_constant_sample_only_claims_still_has_its_column(waves, tmp_path):
    (tmp_path / "roster.csv").write_text("name,aliases,site,wave\nBob Bell,Bob,North,1;2\n", encoding="utf-8")
    import_roster(waves, tmp_path / "roster.csv")
    result = tally_project(waves, by="wave", constant_sample=True)
    assert {v: b.n for v, b in result.bases.items()} == {"1": 2, "2": 1}  # Ann and Bob; Bob speaks in wave 1 only
    assert rows(result)["t"] == (2, 2)
    narrowed_to_wave_1 = tally_project(waves, by="wave", constant_sample=True, filters={"wave": {"1"}})
    assert {v: b.n for v, b in narrowed_to_wave_1.bases.items()} == {"1": 1, "2": 0}  # Bob, whom the roster puts in both
    assert "wave 2: no one in scope speaks in a document of it" in " ".join(narrowed_to_wave_1.notes)


def test_people_without_the_by_attribute_are_counted_and_said_to_be_in_no_column(waves):
    result = tally_project(waves, by="site")  # Dee (PC, a group) has a site; all three participants have one
    assert not any("have no site" in note for note in result.notes)
    role = tally_project(waves, by="group")
    assert "3 of the 3 have no group: they are in the total, in no group column." in role.notes
