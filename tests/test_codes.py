"""Speaker code schemes and their reproducible allocation."""

from __future__ import annotations

import pytest

from qualcode.codes import CodeScheme, Person, allocate, scheme_from_settings
from qualcode.errors import UsageError


def person(pid, site=None, role=None, kind="participant", code=None, group=None, doc_sites=()):
    attributes = {k: v for k, v in {"site": [site] if site else None, "role": role, "group": group}.items() if v}
    return Person(pid, kind, attributes, code, tuple(doc_sites), f"person {pid}")


def test_default_scheme_letters_sites_skipping_i_and_numbers_people():
    people = [person(i, site=s) for i, s in enumerate("xxyyzz", start=1)] + [person(9, kind="interviewer")]
    codes = allocate(people, CodeScheme(), seed=7)
    assert codes[9] == "INT1"
    participants = [codes[i] for i in range(1, 7)]
    assert sorted(participants) == sorted({c for c in participants})  # all distinct
    assert {c[0] for c in participants} <= set("ABCDEFGHJKLMNOPQRSTUVWXYZ")
    assert sorted(c[1:] for c in participants) == ["1", "1", "1", "2", "2", "2"]


def test_same_seed_same_codes_other_seed_other_order():
    people = [person(i, site="A school") for i in range(1, 21)]
    assert allocate(people, CodeScheme(), 3) == allocate(people, CodeScheme(), 3)
    assert allocate(people, CodeScheme(), 3) != allocate(people, CodeScheme(), 4)


def test_codes_are_stable_when_a_wave_is_added():
    first = [person(i, site="north") for i in range(1, 4)]
    codes = allocate(first, CodeScheme(), 1)
    later = [person(p.id, site="north", code=codes[p.id]) for p in first] + [person(4, site="north"), person(5, site="south")]
    again = allocate(later, CodeScheme(), 99)
    assert all(again[i] == codes[i] for i in codes)
    assert again[4][0] == codes[1][0] and again[4][1:] == "4"
    assert again[5][0] != codes[1][0]


def test_role_series_group_codes_and_site_letters_avoiding_prefixes():
    scheme = CodeScheme(roles={"coach": "C"}, groups={"project staff": "PC"})
    people = [person(1, role="coach"), person(2, role="coach"), person(3, group="project staff"), person(4, group="project staff")] + [
        person(i, site=f"s{i}") for i in range(5, 25)]
    codes = allocate(people, scheme, 0)
    assert sorted([codes[1], codes[2]]) == ["C1", "C2"]
    assert codes[3] == codes[4] == "PC"
    assert not any(codes[i][0] in "CPI" for i in range(5, 25))


def test_a_scheme_giving_two_people_one_code_is_refused_with_both_named():
    scheme = CodeScheme(roles={"coach": "C"}, sites={"st aidan's": "C"})
    with pytest.raises(UsageError, match=r"person 1 and person 2 would both be C1"):
        allocate([person(1, role="coach"), person(2, site="St Aidan's")], scheme, 0)


def test_sites_from_the_documents_when_the_roster_has_none():
    codes = allocate([person(1, doc_sites=("north", "north")), person(2, doc_sites=("north",))], CodeScheme(), 0)
    assert codes[1][0] == codes[2][0]


def test_settings_are_checked():
    settings = {"codes.roles.Coach": "C", "codes.skip_letters": ["O"], "codes.sites.Greyfield": "G"}
    scheme = scheme_from_settings(settings, "qualcode.toml")
    assert scheme.roles == {"coach": "C"} and scheme.sites == {"greyfield": "G"}
    assert not {"I", "O", "C"} & set(scheme.site_letters())
    for bad, message in (({"codes.roles.coach": "c1"}, "qualcode.toml"), ({"codes.skip_letters": "IO"}, "single letters"),
                         ({"codes.sites.a": "I"}, "not a skipped one"), ({"codes.sites.a": "B", "codes.sites.b": "B"}, "two sites one letter")):
        with pytest.raises(UsageError, match=message):
            scheme_from_settings(bad, "qualcode.toml")


def test_codes_from_the_project_file(project_dir, tmp_path):
    from qualcode.ingest import ImportOptions, import_paths
    from qualcode.project import open_project
    from qualcode.speakers import assign_codes

    settings = project_dir / "qualcode.toml"
    text = settings.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("[codes.roles]"))
    settings.write_text(text.replace(line, line + '\ncoach = "C"'), encoding="utf-8")
    (tmp_path / "r.csv").write_text("name,role\nMags,coach\nAnn,teacher\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("Interviewer: q\nMags: a\nInterviewer: q\nAnn: b", encoding="utf-8")
    project = open_project(project_dir)
    import_paths(project, [str(tmp_path / "t.txt")], ImportOptions())
    from qualcode.roster import import_roster

    import_roster(project, tmp_path / "r.csv")
    codes = {a.labels: a.code for a in assign_codes(project, tmp_path / "k.json", seed=1)[1]}
    assert codes["t.txt:Mags"] == "C1" and codes["t.txt:Ann"][0] not in "CI"
    project.close()


def test_codes_that_identify_one_person_are_reported():
    people = [person(1, site="North", role="coach"), person(2, site="North", role="teacher"), person(3, site="North", role="teacher"),
              person(4, kind="interviewer", role="researcher", site="North")]
    codes = allocate(people, CodeScheme(), 0)
    from qualcode.codes import identifying

    assert identifying(people, codes) == [f"{codes[1]} (the only coach at North)"]


def test_tuple_codes_with_short_forms_and_the_lone_anchor_warned_about():
    from qualcode.codes import identifying

    scheme = CodeScheme(style="tuple", tuple_parts=("locality", "role"), aliases={"wenham": "W"})
    people = [Person(1, "participant", {"locality": "Wenham", "role": "Anchor"}, None, (), "p1"),
              Person(2, "participant", {"site": ["Oldham"], "role": "Year 2 survey"}, None, (), "p2"),
              Person(3, "participant", {"site": ["Oldham"], "role": "Year 2 survey"}, None, (), "p3"),
              Person(4, "interviewer", {}, None, (), "p4")]
    codes = allocate(people, scheme, 0)
    assert codes == {1: "(W, Anchor)", 2: "(Oldham, Year 2 survey)", 3: "(Oldham, Year 2 survey)", 4: "INT1"}
    assert identifying(people, codes) == ["(W, Anchor) (one person)"]


def test_role_label_codes_and_missing_attributes():
    scheme = CodeScheme(style="role")
    assert allocate([person(1, role="LA officer"), person(2, role="LA officer")], scheme, 0) == {1: "LA officer", 2: "LA officer"}
    with pytest.raises(UsageError, match="person 3 has no 'role'"):
        allocate([person(3)], scheme, 0)
    with pytest.raises(UsageError, match="codes.style"):
        scheme_from_settings({"codes.style": "emoji"}, "qualcode.toml")


def test_more_sites_than_letters_is_refused():
    people = [person(n, site=f"School {n}") for n in range(1, 27)]  # 26 sites; I is skipped, so 25 letters
    with pytest.raises(UsageError, match="26 sites need letters but only 25 are free"):
        allocate(people, CodeScheme(), seed=1)
    assert len({code[0] for code in allocate(people[:25], CodeScheme(), seed=1).values()}) == 25
