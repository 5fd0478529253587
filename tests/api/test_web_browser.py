"""The web pages in a real browser: Debian's Chromium, headless, driven by Playwright, against ``kgcat serve``.

A person's walk: type ``充电桩 数据``, see the charging-station table among the first results, open
it, follow to its department, open the SPARQL page and run an example query. Also: the pages
work with JavaScript switched off, fit a phone screen, and start with a skip link for keyboards.
Screenshots go to ``test-artifacts/web/`` (git-ignored). The browser is the system one
(``/usr/bin/chromium``, from scripts/system-packages.txt), never a download; if it cannot
start, these tests fail with the reason rather than skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from served_catalogue import built_and_served

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``kgcat build`` from the bundled sources, then ``kgcat serve`` on a free loopback port."""
    with built_and_served(tmp_path_factory.mktemp("web-serve")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless system Chromium; a browser that cannot start fails the tests, with the reason."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        pytest.fail(f"Python playwright is not installed ({missing}); install the dev extra: pip install -e '.[dev]'")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing; install the Debian package chromium (bash scripts/install-system-packages.sh)"
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as failure:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {failure}")
        yield launched
        launched.close()


def new_page(browser: object, **options: object):  # type: ignore[no-untyped-def]
    page = browser.new_context(locale="zh-CN", **options).new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(TIMEOUT_MS)
    return page


def card_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [title.strip() for title in page.locator("article.card h3 a").all_inner_texts()]


def test_a_citizen_finds_the_charging_table_its_department_and_runs_a_query(server: str, browser: object) -> None:
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")

    page.get_by_role("searchbox").fill("充电桩 数据")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    assert "新能源汽车充电场表" in card_titles(page)[:3]
    assert not page.get_by_role("link", name="按类型、部门、领域筛选 ↓").is_visible()  # the facets are beside them
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)

    page.locator("article.card h3 a", has_text="新能源汽车充电场表").click()
    assert page.locator("h1").inner_text() == "新能源汽车充电场表"
    assert page.locator("figure.graph svg").count() == 1
    page.screenshot(path=str(ARTIFACTS / "entity-page.png"), full_page=True)

    page.locator("table.facts").get_by_role("link", name="上海市徐汇区交通管理中心").first.click()
    assert page.locator("h1").inner_text() == "上海市徐汇区交通管理中心"
    assert page.locator("#main").get_by_role("link", name="新能源汽车充电场表").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "department-page.png"), full_page=True)

    page.get_by_role("link", name="SPARQL 查询").first.click()
    page.get_by_role("link", name="各部门登记的数据资源数量").click()
    page.get_by_role("button", name="运行查询").click()
    rows = page.locator("table.results-table tbody tr")
    assert rows.count() >= 5
    assert "上海市徐汇区绿化和市容管理局" in rows.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "sparql-page.png"), full_page=True)


def test_search_and_entity_pages_work_without_javascript(server: str, browser: object) -> None:
    page = new_page(browser, java_script_enabled=False)
    page.goto(server + "/")

    page.get_by_role("searchbox").fill("古树名木")
    page.get_by_role("button", name="搜索").click()
    assert "古树名木保护表" in card_titles(page)[:3]
    page.get_by_role("link", name="☐ 数据资源", exact=False).first.click()
    assert set(page.locator("article.card .badge:not(.weak)").all_inner_texts()) == {"数据资源"}
    page.locator("article.card h3 a", has_text="古树名木保护表").click()
    assert page.locator("h1").inner_text() == "古树名木保护表"


def test_the_search_page_fits_a_phone_and_starts_with_a_skip_link(server: str, browser: object) -> None:
    page = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/?q=" + "充电桩 数据")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    page.screenshot(path=str(ARTIFACTS / "search-results-phone.png"), full_page=True)

    assert overflow <= 0
    assert focused == "跳到正文"
    page.get_by_role("link", name="按类型、部门、领域筛选 ↓").click()  # on a phone the facets come after the results
    assert page.evaluate("document.activeElement.id") == "facets-title"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
