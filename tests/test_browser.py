"""The pages and the widget in a real browser: Debian's Chromium, headless, driven by
Playwright, against the real gunicorn server over the test corpus.

`make test` installs Chromium (`make chromium`). Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from indexer import analysis
from indexer.fold import fold
from tests.conftest import ROOT
from tests.serving import running_server

pytestmark = pytest.mark.server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"
QUERY = "quyết định ủy ban"  # words of our own, common in the official documents
WIDGET_PER_PAGE = 6
WAIT_MS = 15_000
MARK = re.compile(r"<mark>(.*?)</mark>")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` (run by `make test`) installs it")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A static web server for mock portal pages, on another origin than the service."""
    root = tmp_path_factory.mktemp("portal")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture(scope="module")
def service(corpus_index, tmp_path_factory, portal):
    """The real server over the corpus; the portal's 127.0.0.1 origin may call its API."""
    _, port = portal
    with running_server(corpus_index, tmp_path_factory.mktemp("browser-logs"),
                        env={"TRACUU_CORS_ORIGINS": f"http://127.0.0.1:{port}"}) as (base, _):
        yield base


@pytest.fixture(scope="module")
def hostile_service(hostile_index, tmp_path_factory):
    with running_server(hostile_index, tmp_path_factory.mktemp("hostile-logs"),
                        workers=1) as (base, _):
        yield base


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    errors: list = []
    tab.on("pageerror", lambda error: errors.append(error))
    yield tab
    context.close()
    assert not errors, errors  # no script error on any page


def api(base: str, path: str, **params) -> dict:
    url = base + path + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def folded_syllables(text: str) -> set[str]:
    return {fold(t.text.lower()) for t in analysis.syllable_terms(text)}


def shot(tab: Page, name: str, full_page: bool = False) -> None:
    tab.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def test_search_filter_page_open_and_follow(page, service):
    page.goto(service + "/")
    page.get_by_label("Từ khóa tìm kiếm").fill(QUERY)
    page.keyboard.press("Enter")
    page.wait_for_url("**/tim-kiem?q=*")
    hits = page.locator("li.hit")
    expect(hits).to_have_count(10)
    # the API's marks, in the same places, shown as marks (UB of UBND too: it abbreviates ủy ban)
    marks = page.locator(".snippet mark").all_inner_texts()
    expected = api(service, "/api/search", q=QUERY, per_page=10)["hits"]
    assert marks == [html.unescape(m) for h in expected for m in MARK.findall(h["snippet"])]
    assert folded_syllables(QUERY) <= {fold(analysis.prepare(m).lower()) for m in marks}
    expect(page.locator("h1")).to_have_text(f"Kết quả tìm kiếm cho «{QUERY}»")
    shot(page, "results.png", full_page=True)

    # a type facet with more than one page of documents
    facet_links = page.locator('section[aria-labelledby="facet-type"] a')
    chosen = None
    for i in range(facet_links.count()):
        link = facet_links.nth(i)
        if int(link.locator(".count").inner_text().replace(".", "")) > 10:
            chosen = link
            break
    assert chosen is not None
    value = chosen.locator(".facet-value").inner_text()
    count = int(chosen.locator(".count").inner_text().replace(".", ""))
    chosen.click()
    page.wait_for_url("**type=*")
    expect(page.locator(".summary strong")).to_have_text(f"{count:,}".replace(",", "."))
    expect(page.locator(".active-filters li").first).to_contain_text(value)
    types = page.locator("li.hit .hit-meta div:has(dt:text-is('Loại')) dd").all_inner_texts()
    assert types and set(types) == {value}

    # page forward, the filter kept
    first_page = page.locator("li.hit h2").all_inner_texts()
    page.locator('a[rel="next"]').click()
    page.wait_for_url("**page=2*")
    expect(page.locator('.pagination a[aria-current="page"]')).to_have_text("2")
    assert page.locator("ol.hits").get_attribute("start") == "11"
    second_page = page.locator("li.hit h2").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    assert set(page.locator("li.hit .hit-meta div:has(dt:text-is('Loại')) dd")
               .all_inner_texts()) == {value}

    # open a document: its text marked, its related documents listed and followed
    title = page.locator("li.hit h2 a").first.inner_text()
    page.locator("li.hit h2 a").first.click()
    page.wait_for_url("**/van-ban/**")
    expect(page.locator("h1")).to_have_text(title)
    assert page.locator(".doc-text mark").count() > 0
    related = page.locator('section.related a')
    assert related.count() > 0
    shot(page, "document.png")
    next_title = related.first.inner_text()
    related.first.click()
    page.wait_for_url("**/van-ban/**")
    expect(page.locator("h1")).to_have_text(next_title)


