"""In a browser: the API's documentation page works under the site's Content-Security-Policy (Swagger UI from
our own static files, calling the API with the signed-in session), and the finance lead publishes a month
that then shows, with its charts, to a reader who is not signed in."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects what the page's Content-Security-Policy refused; an init script runs before the page's own.
WATCH_CSP = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__refused.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def refused(page) -> list[str]:
    return page.evaluate("window.__refused")


def test_the_api_documentation_works_under_the_policy(page, site, report_data, make_login_user, login, artifacts_dir):
    make_login_user("manager", "관리자")
    page.add_init_script(WATCH_CSP)
    login(page, "manager")
    page.goto(f"{site}/api/docs/")
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/fiscal-years/").first
    operation.wait_for()
    assert page.locator(".opblock").count() >= 17
    # Call the API from the page, with the session: Swagger UI's own fetch, under connect-src 'self'.
    operation.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    response = page.locator(".live-responses-table tbody .response-col_status").first
    response.wait_for()
    assert response.inner_text().strip() == "200"
    assert "2022" in page.locator(".live-responses-table .microlight").first.inner_text()
    page.screenshot(path=str(artifacts_dir / "api-docs.png"), full_page=False)
    assert refused(page) == []


def test_a_published_month_shows_to_anyone_with_its_charts(
    page, site, report_data, make_login_user, login, artifacts_dir
):
    make_login_user("lead", "재무책임")
    page.add_init_script(WATCH_CSP)
    login(page, "lead")
    page.goto(f"{site}/entry/2022/publish/")
    page.locator("#month-9 button", has_text="공개").click()
    page.wait_for_load_state()
    assert "공개 (" in page.locator("#month-9").inner_text()
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_load_state()

    page.goto(f"{site}/open/2022/")
    assert page.locator("#open-natures tbody tr").first.inner_text().split("\t")[:2] == ["계", "10,202,380"]
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('chart-open-programs'))")
    labels = page.evaluate("Chart.getChart(document.getElementById('chart-open-programs')).data.labels")
    assert "메타버스 서울 시티즌 플랫폼 구축" in labels
    page.screenshot(path=str(artifacts_dir / "open-2022.png"), full_page=True)
    assert refused(page) == []
    # October is not published: not found, even by guessing its address.
    assert page.goto(f"{site}/open/2022/?month=10").status == 404
