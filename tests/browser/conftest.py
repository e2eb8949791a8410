"""Real-browser tests: Debian chromium driven by Playwright, pages checked with axe-core.

Chromium starts once for the browser tests; each test opens fresh browser contexts (one
signed-in user each) against pytest-django's `live_server` (transactional database). Helpers
for screenshots, axe and signing in are in tests/browser/helpers.py.

Without chromium, Playwright or axe-core the tests are skipped, unless CAIRN_REQUIRE_BROWSER=1
(as in CI), when they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import SCREENSHOTS, axe_path, screenshot

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CAIRN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required (CAIRN_REQUIRE_BROWSER=1) but {reason}", False)
    pytest.skip(reason)


def _chromium_path() -> str | None:
    configured = os.environ.get("CAIRN_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One headless chromium for all the browser tests, closed when they are done.

    Playwright's sync API keeps an asyncio event loop running on this thread while it is open,
    which trips Django's "you cannot call this from an async context" check on ordinary ORM
    calls in the tests. DJANGO_ALLOW_ASYNC_UNSAFE switches that check off only while the
    browser is open; package scope closes it after the browser tests, so the rest of the suite
    keeps the check and sees no running loop.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
        raise
    executable = _chromium_path()
    if executable is None:
        _unavailable("chromium is not installed (apt-get install chromium)")
    if axe_path() is None:
        _unavailable("axe-core is not installed (run `make install`)")

    for stale in SCREENSHOTS.glob("*.png"):  # this run's pictures only
        stale.unlink()

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except PlaywrightError as error:
            _unavailable(f"chromium ({executable}) did not start: {error}")
            raise
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"cairn_report_{report.when}", report)
    return report


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any
) -> Iterator[Callable[[], Any]]:
    """Open pages, each in a fresh browser context with its own cookies.

    A script error, a Content Security Policy violation or a page asset (CSS, JavaScript,
    image) that fails to load fails the test. When a test fails, each open page is saved as
    `<test>-failed-<n>.png`.
    """
    contexts: list[Any] = []
    problems: list[str] = []

    def watch(page: Any) -> None:
        page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console error on {page.url}: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} for {response.url} (on {page.url})")
                if response.status >= 400 and response.request.resource_type != "document"
                else None
            ),
        )
        page.on(
            "requestfailed",
            lambda req: (
                problems.append(f"failed to load {req.url}: {req.failure}")
                # Aborted: left the page before it loaded (or a 4xx/5xx, reported above).
                if req.resource_type != "document" and "ERR_ABORTED" not in (req.failure or "")
                else None
            ),
        )

    def open_page() -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        watch(page)
        return page

    yield open_page

    report = getattr(request.node, "cairn_report_call", None)
    failed = report is not None and report.failed
    if failed:
        n = 0
        for context in contexts:
            for page in context.pages:
                n += 1
                with contextlib.suppress(Exception):  # best effort: the test failed already
                    screenshot(page, f"failed-{n}")
    for context in contexts:
        context.close()
    if not failed:
        assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page: Callable[[], Any]) -> Any:
    """A page in a fresh browser context, with the live server as its base URL."""
    return new_page()
