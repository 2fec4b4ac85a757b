"""`preau.core` is the ground floor: it imports no other app of Préau, so that every app can
build on it without a cycle. What gathers every app (the role homes, the navigation, the demo
seed, the backup) lives on the top floor, `preau.portal`."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "preau" / "core"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):  # module level and inside functions alike
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_no_other_app_of_preau():
    upward = {
        f"{path.relative_to(CORE.parent.parent)}: {module}"
        for path in CORE.rglob("*.py")
        if "migrations" not in path.parts
        for module in _imported_modules(path)
        if module.startswith("preau.") and not module.startswith("preau.core")
    }

    assert upward == set()


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    """The walk covers imports made inside functions (a lazy import is still a dependency)."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from preau.hours.models import Entry\n    return Entry\n")

    assert _imported_modules(module) == {"preau.hours.models"}
