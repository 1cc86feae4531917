from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from budget.core.models import BudgetLine
from budget.core.years import line_chain
from budget.lines.access import may_read_history
from budget.lines.buildup import build_up
from budget.lines.history import line_history


@login_required
def line_history_view(request, pk):
    line = BudgetLine.objects.select_related("account", "program").filter(pk=pk).first()
    # Whoever may read only their own lines is told "not yours" of a line that does not exist either: which
    # line ids exist is not theirs to learn.
    if line is None and request.user.has_perm("budget.view_history"):
        raise Http404
    if line is None or not may_read_history(request.user, line):
        raise PermissionDenied(
            _("이 라인의 변경 이력은 재무담당·재무책임·감사 역할과, 이 사업을 맡은 조직의 관리자가 볼 수 있습니다.")
        )
    return render(request, "budget/line_history.html", {"line": line, "changes": line_history(line)})


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def line_detail(request, pk):
    """A line's 예산현액 and how it came to be: every amount and change, with who approved it, in won."""
    line = get_object_or_404(BudgetLine.objects.select_related("account", "program", "fiscal_year"), pk=pk)
    steps = build_up(line)
    total = steps[-1]["end"] if steps else 0
    # A waterfall: the first amount from zero, each later one floating from the total before it, and the
    # 예산현액 it comes to as a full bar of its own.
    bars = [
        {
            "label": f"{s['date']:%m-%d} {s['kind']}",
            "from": 0 if i == 0 else s["start"],
            "to": s["end"],
            "value": s["amount"],
            "kind": "start" if i == 0 else ("up" if s["amount"] >= 0 else "down"),
        }
        for i, s in enumerate(steps)
    ]
    if bars:
        bars.append({"label": _("예산현액"), "from": 0, "to": total, "value": total, "kind": "total"})
    context = {
        "line": line,
        "steps": steps,
        "chart": {"bars": bars},
        "total": total,
        "can_read_history": may_read_history(request.user, line),
        # The same line in the years before and after it (BudgetLine.previous), at each year's end.
        "years": line_chain(line.pk),
    }
    return render(request, "budget/line_detail.html", context)
