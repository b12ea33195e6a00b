"""Accessibility checks for browser journeys.

``assert_no_serious_axe_violations(page)`` runs axe-core (bundled with
axe-playwright-python) in the page. Our Content Security Policy forbids injected
<script> tags; axe-playwright-python evaluates axe's source through Playwright's
``page.evaluate`` (the DevTools protocol), which a page's CSP does not govern, so
the check runs on the real pages with their real headers.

The other helpers check what axe cannot: reflow (no horizontal scrolling at 320 CSS
px, WCAG 1.4.10, and at 200% zoom), a visible keyboard focus indicator, and the
skip link.
"""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0/2.1/2.2 A and AA plus axe's best practices; only serious and critical
# findings fail a test, the rest are reported in the message of a failure.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")

_axe = Axe()


def axe_results(page, *, context=None) -> dict:
    """axe's raw results (violations only) for the current page."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, context=context, options=options).response


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page, *, context=None) -> dict:
    """Fail with a readable list when axe finds serious or critical violations.
    Returns the results (e.g. to count minor findings)."""
    results = axe_results(page, context=context)
    assert results["testEngine"]["name"] == "axe-core", "axe did not run in the page"
    serious = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    assert not serious, f"axe found serious accessibility problems on {page.url}:\n{describe(serious)}"
    return results


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 means it reflows)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def assert_no_horizontal_scroll(page) -> None:
    overflow = horizontal_overflow(page)
    if overflow > 0:
        culprits = page.evaluate(
            """() => { const w = document.documentElement.clientWidth;
                 return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1)
                   .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                     + ' right=' + Math.round(e.getBoundingClientRect().right)); }"""
        )
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px; widest: {culprits}")


def focus_style(page) -> dict:
    """Outline and box-shadow of the focused element."""
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
             return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                       ? s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor : '',
                     shadow: s.boxShadow === 'none' ? '' : s.boxShadow,
                     tag: document.activeElement.tagName.toLowerCase(),
                     text: (document.activeElement.innerText || '').trim()}; }"""
    )


def assert_visible_focus_indicator(page, presses: int = 1) -> dict:
    """Press Tab `presses` times; the focused element must show an outline of at
    least 2px or a box-shadow ring."""
    for _ in range(presses):
        page.keyboard.press("Tab")
    style = focus_style(page)
    assert style["outline"] or style["shadow"], f"no visible focus indicator on {style['tag']} {style['text']!r}"
    return style
