from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from budget.core.models import Explanation, FiscalYear


class ExplanationForm(forms.Form):
    month = forms.IntegerField(min_value=1, max_value=12, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("사유"),
        max_length=Explanation._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 48}),
        error_messages={"required": _("사유를 적어 주세요.")},
    )


class TargetForm(forms.ModelForm):
    early_execution_target = forms.DecimalField(
        label=_("신속집행 목표(%)"),
        max_digits=4,
        decimal_places=1,
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("상반기(1~6월) 집행 목표, 인건비·예비비 제외 대상액 기준. 비우면 목표 없음."),
    )

    class Meta:
        model = FiscalYear
        fields = ["early_execution_target"]
