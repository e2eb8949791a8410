"""Helpers for the browser tests: screenshots, axe-core checks and signing in.

Every page a test reaches is saved as a full-page screenshot in
test-artifacts/screenshots/<test>-<step>.png (gitignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the `browser` fixture skips or fails the tests
    expect = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_PATHS = (
    ROOT / "static_vendor" / "axe" / "axe.min.js",
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a-long-test-passphrase"  # what tests/factories.py UserFactory sets


def axe_path() -> Path | None:
    return next((path for path in AXE_PATHS if path.exists()), None)


@functools.cache
def _axe_source() -> str:
    path = axe_path()
    if path is None:
        raise FileNotFoundError("axe-core is not installed: run `make install`")
    return path.read_text(encoding="utf-8")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def current_test_name() -> str:
    """The running test's name (pytest sets PYTEST_CURRENT_TEST: 'path::name (phase)')."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "test")
    return _safe(current.split("::")[-1].rsplit(" (", 1)[0])


def screenshot(page: Any, step: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<test>-<step>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{current_test_name()}-{_safe(step)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} (impact: {violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(t if isinstance(t, str) else json.dumps(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:300]}")
    return "\n".join(lines)


def axe_violations(page: Any, context: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run axe-core with the WCAG 2.0, 2.1 and 2.2 A/AA rules; return the violations found.

    `context` is an axe context such as {"exclude": [["#widget"]]}; the whole document without.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so our strict CSP (which would block an
        # inline <script> with this content) does not apply; the page's own scripts still
        # run under it.
        page.evaluate(_axe_source())
    return page.evaluate(
        """async ([tags, context]) => {
            const result = await axe.run(
                context || document, {runOnly: {type: "tag", values: tags}}
            );
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, html: n.html})),
            }));
        }""",
        [AXE_TAGS, context],
    )


def axe_check(page: Any, name: str) -> None:
    """Fail listing each violation's id, impact, help and target nodes."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe found accessibility problems on '{name}' ({page.url}):\n"
        + format_violations(violations)
    )


def visit_and_check(page: Any, name: str, url: str | None = None) -> Any:
    """Screenshot the page as <test>-<name>.png and check it with axe.

    With `url`, go there first and require a successful response, which is returned.
    """
    response = None
    if url is not None:
        response = page.goto(url)
        assert response is not None, f"no response from {url}"
        assert response.ok, f"{url} answered {response.status}"
    page.wait_for_load_state("load")
    screenshot(page, name)
    axe_check(page, name)
    return response


def submit_sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Fill in and submit the sign-in form already on the page."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def sign_in(
    page: Any, username: str, *, password: str = PASSWORD, check_as: str | None = None
) -> None:
    """Sign in through the real login form, screenshotting the form and the page it leads to.

    With `check_as`, the form is also checked with axe, under that step name."""
    page.goto("/accounts/login/")
    if check_as:
        visit_and_check(page, check_as)
    else:
        screenshot(page, f"sign-in-{username}")
    submit_sign_in(page, username, password)
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    screenshot(page, f"signed-in-{username}")
