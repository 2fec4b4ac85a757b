"""`make audit` (bin/audit): pip-audit on the lock files when a vulnerability database answers,
a plain "not audited" when none does. No network here: the probes are replaced."""

import importlib.machinery
import importlib.util
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parents[2] / "bin" / "audit"


@pytest.fixture
def audit():
    loader = importlib.machinery.SourceFileLoader("preau_bin_audit", str(AUDIT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def test_without_a_reachable_database_it_says_nothing_was_audited(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit, "pypi_answers", lambda: False)
    monkeypatch.setattr(audit, "osv_answers", lambda: False)
    monkeypatch.setattr(audit.subprocess, "call", lambda *a, **k: pytest.fail("pip-audit ran"))
    monkeypatch.delenv("AUDIT_STRICT", raising=False)

    assert audit.main() == 0
    assert "AUDIT NON FAIT / NOT AUDITED" in capsys.readouterr().err

    monkeypatch.setenv("AUDIT_STRICT", "1")
    assert audit.main() == 2


def test_with_osv_reachable_it_audits_both_lock_files_strictly(audit, monkeypatch):
    calls = []
    monkeypatch.setattr(audit, "pypi_answers", lambda: False)
    monkeypatch.setattr(audit, "osv_answers", lambda: True)
    monkeypatch.setattr(audit.subprocess, "call", lambda command, **kw: calls.append(command) or 1)

    assert audit.main() == 1  # pip-audit's status: vulnerabilities found, or a package unaudited

    [command] = calls
    assert command[1:] == [
        "--vulnerability-service",
        "osv",
        "--no-deps",
        "--disable-pip",
        "--strict",
        "--progress-spinner",
        "off",
        "-r",
        "requirements/base.txt",
        "-r",
        "requirements/dev.txt",
    ]
