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
]
HISTORY = ["budget.view_history"]
ENTER = ["budget.add_executionrecord", "budget.change_executionrecord", "budget.close_month"]
LEAD = ["budget.reopen_month", "budget.add_budgetamount", "budget.change_budgetamount"]

# Finance staff see the history of what they enter; managers read figures, not the audit trail.
ROLES = {
    "재무담당": READ + ENTER + HISTORY,
    "재무책임": READ + ENTER + HISTORY + LEAD,
    "관리자": READ,
    "감사": READ + HISTORY,
}

# Demo account name, role, display name; the admin is a superuser outside the groups.
DEMO_ACCOUNTS = [
    ("finance", "재무담당", "총무회계팀 담당자"),
    ("finance_lead", "재무책임", "총무회계팀장"),
    ("manager", "관리자", "혁신사업본부장"),
    ("auditor", "감사", "감사팀"),
    ("admin", None, "시스템 관리자"),
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
