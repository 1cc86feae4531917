"""The forbidden and not-found pages in a real browser, role by role: the app's header and language, which
roles may see the page, the reader's own role, and a way back. A team head reads the change history of
their own program's line (not of another's). Screenshots: forbidden-*.png, not-found.png."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budget.core.models import BudgetLine
from foundation.models import OrgUnit, StaffProfile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(report_data, make_login_user):
    call_command("populate_history", "--auto", verbosity=0)
    head = make_login_user("team_head", "관리자", first_name="메타버스팀장")
    StaffProfile.objects.create(user=head, unit=OrgUnit.objects.get(name="메타버스팀"))
    make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")
    make_login_user("auditor", "감사", first_name="감사팀")
    make_login_user("nobody", None, first_name="역할 없음")
    return {line.code: line for line in BudgetLine.objects.for_year(2022)}


def assert_forbidden(page, roles: str, own: str):
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("header.site-header .brand")).to_have_text("예산집행 관리")
    expect(page.locator("#forbidden h1")).to_have_text("볼 권한이 없는 페이지입니다")
    expect(page.locator("#forbidden-reason")).to_contain_text(roles)
    expect(page.locator("#own-roles")).to_contain_text(own)
    expect(page.locator("#go-home")).to_be_visible()
    assert "403 Forbidden" not in page.content()


def test_each_roles_forbidden_page_is_the_apps_own(people, page, login, site, artifacts_dir, browser):
    # A manager (team head) on the month sheet, reached from the report by its address.
    page.goto(f"{site}/reports/2022/")
    login(page, "team_head")
    page.goto(f"{site}/reports/2022/")
    response = page.goto(f"{site}/entry/2022/10/")
    assert response.status == 403
    assert_forbidden(page, "이 페이지는 재무담당, 재무책임 역할만 볼 수 있습니다.", "지금 계정의 역할: 관리자.")
    page.screenshot(path=str(artifacts_dir / "forbidden-manager.png"), full_page=True)

    # The team head reads the history of their own program's line, read only, and not another's.
    own = people["4-1"]
    response = page.goto(f"{site}/budget/lines/{own.pk}/")
    assert response.ok
    page.get_by_role("link", name="변경 이력").click()
    expect(page.locator("h1")).to_contain_text("메타버스 서울 시티즌 플랫폼 구축")
    expect(page.locator("#history")).to_contain_text("51,833,000 / 51,833,000")
    expect(page.locator("main form")).to_have_count(0)
    response = page.goto(f"{site}/budget/lines/{people['1-1'].pk}/history/")
    assert response.status == 403
    assert_forbidden(page, "이 사업을 맡은 조직의 관리자", "관리자")
    # The way back is the page the reader came from.
    page.goto(f"{site}/budget/lines/{people['1-1'].pk}/")
    expect(page.get_by_role("link", name="변경 이력")).to_have_count(0)

    # The auditor on the Excel import, in English: the page is the app's, in the reader's language.
    auditor = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 800})
    other = auditor.new_page()
    other.goto(f"{site}/reports/2022/")
    login(other, "auditor")
    with other.expect_navigation():
        other.locator("button[name=language][value=en]").click()
    response = other.goto(f"{site}/entry/import/")
    assert response.status == 403
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.locator("header.site-header .brand")).to_have_text("Budget Execution Tracker")
    expect(other.locator("#forbidden-reason")).to_have_text(
        "Only these roles may see this page: Finance staff, Finance lead."
    )
    expect(other.locator("#own-roles")).to_contain_text("Your account's roles: Auditor.")
    other.screenshot(path=str(artifacts_dir / "forbidden-auditor-en.png"), full_page=True)
    auditor.close()

    # Finance staff forcing the lead's month close: refused on the same page, with the way back to the sheet.
    staff = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 800})
    other = staff.new_page()
    other.goto(f"{site}/entry/2022/10/")
    login(other, "finance")
    with other.expect_navigation() as navigation:
        other.evaluate(
            """() => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = "/entry/2022/10/close/";
                const token = document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode();
                form.append(token);
                document.body.append(form);
                form.submit();
            }"""
        )
    assert navigation.value.status == 403
    assert_forbidden(other, "이 페이지는 재무책임 역할만 볼 수 있습니다.", "지금 계정의 역할: 재무담당.")
    expect(other.locator("#go-back")).to_have_attribute("href", f"{site}/entry/2022/10/")
    other.locator("#go-back").click()
    expect(other.locator("h1")).to_have_text("2022년 10월 집행 입력")
    staff.close()

    # An account without a role sees why, and where to ask.
    nobody = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 800})
    other = nobody.new_page()
    other.goto(f"{site}/reports/2022/")
    login(other, "nobody", next_path="/reports/2022/")
    assert_forbidden(other, "재무담당, 재무책임, 관리자, 감사", "지금 계정에는 역할이 없습니다.")
    nobody.close()


def test_a_page_that_does_not_exist_is_the_apps_own(people, page, login, site, artifacts_dir):
    page.goto(f"{site}/reports/2022/")
    login(page, "finance")
    response = page.goto(f"{site}/entry/2022/13/")
    assert response.status == 404
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("#not-found h1")).to_have_text("찾는 페이지가 없습니다")
    expect(page.locator("#not-found")).to_contain_text("13월은 회계연도 밖입니다 (1~12월).")
    response = page.goto(f"{site}/budget/lines/999999/")
    assert response.status == 404
    expect(page.locator("#not-found")).to_contain_text(
        "/budget/lines/999999/ 주소에 해당하는 페이지나 자료가 없습니다."
    )
    page.screenshot(path=str(artifacts_dir / "not-found.png"), full_page=True)
    page.locator("#go-home").click()
    assert page.url == f"{site}/"
