"""Where the tests are, for the tests that check that a citation of one is not stale (the
documentation, the landing page's claims): `tests/x/test_y.py`, `tests/x/test_y.py::test_z`,
`test_y.py::test_z` (a file found by the end of its path) or a bare `test_z`."""

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


@functools.cache
def _functions(path: Path) -> frozenset[str]:
    """The names of the functions a test file defines (at module level and in classes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    )


@functools.cache
def _python_files() -> tuple[Path, ...]:
    return tuple(sorted(TESTS.rglob("*.py")))


def files_cited(path: str) -> list[Path]:
    """The files a cited path designates: itself from the project's root when it starts with
    « tests/ », else every test file whose path ends with it."""
    if path.startswith("tests/"):
        return [ROOT / path] if (ROOT / path).is_file() else []
    return [p for p in _python_files() if p.as_posix().endswith("/" + path)]


def is_defined(name: str, files: list[Path] | None = None) -> bool:
    """A test function of that name in one of `files` (anywhere under tests/ by default)."""
    return any(name in _functions(path) for path in (files or _python_files()))


def exists(citation: str) -> bool:
    """`path`, `path::name` or a bare `name` designates a file or a test that exists."""
    path, _sep, name = citation.partition("::") if ".py" in citation else ("", "", citation)
    files = files_cited(path) if path else None
    if path and not files:
        return False
    return not name or is_defined(name, files)
