"""The app's roles as Django groups, and what each may do.

Reading is open to every role; writing money is for finance staff; history is for the auditor too.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

READ = [
    "budget.view_fiscalyear",
    "budget.view_account",
    "budget.view_budgetline",
    "budget.view_budgetamount",
    "budget.view_executionrecord",
    "programs.view_program",
    "programs.view_policyarea",
    "programs.view_indicator",
    "foundation.view_orgunit",
    "foundation.view_staffing",
    "budget.view_monthstatus",
    "budget.view_budgetchange",
    "budget.view_monthlyplan",
    "budget.view_explanation",
]
HISTORY = ["budget.view_history"]
# Finance staff enter execution and plans, and request budget changes; the lead approves them.
ENTER = [
    "budget.add_executionrecord",
    "budget.change_executionrecord",
    "budget.add_budgetchange",
    "budget.add_monthlyplan",
    "budget.change_monthlyplan",
]
# Closing a month fixes what is reported for it, so the lead who answers for the report closes it.
LEAD = [
    "budget.close_month",
    "budget.reopen_month",
    "budget.approve_budgetchange",
    "budget.change_fiscalyear",  # the 신속집행 target
]
# Program owners (본부장, 팀장) explain lines behind pace; the finance lead may too.
EXPLAIN = ["budget.add_explanation", "budget.change_explanation"]

# Finance staff see the history of what they enter; managers read figures, not the audit trail.
ROLES = {
    "재무담당": READ + ENTER + HISTORY,
    "재무책임": READ + ENTER + HISTORY + LEAD + EXPLAIN,
    "관리자": READ + EXPLAIN,
    "감사": READ + HISTORY,
}

# Demo account name, role, display name, unit; the admin is a superuser outside the groups.
DEMO_ACCOUNTS = [
    ("finance", "재무담당", "총무회계팀 담당자", "총무회계팀"),
    ("finance_lead", "재무책임", "총무회계팀장", "총무회계팀"),
    ("manager", "관리자", "혁신사업본부장", "혁신사업본부"),
    ("team_head", "관리자", "메타버스팀장", "메타버스팀"),
    ("auditor", "감사", "감사팀", "감사팀"),
    ("admin", None, "시스템 관리자", None),
]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def sync_roles() -> dict[str, Group]:
    """Create or update the role groups so each holds exactly its permissions."""
    groups = {}
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(p) for p in perms])
        groups[name] = group
    return groups
