"""The HTML report opened in headless Chromium: it renders, loads nothing from outside, runs no
script, logs no console error, and its screenshot is kept for a person to look at.

Uses Debian's `chromium` through Playwright (the Python package only; no browser download).
Skips when either is missing, except under LIVINGREVIEW_REQUIRE_BROWSER=1 (set by .ci/run after
it installs chromium), where a missing browser fails the run instead of hiding it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from _report_inputs import HOSTILE_TITLE_AS_TEXT, full_report_inputs
from livingreview.report import render_report

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-component-update", "--disable-sync"]
# Where the screenshot is kept when the caller wants to look at it (CI artefacts, a reviewer).
SCREENSHOT_DIR_VARIABLE = "LIVINGREVIEW_SCREENSHOT_DIR"


def _chromium() -> str:
    required = os.environ.get("LIVINGREVIEW_REQUIRE_BROWSER") == "1"
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        executable = None
    if executable is None:
        reason = "chromium and the playwright package are needed (apt-get install chromium)"
        if required:
            pytest.fail(f"LIVINGREVIEW_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return executable


@pytest.mark.slow
def test_report_renders_in_headless_chromium_without_console_errors(tmp_path: Path):
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    report = render_report(full_report_inputs(tmp_path / "figures"), tmp_path / "report")
    errors: list[str] = []
    outside: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith(("data:", report.as_uri())) else None)
            page.goto(report.as_uri(), wait_until="load")
            images = page.evaluate("Array.from(document.images).map("
                                   "i => [i.complete, i.naturalWidth, i.naturalHeight])")
            prisma_box = page.locator("#prisma svg").bounding_box()
            characteristics = page.locator("#characteristics").inner_text()
            screenshot = page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            context.close()
    assert errors == []
    assert outside == []
    assert dialogs == []
    assert len(images) == 4 and all(done and w > 0 and h > 0 for done, w, h in images)
    assert prisma_box is not None and prisma_box["width"] > 600 and prisma_box["height"] > 300
    assert HOSTILE_TITLE_AS_TEXT in characteristics
    assert screenshot.startswith(b"\x89PNG") and len(screenshot) > 50_000
    keep = os.environ.get(SCREENSHOT_DIR_VARIABLE)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "report.png", Path(keep) / "report-screenshot.png")
