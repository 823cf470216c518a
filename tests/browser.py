"""A headless Chromium to open report.html as an auditor would: what it renders, as text.

Found the portable way: CLAUSEGATE_CHROMIUM (a name on PATH or a path), else the first of
chromium, chromium-browser, google-chrome on PATH. `.ci/run` installs Debian's chromium
where it is missing; elsewhere the browser tests are skipped, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

NAMES = ("chromium", "chromium-browser", "google-chrome")
VARIABLE = "CLAUSEGATE_CHROMIUM"
# Allure's single-file report decodes its data and renders in a few seconds of page time.
BUDGET_MS = 20000
TIMEOUT_S = 120
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def find() -> str | None:
    """The browser to run, or None."""
    named = os.environ.get(VARIABLE)
    if named:
        return shutil.which(named)
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def missing() -> str:
    """Why no browser test runs here."""
    named = os.environ.get(VARIABLE)
    if named:
        return f"{VARIABLE}={named} is not an executable"
    return f"no Chromium here (looked for {', '.join(NAMES)} on PATH; {VARIABLE} names another)"


def rendered_text(binary: str, url: str) -> str:
    """The text of the page at `url` once rendered: the DOM without scripts, styles and
    tags, whitespace collapsed."""
    done = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
         f"--virtual-time-budget={BUDGET_MS}", "--dump-dom", url],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    text = _TAG.sub(" ", _HIDDEN.sub(" ", done.stdout))
    return " ".join(text.split())
