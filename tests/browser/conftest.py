"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Never a downloaded browser: pytest-playwright is pointed at /usr/bin/chromium. Without it the
journeys are skipped on a laptop (loudly), and fail under CI, where a skip would go unnoticed.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, expect

from tests.html_checker import JAVA, MISSING_JAVA, check_documents

# Playwright's sync API runs an event loop in the main thread, so Django would refuse ORM calls
# made by the tests themselves (factories, assertions) with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing: browser journeys cannot run. "
    "Install Debian's Chromium (sudo apt-get install chromium, or bin/ensure-chromium)."
)

# axe-core impacts that fail a journey; "minor" and "moderate" findings are left to audits.
BLOCKING_IMPACTS = {"serious", "critical"}
AXE = Axe()  # bundles axe-core: no network needed


def _under_ci() -> bool:
    return bool(os.environ.get("CI"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: the session-scoped browser would otherwise fail to launch.
    if item.get_closest_marker("browser") and not CHROMIUM.exists():
        if _under_ci():
            pytest.fail(f"CI is set and {MISSING_CHROMIUM}", pytrace=False)
        pytest.skip(f"SKIPPED BROWSER JOURNEY: {MISSING_CHROMIUM}")


def pytest_terminal_summary(terminalreporter):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if MISSING_CHROMIUM in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.section("browser journeys NOT RUN", sep="!", red=True, bold=True)
        terminalreporter.write_line(f"{len(skipped)} skipped: {MISSING_CHROMIUM}", red=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # live_server serves the static files itself (staticfiles' handler), so pages get the DSFR.
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        # base.html follows the system scheme: pin it so that colours are deterministic.
        "color_scheme": "light",
    }


@pytest.fixture
def context(context):
    # A journey step that needs more than 5 s is a bug: fail fast instead of after 30 s.
    context.set_default_timeout(5_000)
    return context


# Every document reports what the Content-Security-Policy blocked (an inline script or style,
# a style attribute, eval, a foreign origin) on the console, where the page fixture collects it.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber} (${event.sample})`);
}, true);
"""


def csp_violations(messages: list[str]) -> list[str]:
    # The event above, and Chromium's own "Refused to …" console errors.
    return [m for m in messages if "CSP violation" in m or "Content Security Policy" in m]


@pytest.fixture
def console_errors() -> list[str]:
    """The console errors of the test's page, as they come."""
    return []


# The document as the browser holds it once loaded (RGAA 8.2 judges the generated source): the
# doctype and the <html> element, serialized by the browser. None for what is not HTML (a PDF).
GENERATED_SOURCE = """() => {
  if (document.contentType !== "text/html") return null;
  const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>\\n` : "";
  return doctype + document.documentElement.outerHTML;
}"""


# What only the bytes the server sends can break, checked on them but not on the generated
# source, where Trix has put its default <style> first in <head>, before the <meta charset>.
BYTE_STREAM_ONLY = ("A “charset” attribute on a “meta” element found after the first 1024 bytes",)


# What the installed Nu HTML Checker does not know yet, though the HTML standard has it:
# `<script type="importmap">` (the live editor's vendored ES modules, preau/preparations).
CHECKER_BEHIND = ("Bad value “importmap” for attribute “type” on element “script”",)


# Pages whose HTML is not ours: Django's admin, for the technical administrator only (its
# select2 widgets leave empty <option>s, its password widget is a <div disabled>).
NOT_OURS = ("/admin/",)


@pytest.fixture(scope="session")
def visited_documents():
    """Every distinct HTML document the journeys loaded, as served and as generated,
    {"URL (n, how)": source}; at the end of the session, ONE run of the Nu HTML Checker on all
    of them fails on any error."""
    documents: dict[str, str] = {}
    yield documents
    if not documents:
        return
    if JAVA is None:  # journeys that ran without their HTML checked did not pass
        pytest.fail(f"HTML NOT CHECKED: {MISSING_JAVA}", pytrace=False)
    errors = [
        error
        for error in check_documents(documents)
        if not (error.page.endswith("generated)") and error.message.startswith(BYTE_STREAM_ONLY))
        and not error.message.startswith(CHECKER_BEHIND)
    ]
    if errors:
        pages = len({error.page for error in errors})
        lines = [f"Nu HTML Checker: {len(errors)} error(s) on {pages} of {len(documents)} pages"]
        lines += [f"- {error}" for error in errors]
        pytest.fail("\n".join(lines), pytrace=False)


def _keep(documents: dict[str, str], url: str, what: str, source: str | None) -> None:
    parts = urlsplit(url)
    if source is None or parts.path.startswith(NOT_OURS) or source in documents.values():
        return
    address = parts.path + (f"?{parts.query}" if parts.query else "")
    documents[f"{address} (#{len(documents) + 1}, {what})"] = source


def record_served(response: Response, documents: dict[str, str]) -> None:
    """Keeps an HTML page as the server sent it: what the parser met (a <p> in a <p>, a stray
    end tag) no longer shows once the browser has built the document. htmx fragments come by
    XHR, not as documents, and are left out."""
    request = response.request
    if request.resource_type != "document" or 300 <= response.status < 400:
        return
    if "text/html" not in response.headers.get("content-type", ""):
        return
    try:
        source = response.text()
    except PlaywrightError:  # the body is gone: the journey moved on
        return
    _keep(documents, response.url, "served", source)


def record_generated(page: Page, documents: dict[str, str]) -> None:
    """Keeps the loaded document as the browser holds it, once its scripts ran (RGAA 8.2 judges
    the generated source: the rich-text editor is built by JavaScript)."""
    try:
        source = page.evaluate(GENERATED_SOURCE)
    except PlaywrightError:  # the journey already left the page: its next one is recorded
        return
    _keep(documents, page.url, "generated", source)


@pytest.fixture
def page(page: Page, console_errors: list[str], visited_documents: dict[str, str]):
    """The page, failing the test when a request answers an error, a script throws or the
    Content-Security-Policy blocks anything; each document it loads goes to the HTML checker."""
    problems = []
    page.add_init_script(CSP_REPORTER)
    page.on("response", lambda response: record_served(response, visited_documents))
    page.on("load", lambda loaded: record_generated(loaded, visited_documents))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    yield page
    problems += csp_violations(console_errors)
    assert not problems, "The browser met errors:\n" + "\n".join(problems)


def check_accessibility(page: Page) -> None:
    """Runs axe-core on the page as it is now; fails on serious or critical violations."""
    page.wait_for_load_state("load")
    violations = AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe-core: {len(blocking)} serious or critical violation(s) on {page.url}"]
        for violation in blocking:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} [{targets}]"
            )
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in(page: Page, email: str, password: str) -> None:
    """Signs in through the real login form, as a person would."""
    page.goto("/compte/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à Préau")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
