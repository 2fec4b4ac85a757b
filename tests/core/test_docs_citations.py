"""The tests that docs/*.md and README.md cite exist: a renamed or moved test fails here, not
months later in the hands of a reader who looks for it (docs/privacy.md once cited a test that
was gone, docs/reliability.md a file that had moved to another app)."""

import re

import pytest

from .citations import ROOT, exists

DOCUMENTS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
# A path under tests/ (`tests/conftest.py`), or a test file by the end of its path, maybe with
# one of its tests (`test_views.py::test_the_team_sees_no_aggregate_below_the_threshold`).
PATH = re.compile(r"(?<![\w/.-])((?:tests/)?(?:[\w.-]+/)*(?:test_\w+|[\w-]+)\.py)(?:::(\w+))?")
# A test cited by its name alone.
NAME = re.compile(r"(?<![\w/.:-])(test_\w+)(?!\w|\.py|/)")
# Words of the documents that look like a test's name and are something else.
NOT_TESTS = {"test_preau"}  # the test database's name (README)


def _citations(text: str) -> set[str]:
    found = set()
    for match in PATH.finditer(text):
        path, name = match.groups()
        if path.startswith("tests/") or path.rpartition("/")[2].startswith("test_"):
            found.add(f"{path}::{name}" if name else path)
    found |= {name for name in NAME.findall(text) if name not in NOT_TESTS}
    return found


def test_the_scan_finds_the_three_kinds_of_citation():
    text = (
        "See `tests/core/test_numbers.py`, `test_views.py::test_a` and "
        "`test_every_time_field_is_reviewed`, or tests/conftest.py; not preau/core/views.py."
    )
    assert _citations(text) == {
        "tests/core/test_numbers.py",
        "test_views.py::test_a",
        "test_every_time_field_is_reviewed",
        "tests/conftest.py",
    }
    assert exists("tests/core/test_numbers.py")
    assert exists("tests/core/test_privacy_promises.py::test_every_time_field_is_reviewed")
    assert exists("test_privacy_promises.py::test_every_time_field_is_reviewed")
    assert not exists("tests/core/test_backup.py")
    assert not exists("tests/core/test_numbers.py::test_every_time_field_is_reviewed")
    assert not exists("test_the_public_pages_promise_nothing_that_is_not_built")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_test_a_document_cites_exists(document):
    citations = _citations(document.read_text(encoding="utf-8"))
    missing = sorted(c for c in citations if not exists(c))
    assert not missing, f"{document.name} cites tests that do not exist: {missing}"
