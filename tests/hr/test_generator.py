"""The GAIA file generator (pure: no database)."""

import datetime as dt
import statistics
import tracemalloc
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from preau.hr.gaia import (
    FORMATIONS,
    INTERVENANTS,
    STAGIAIRES,
    FileName,
    Problem,
    iter_formations,
    iter_trainees,
    iter_trainers,
    parse_file_name,
)
from preau.hr.generator import write_gaia_day
from preau.hr.management.commands.gaia_generate import Command

DAY = dt.date(2026, 9, 15)
PARSERS = {FORMATIONS: iter_formations, INTERVENANTS: iter_trainers, STAGIAIRES: iter_trainees}


def count_lines(path):
    with open(path, "rb") as stream:
        return sum(1 for _ in stream)


def parse(paths):
    parsed = {}
    for kind, parser in PARSERS.items():
        with open(paths[kind], "rb") as stream:
            parsed[kind] = list(parser(stream))
    return parsed


@pytest.fixture(scope="module")
def day_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("gaia")
    paths = write_gaia_day(directory, academie_code="A014", day=DAY, formations=3000, trainees=9000)
    return paths, parse(paths)


def test_file_names(day_files):
    paths, _ = day_files
    assert {kind: parse_file_name(path.name) for kind, path in paths.items()} == {
        kind: FileName("A014", kind, DAY) for kind in (FORMATIONS, INTERVENANTS, STAGIAIRES)
    }


def test_files_parse_without_problems_and_have_the_requested_lengths(day_files):
    _, parsed = day_files
    assert {
        kind: [i for i in items if isinstance(i, Problem)] for kind, items in parsed.items()
    } == {
        FORMATIONS: [],
        INTERVENANTS: [],
        STAGIAIRES: [],
    }
    modules = {row.module_code for row in parsed[FORMATIONS]}
    assert len(parsed[FORMATIONS]) == 3000
    assert len(parsed[STAGIAIRES]) == 9000
    assert len(parsed[INTERVENANTS]) == 2 * len(modules)


def test_windows_1252_with_crlf(day_files):
    paths, parsed = day_files
    data = paths[FORMATIONS].read_bytes()
    assert data.count(b"\r\n") == 3000
    assert data.count(b"\n") == 3000
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    for character in "éèçœ’–":
        assert character in text
    names = " ".join(row.last_name for row in parsed[STAGIAIRES])
    assert "'" in names  # N'Diaye, D'Almeida
    assert any(not name.isascii() for name in names.split())


def test_structure_is_realistic(day_files):
    _, parsed = day_files
    formations = parsed[FORMATIONS]
    sessions = [row.session_code for row in formations]
    assert len(set(sessions)) == len(sessions)  # a trainee's session id names one line
    modules_per_dispositif = defaultdict(set)
    sessions_per_module = Counter(row.module_code for row in formations)
    for row in formations:
        modules_per_dispositif[row.dispositif_code].add(row.module_code)
    assert max(len(modules) for modules in modules_per_dispositif.values()) >= 3
    assert max(sessions_per_module.values()) >= 5
    assert {row.group for row in formations} == {"01", "02", "03"}
    assert all(len(row.dispositif_code) == 10 for row in formations)
    national = [code for code in modules_per_dispositif if code[2] == "N"]
    assert 0.05 < len(national) / len(modules_per_dispositif) < 0.15
    assert all(dt.date(2026, 9, 1) <= row.starts_on <= row.ends_on for row in formations)
    assert all(row.ends_on <= dt.date(2027, 6, 30) for row in formations)
    assert all(row.starts_on.weekday() < 5 for row in formations)
    assert any(row.start_time is None for row in formations)
    assert any(row.ends_on > row.starts_on for row in formations)


def test_trainees_spread_over_sessions(day_files):
    _, parsed = day_files
    sessions = {row.session_code for row in parsed[FORMATIONS]}
    per_session = Counter(row.session_code for row in parsed[STAGIAIRES])
    assert set(per_session) <= sessions
    counts = [per_session.get(session, 0) for session in sessions]
    assert statistics.mean(counts) == 3
    assert 1.5 < statistics.stdev(counts) < 5
    assert counts.count(0) > 50  # sessions not open yet
    assert max(counts) >= 10
    # Nobody twice in the same session; some people in several sessions.
    pairs = Counter((row.session_code, row.email) for row in parsed[STAGIAIRES])
    assert max(pairs.values()) == 1
    sessions_per_person = Counter(row.email for row in parsed[STAGIAIRES])
    assert max(sessions_per_person.values()) >= 3


