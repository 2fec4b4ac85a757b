"""`make install-dev` (tests, CI) installs requirements/dev.txt alone: it must pin every
package of the runtime set, at the same version, or a fresh clone's test suite would miss a
package that production installs (both files are compiled by pip-compile from their .in)."""

import re
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)", re.MULTILINE)


def _pins(name: str) -> dict[str, str]:
    text = (REQUIREMENTS / name).read_text()
    return {package.lower(): version for package, version in PIN.findall(text)}


def test_the_development_set_pins_every_runtime_package_at_the_same_version():
    runtime, development = _pins("base.txt"), _pins("dev.txt")

    missing = {p: v for p, v in runtime.items() if development.get(p) != v}

    assert runtime and missing == {}


def test_every_package_asked_for_at_runtime_is_pinned():
    asked = {
        line.split("==")[0].split("[")[0].strip().lower()  # `psycopg[binary]`: psycopg
        for line in (REQUIREMENTS / "base.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert asked <= set(_pins("base.txt"))
