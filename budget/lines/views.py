from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from budget.core import display
from budget.core.models import BudgetLine
from budget.lines.buildup import build_up
from budget.lines.history import line_history


@login_required
@permission_required("budget.view_history", raise_exception=True)
def line_history_view(request, pk):
    line = get_object_or_404(BudgetLine.objects.select_related("account", "program"), pk=pk)
    return render(request, "budget/line_history.html", {"line": line, "changes": line_history(line)})


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def line_detail(request, pk):
    """A line's 예산현액 and how it came to be: every amount and change, with who approved it."""
    line = get_object_or_404(BudgetLine.objects.select_related("account", "program", "fiscal_year"), pk=pk)
    steps = build_up(line)
    chart = {
        "labels": [f"{s['date']:%m-%d} {s['kind']}" for s in steps],
        "ranges": [[display.in_thousands(s["start"]), display.in_thousands(s["end"])] for s in steps],
    }
    context = {"line": line, "steps": steps, "chart": chart, "total": steps[-1]["end"] if steps else 0}
    return render(request, "budget/line_detail.html", context)
