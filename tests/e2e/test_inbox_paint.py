"""The issue's speed promise: the inbox's first meaningful paint under 1 s on this machine, embedded default.
Run by `make bench-paint`, which keeps its figures in bench/results/inbox_paint.json.

Measured in the browser, not in Python: after signing in, each load is a fresh browser context (empty HTTP
cache, only the session cookie carried over). A script installed before the page's own code notes, on the
page's performance timeline (performance.now(), ms since navigation start), the first animation frame in
which a conversation row is in the DOM, i.e. the first paint that shows a conversation. Largest Contentful
Paint and the navigation timing are recorded beside it. The figure asserted is the median of five cold loads;
every load is written to test-artifacts/inbox-paint.json.
"""

from __future__ import annotations

import json
import os
import statistics

import pytest

from tests.e2e.conftest import ARTIFACTS

# a speed target, so a benchmark (`make bench-paint`, figures in bench/README.md), not part of `make test`: timed
# in the suite, it measured a median of 1,064 ms once on a slow machine while 772-953 ms alone
pytestmark = [pytest.mark.e2e, pytest.mark.bench]

BUDGET_MS = 1000
COLD_LOADS = 5  # a median of five: single loads swing by ±400 ms on the shared machine
VIEWPORT = {"width": 1280, "height": 800}

# Runs before any of the page's scripts: records when the first conversation row is painted, and LCP.
PAINT_PROBE = """
(() => {
  window.__inboxPaint = { firstRowPaintMs: null, lcpMs: null };
  const seen = () => document.querySelector('[data-testid="conversation-row"]');
  const watch = () => {
    const observer = new MutationObserver(() => {
      if (window.__inboxPaint.firstRowPaintMs !== null || !seen()) return;
      observer.disconnect();
      // the frame after insertion is the one that paints it
      requestAnimationFrame(() => { window.__inboxPaint.firstRowPaintMs = performance.now(); });
    });
    observer.observe(document, { childList: true, subtree: true });
  };
  watch();
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__inboxPaint.lcpMs = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (error) { /* LCP unsupported: the row probe still answers */ }
})();
"""

READ_TIMELINE = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    first_row_paint_ms: window.__inboxPaint.firstRowPaintMs,
    largest_contentful_paint_ms: window.__inboxPaint.lcpMs,
    first_contentful_paint_ms: fcp ? fcp.startTime : null,
    html_response_end_ms: nav ? nav.responseEnd : null,
    dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
    transferred_bytes: resources.reduce((sum, r) => sum + (r.transferSize || 0), nav ? nav.transferSize : 0),
    requests: resources.length + 1,
    // the critical path, to see what a slow load waited for
    resources: resources.map((r) => ({
      name: r.name.replace(location.origin, ''),
      start_ms: Math.round(r.startTime),
      end_ms: Math.round(r.responseEnd),
    })),
  };
}
"""


async def test_the_inbox_paints_its_first_conversation_within_a_second(product, browser):
    signed_in = await browser.new_context(viewport=VIEWPORT)
    page = await signed_in.new_page()
    await page.goto(product.url)
    await page.get_by_label("Email").fill(product.email)
    await page.get_by_label("Password").fill(product.password)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_test_id("conversation-row").first.wait_for(timeout=15_000)
    session = await signed_in.storage_state()
    await signed_in.close()

    loads = []
    for _ in range(COLD_LOADS):
        cold = await browser.new_context(viewport=VIEWPORT, storage_state=session)  # empty cache, same session
        await cold.add_init_script(PAINT_PROBE)
        page = await cold.new_page()
        await page.goto(product.url + "/")
        await page.get_by_test_id("conversation-row").first.wait_for(timeout=15_000)
        await page.wait_for_function("window.__inboxPaint.firstRowPaintMs !== null")
        await page.wait_for_timeout(300)  # let LCP settle: it is final only after the rows' paint
        loads.append(await page.evaluate(READ_TIMELINE))
        await cold.close()

    median = statistics.median(load["first_row_paint_ms"] for load in loads)
    report = {
        "budget_ms": BUDGET_MS,
        "median_first_row_paint_ms": round(median, 1),
        "method": "fresh browser context per load (empty cache, session cookie kept); time from navigation start "
        "to the first animation frame with a conversation row in the DOM, read from performance.now() in the page",
        "viewport": VIEWPORT,
        # the machine is shared: a figure read under a load above its 2 cores says more about the load
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
        "loads": loads,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "inbox-paint.json").write_text(json.dumps(report, indent=2) + "\n")
    assert median < BUDGET_MS, (
        f"The inbox's first meaningful paint took {median:.0f} ms (median of {COLD_LOADS} cold loads); "
        f"the issue requires under {BUDGET_MS} ms (1-minute load average {report['load_average_1m']} on "
        f"{report['cpu_count']} cores). See test-artifacts/inbox-paint.json."
    )
