"""예비비 사용: 10,000,000 won from 일반예비비 to 메타버스 서울 시티즌 플랫폼 구축, in a real browser.

Finance staff request it on /budget/2022/changes/, the finance lead approves it, and both lines'
pages show it in their build-up (table and waterfall chart) with the approver. Screenshots of each
step go to the artifacts folder (change-01-request.png, …).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from budget.core.models import BudgetChange, BudgetLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_transfer_requested_approved_and_shown_in_both_build_ups(
    page, site, login, report_data, make_login_user, artifacts_dir, browser
):
    make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")
    make_login_user("lead", "재무책임", first_name="총무회계팀장")
    metaverse = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    reserve = BudgetLine.objects.get(fiscal_year=2022, code="R-3")

    def shot(name, on=page):
        on.screenshot(path=str(artifacts_dir / f"change-{name}.png"), full_page=True)

    page.goto(f"{site}/budget/2022/changes/")
    login(page, "finance")
    page.locator("select[name=kind]").select_option("reserve_use")
    page.locator("input[name=effective_date]").fill("2022-10-04")
    page.locator("input[name=reason]").fill("메타버스 콘텐츠 추가 제작")
    page.locator("input[name=reference]").fill("재무-2022-101")
    page.locator("select[name=leg-0-line]").select_option(str(reserve.pk))
    page.locator("input[name=leg-0-amount]").fill("-10,000,000")
    page.locator("select[name=leg-1-line]").select_option(str(metaverse.pk))
    page.locator("input[name=leg-1-amount]").fill("10,000,000")
    shot("01-request")
    with page.expect_navigation():
        page.locator("#request-change").click()
    number = BudgetChange.objects.get().pk
    expect(page.locator("p.message.success")).to_have_text(
        f"예산 변경 #{number} 예비비 사용 (2022-10-04)을(를) 요청했습니다. 재무책임자가 승인하면 예산현액에 반영됩니다."
    )
    expect(page.locator("#changes tbody tr").first).to_contain_text("승인 대기")
    expect(page.locator("button[name=approve]")).to_have_count(0)  # staff cannot approve
    shot("02-pending")

    lead_context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    lead_page = lead_context.new_page()
    lead_page.goto(f"{site}/budget/2022/changes/")
    login(lead_page, "lead")
    lead_page.locator("form[action$='/approve/'] input[name=note]").fill("확인")
    with lead_page.expect_navigation():
        lead_page.locator("button[name=approve]").click()
    # The message says what was done, not the status the change had before ("승인했습니다 … (승인 대기)").
    expect(lead_page.locator("p.message.success")).to_have_text(
        f"#{number} 예비비 사용 (2022-10-04)을(를) 승인했습니다. 예산현액에 반영되었습니다."
    )
    expect(lead_page.locator("#changes tbody tr").first).to_contain_text("총무회계팀장")
    shot("03-approved", lead_page)

    for line, amount, after, name in (
        (metaverse, "10,000,000", "410,000,000", "04-metaverse"),
        (reserve, "△10,000,000", "267,148,000", "05-reserve"),
    ):
        lead_page.goto(f"{site}/budget/lines/{line.pk}/")
        last = lead_page.locator("#buildup tbody tr").last
        expect(last).to_contain_text("예비비 사용")
        expect(last).to_contain_text(amount)
        expect(last).to_contain_text(after)
        expect(last).to_contain_text("총무회계팀장")
        expect(lead_page.locator("#line-total")).to_have_text(f"{after}원")
        painted = lead_page.locator("#buildup-chart").evaluate(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"
        )
        assert painted > 1000, "the waterfall chart drew nothing"
        shot(name, lead_page)
    lead_context.close()

    page.goto(f"{site}/reports/2022/?as_of=2022-10")
    row = page.locator("#execution tbody tr", has_text="메타버스 서울 시티즌 플랫폼 구축")
    expect(row).to_contain_text("410,000")
    expect(page.locator("#expenditure-summary tbody tr").first).to_contain_text("10,202,380")
    expect(page.locator("#revenue-summary tbody tr").first).to_contain_text("10,202,380")
    shot("06-report")