def test_keyboard_skip_link_and_visible_focus(page, service):
    page.goto(service + "/tim-kiem?" + urllib.parse.urlencode({"q": QUERY}))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0  # shown on focus, not left off screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


# WCAG contrast of the text under each selector, against the first opaque background
# behind it (marks, links, counts, buttons, the header, the chosen facet and page).
CONTRAST = """selectors => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return selectors.map(sel => {
    const el = document.querySelector(sel);
    if (!el) return [sel, null];
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    return [sel, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""
CONTRAST_SELECTORS = [
    ".summary", ".hit-title a", ".snippet mark", ".hit-meta dt", ".hit-meta dd", ".snippet",
    ".facet li a .count", ".facet li a.current", ".sort a.current", ".sort a:not(.current)",
    ".pagination a.current", ".brand", ".site-header button", ".site-footer",
    ".date-filter button", ".facets h3"]


def test_text_contrast_meets_wcag_aa(page, service):
    facets = api(service, "/api/search", q=QUERY, facets="type")["facets"]["type"]
    page.goto(service + "/tim-kiem?" + urllib.parse.urlencode(
        {"q": QUERY, "type": next(iter(facets))}))
    ratios = dict(page.evaluate(CONTRAST, CONTRAST_SELECTORS))
    assert None not in ratios.values(), ratios
    low = {sel: round(r, 2) for sel, r in ratios.items() if r < 4.5}
    assert not low, low


def test_the_pages_work_without_javascript(browser, service):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(service + "/")
        tab.get_by_label("Từ khóa tìm kiếm").fill(QUERY)
        tab.get_by_role("button", name="Tìm kiếm").click()
        tab.wait_for_url("**/tim-kiem?q=*")
        expect(tab.locator("li.hit")).to_have_count(10)
        tab.locator('a[rel="next"]').click()
        tab.wait_for_url("**page=2*")
        expect(tab.locator("li.hit")).to_have_count(10)
    finally:
        context.close()


def test_readable_on_a_phone(browser, service):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  device_scale_factor=2, has_touch=True)
    try:
        tab = context.new_page()
        for path in ("/", "/tim-kiem?" + urllib.parse.urlencode({"q": QUERY}),
                     "/widget-demo"):
            tab.goto(service + path)
            width = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert width[0] <= width[1], (path, width)  # nothing wider than the screen
        tab.goto(service + "/tim-kiem?" + urllib.parse.urlencode({"q": QUERY}))
        shot(tab, "results-phone.png")
        tab.locator("li.hit h2 a").first.click()
        tab.wait_for_url("**/van-ban/**")
        width = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], width
    finally:
        context.close()


def open_widget(tab: Page, query: str, box: str) -> None:
    tab.locator(box).click()
    tab.keyboard.type(query, delay=40)
    tab.locator(".tracuu-dropdown").wait_for(state="visible")


def test_widget_instant_search_and_keyboard(page, service):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/api/search" in r.url else None)
    page.goto(service + "/widget-demo")
    box = page.get_by_role("combobox", name="Tìm văn bản")  # the portal's label, kept
    open_widget(page, QUERY, "#o-tim-kiem")
    expected = api(service, "/api/search", q=QUERY, per_page=WIDGET_PER_PAGE)
    listbox = page.get_by_role("listbox", name="Kết quả tìm nhanh")
    expect(listbox).to_be_visible()
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    expect(listbox.get_by_role("option")).to_have_count(len(expected["hits"]) + 1)  # + "all"
    options = page.locator(".tracuu-hit")
    expect(options).to_have_count(len(expected["hits"]))
    assert page.locator(".tracuu-hit .tracuu-title").all_inner_texts() == [
        " ".join(h["title"].split()) for h in expected["hits"]]
    assert page.locator(".tracuu-snippet mark").count() > 0
    expect(page.locator(".tracuu-all")).to_contain_text(f"Xem tất cả {expected['total']:,}"
                                                        .replace(",", "."))
    expect(box).to_have_attribute("aria-expanded", "true")
    # debounced: fewer requests than keys typed (one per pause, not per key)
    assert 1 <= len(requests) < len(QUERY)

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    shot(page, "widget.png")

    page.keyboard.press("Escape")
    expect(page.locator(".tracuu-dropdown")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")  # opens the list again
    expect(page.locator(".tracuu-dropdown")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # opens the selected hit
    page.wait_for_url("**/van-ban/**")
    expect(page.locator("h1")).to_have_text(" ".join(expected["hits"][1]["title"].split()))
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["q"] == [QUERY]


def test_widget_enter_without_a_selection_opens_the_results_page(page, service):
    page.goto(service + "/widget-demo")
    open_widget(page, "nghi quyet", "#o-tim-kiem")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tim-kiem?q=*")
    expect(page.locator("h1")).to_have_text("Kết quả tìm kiếm cho «nghi quyet»")
    expect(page.locator("li.hit")).to_have_count(10)


def write_portal(root: Path, service: str) -> None:
    (root / "portal.html").write_text(f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng thử</title>
<link rel="icon" href="data:,"></head>
<body><label for="tim">Tìm</label> <input id="tim" type="search" data-tracuu="{service}">
<script src="{service}/static/tracuu-widget.js"></script></body></html>""", encoding="utf-8")