def test_one_email_per_person(day_files):
    _, parsed = day_files
    people = defaultdict(set)
    for row in parsed[STAGIAIRES] + parsed[INTERVENANTS]:
        people[row.email].add((row.last_name, row.first_name))
        assert row.email.isascii()
        assert row.email.endswith("@ac-normandie.fr")
    assert all(len(names) == 1 for names in people.values())
    trainees = {row.email for row in parsed[STAGIAIRES]}
    trainers = {row.email for row in parsed[INTERVENANTS]}
    assert not trainees & trainers
    # A trainer leads several modules; never twice the same one.
    assert max(Counter(row.email for row in parsed[INTERVENANTS]).values()) >= 2
    assert max(Counter((r.module_code, r.email) for r in parsed[INTERVENANTS]).values()) == 1


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    def contents(name, seed):
        paths = write_gaia_day(
            tmp_path / name, academie_code="A014", day=DAY, formations=200, trainees=600, seed=seed
        )
        return {kind: path.read_bytes() for kind, path in paths.items()}

    first = contents("a", seed=7)
    assert contents("b", seed=7) == first
    other = contents("c", seed=8)
    assert all(other[kind] != first[kind] for kind in first)


def test_arguments_are_honoured(tmp_path):
    paths = write_gaia_day(
        tmp_path,
        academie_code="a070",
        day=dt.date(2027, 2, 1),
        formations=10,
        trainees=0,
        trainers_per_module=3,
        email_domain="ac-rouen.fr",
    )
    assert paths[STAGIAIRES].name == "A070_Stagiaires_20270201.csv"
    assert paths[STAGIAIRES].read_bytes() == b""
    with open(paths[FORMATIONS], "rb") as stream:
        formations = list(iter_formations(stream))
    with open(paths[INTERVENANTS], "rb") as stream:
        trainers = list(iter_trainers(stream))
    assert all(row.dispositif_code[3:6] == "070" for row in formations)
    assert all(dt.date(2026, 9, 1) <= row.starts_on <= dt.date(2027, 6, 30) for row in formations)
    per_module = Counter(row.module_code for row in trainers)
    assert set(per_module.values()) == {3}
    assert all(row.email.endswith("@ac-rouen.fr") for row in trainers)


def test_trainees_without_formations_are_impossible(tmp_path):
    with pytest.raises(ValueError):
        write_gaia_day(tmp_path, academie_code="A014", day=DAY, formations=0, trainees=5)


def test_a_large_academie_is_written_whole_and_consistent(tmp_path):
    """The size of a large académie's day: every line there, every trainee in a session of the
    Formations file. How long it takes is measured by bin/bench-gaia, not asserted here: a
    test must not fail because the machine is busy."""
    paths = write_gaia_day(
        tmp_path, academie_code="A014", day=DAY, formations=20_000, trainees=60_000
    )

    assert count_lines(paths[FORMATIONS]) == 20_000
    assert count_lines(paths[STAGIAIRES]) == 60_000
    parsed = parse(paths)
    sessions = {row.session_code for row in parsed[FORMATIONS]}
    assert len(sessions) == 20_000
    assert {row.session_code for row in parsed[STAGIAIRES]} <= sessions


def test_memory_does_not_grow_with_the_size(tmp_path):
    def peak(formations):
        tracemalloc.start()
        try:
            write_gaia_day(
                tmp_path / str(formations),
                academie_code="A014",
                day=DAY,
                formations=formations,
                trainees=3 * formations,
            )
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(300), peak(2400)
    # ≈ 50 kB for both: nothing is kept per line or per session.
    assert large < small + 20_000, (small, large)


def test_command(tmp_path, capsys):
    call_command(
        Command(),
        str(tmp_path / "export"),
        academie="A014",
        day="2026-09-15",
        formations=30,
        trainees=90,
        seed=3,
    )
    printed = capsys.readouterr().out.split()
    assert printed == [
        str(tmp_path / "export" / f"A014_{name}_20260915.csv")
        for name in ("Formations", "Intervenants", "Stagiaires")
    ]
    assert count_lines(printed[2]) == 90


def test_command_refuses_a_wrong_day(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="2026-09-31"):
        call_command(
            Command(), str(tmp_path), academie="A014", day="2026-09-31", formations=1, trainees=1
        )