def test_widget_on_an_allowed_portal(page, service, portal):
    root, port = portal
    write_portal(root, service)
    page.goto(f"http://127.0.0.1:{port}/portal.html")
    open_widget(page, QUERY, "#tim")
    expect(page.locator(".tracuu-hit")).to_have_count(WIDGET_PER_PAGE)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # to the document, on the service's pages
    page.wait_for_url(service + "/van-ban/**")


def test_widget_on_a_portal_not_allowed_gets_nothing(browser, service, portal):
    root, port = portal
    write_portal(root, service)
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        # localhost is another origin than 127.0.0.1, and not on the allow-list
        tab.goto(f"http://localhost:{port}/portal.html")
        open_widget(tab, QUERY, "#tim")
        expect(tab.locator(".tracuu-empty")).to_contain_text("Không tải được kết quả")
        expect(tab.locator(".tracuu-hit")).to_have_count(0)
    finally:
        context.close()


def test_markup_in_documents_never_runs(page, hostile_service):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_service + "/tim-kiem?" + urllib.parse.urlencode(
        {"q": '<script>alert("q")</script> lịch tiếp dân'}))
    expect(page.locator("li.hit h2").first).to_contain_text("<script>window.__pwned = 1</script>")
    expect(page.locator("h1")).to_contain_text('<script>alert("q")</script>')
    page.locator("li.hit h2 a", has_text="<script>").click()
    page.wait_for_url("**/van-ban/**")
    expect(page.locator(".doc-text")).to_contain_text('<img src=x onerror="window.__pwned = 2">')
    page.goto(hostile_service + "/widget-demo")
    open_widget(page, "lịch tiếp dân", "#o-tim-kiem")
    expect(page.locator(".tracuu-title").first).to_contain_text("<script>")
    expect(page.locator(".tracuu-snippet", has_text="<img")).to_have_count(1)
    assert page.locator(".tracuu-dropdown img, .tracuu-dropdown script").count() == 0
    assert page.evaluate("window.__pwned") is None and not dialogs


def test_follow_the_did_you_mean_link(page, service):
    # typed without diacritics: the page proposes the accented query, as the API does
    bare = "nghi quyet dai hoi"
    expected = api(service, "/api/search", q=bare)["suggestion"]["text"]
    page.goto(service + "/")
    page.get_by_label("Từ khóa tìm kiếm").fill(bare)
    page.keyboard.press("Enter")
    page.wait_for_url("**/tim-kiem?q=*")
    link = page.locator("p.suggestion a")
    expect(link).to_have_text(expected)
    assert page.locator("p.suggestion a em").count() > 0  # the restored words stand out
    shot(page, "suggestion.png")
    link.click()
    page.wait_for_url("**/tim-kiem?q=*")
    expect(page.locator("h1")).to_have_text(f"Kết quả tìm kiếm cho «{expected}»")
    expect(page.locator("li.hit")).to_have_count(10)
    marks = {fold(m.lower()) for m in page.locator(".snippet mark").all_inner_texts()}
    assert {"nghi", "quyet"} <= marks
    # the accented query has nothing more to propose
    expect(page.locator("p.suggestion")).to_have_count(0)
