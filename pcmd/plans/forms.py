"""Forms of the plan pages: list filters, workflow (comment, send back, issue), copy and the
draft editor (one form per part of the plan; each carries the plan's version)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.web.fields import choice, model_choice
from pcmd.web.forms import DateField

from .models import (
    ALL_LEVELS,
    Plan,
    PlanStatus,
    PlanType,
    Target,
    TargetKind,
    TargetScaling,
)
from .selectors import provinces_of

NUMBER_MAX = Decimal("9999999999")
LINES = {"rows": 6}
LEVELS = [
    ("province", _("province")),
    ("district", _("district")),
    ("commune", _("commune")),
]


def lines(text: str) -> list[str]:
    """One entry per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PlanStatus.choices]
    )
    plan_type = forms.ChoiceField(
        label=_("Type of plan"), required=False, choices=[("", _("All")), *PlanType.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class CommentForm(forms.Form):
    about = forms.CharField(
        label=_("About"),
        max_length=20,
        required=False,
        help_text=_("Empty for the whole plan, a target code (T3) or a heading number (IV.2)."),
    )
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(LINES))


class ReturnForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=250, widget=forms.Textarea(attrs={"rows": 3})
    )


class IssueForm(VersionForm):
    number = forms.CharField(label=_("Number"), max_length=40, help_text="1842/KH-UBND")
    issued_on = DateField(label=_("Date issued"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=80)
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=80, required=False)


def province_choices(user: Any) -> QuerySet[Unit]:
    """Provinces (current or dissolved) the user's scope covers or lies in."""
    from pcmd.accounts.permissions import scope_paths

    provinces = Unit.objects.filter(level=UnitLevel.PROVINCE)
    paths = scope_paths(user)
    if paths is None:
        return provinces.order_by("name", "pk")
    ids = [
        u.pk for u in provinces if any(u.path.startswith(p) or p.startswith(u.path) for p in paths)
    ]
    return provinces.filter(pk__in=ids).order_by("name", "pk")


class CopyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    period_start = DateField(label=_("Period start"))
    period_end = DateField(label=_("Period end"))
    unit = forms.ModelChoiceField(label=_("Province"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any, source: Plan, **kwargs: Any) -> None:
        year = max(source.period_end.year + 1, source.period_start.year + 1)
        kwargs.setdefault(
            "initial",
            {
                "period_start": datetime.date(year, 1, 1),
                "period_end": datetime.date(year, 12, 31),
                "unit": source.unit_id,
            },
        )
        super().__init__(*args, **kwargs)
        units = province_choices(user)
        if source.unit_id:
            units = units | Unit.objects.filter(pk=source.unit_id)
        model_choice(self, "unit").queryset = units.distinct().order_by("name", "pk")


# ---- the draft editor -----------------------------------------------------------------------


def agencies_for(plan: Plan) -> QuerySet[Agency]:
    """Agencies of the plan's province (old and new units across the 2025 reform count as
    one) that exist at some time in the plan's period."""
    if plan.unit is None:
        return Agency.objects.all().order_by("order", "name")
    paths = Unit.objects.filter(pk__in=provinces_of(plan.unit)).values_list("path", flat=True)
    inside = under_q("unit", paths)
    return (
        Agency.objects.filter(inside)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=plan.period_end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=plan.period_start))
        .order_by("order", "name")
    )


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class AgencyChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class HeaderForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    place = forms.CharField(label=_("Place"), max_length=80)
    period_start = DateField(label=_("Period start"))
    period_end = DateField(label=_("Period end"))
    parent = forms.ModelChoiceField(
        label=_("Implements"), queryset=Plan.objects.none(), required=False
    )
    preamble = forms.CharField(
        label=_("Preamble"), required=False, max_length=20_000, widget=forms.Textarea(LINES)
    )
    closing = forms.CharField(
        label=_("Closing"), required=False, max_length=20_000, widget=forms.Textarea(LINES)
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=80, required=False)
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=80, required=False)

    def __init__(self, *args: Any, plan: Plan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "parent").queryset = (
            Plan.objects.visible_to(user).binding().exclude(pk=plan.pk)
        )


class LinesForm(VersionForm):
    """Objectives, funding lines or recipients: one entry per line."""

    text = forms.CharField(
        label=_("One entry per line"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


def _number(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=NUMBER_MAX,
        max_digits=12,
        decimal_places=2,
    )


class TargetForm(VersionForm):
    code = forms.CharField(label=_("Code"), max_length=10, help_text="T1, T2…")
    text = forms.CharField(label=_("Text"), max_length=20_000, widget=forms.Textarea(LINES))
    short = forms.CharField(label=_("Short label"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=TargetKind.choices)
    value = _number(_("Target value"))
    value_min = _number(_("Minimum"))
    value_max = _number(_("Maximum"))
    denominator = _number(_("Out of"))
    unit_label = forms.CharField(label=_("Counted"), max_length=120, required=False)
    indicator_code = forms.ChoiceField(label=_("Indicator"), required=False)
    applies_at = forms.MultipleChoiceField(
        label=_("Applies at levels"),
        choices=LEVELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scaling = forms.ChoiceField(label=_("Scaling to lower levels"), choices=TargetScaling.choices)
    allocations = forms.CharField(
        label=_("Allocations per unit"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per unit: unit code = goal."),
    )
    responsible = AgencyChoices(
        label=_("Responsible agencies"), queryset=Agency.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Serves the target"), queryset=Target.objects.none(), required=False
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the indicators app builds on plans: its catalog is read by name, not imported
        indicator = apps.get_model("indicators", "Indicator")
        choice(self, "indicator_code").choices = [
            ("", "—"),
            *indicator.objects.order_by("code").values_list("code", "name"),
        ]
        model_choice(self, "responsible").queryset = agencies_for(plan)
        higher = Target.objects.filter(withdrawn=False, plan__status__in=("issued", "closed"))
        if plan.parent_id:
            higher = higher.filter(plan_id=plan.parent_id)
        else:
            higher = higher.exclude(plan_id=plan.pk).filter(
                plan__plan_type__in=("national", "programme")
            )
        model_choice(self, "parent").queryset = higher.select_related("plan")

    def clean_allocations(self) -> dict[str, int | float]:
        out: dict[str, int | float] = {}
        for i, line in enumerate(lines(self.cleaned_data.get("allocations", "")), 1):
            code, sep, goal = line.partition("=")
            try:
                number = Decimal(goal.strip()) if sep else None
            except ArithmeticError:
                number = None
            if not code.strip() or number is None or not number.is_finite() or number < 0:
                raise ValidationError(_("Line %(n)s: write “unit code = goal”."), params={"n": i})
            if number > NUMBER_MAX:
                raise ValidationError(_("Line %(n)s: the goal is too large."), params={"n": i})
            out[code.strip()[:20]] = (
                int(number) if number == number.to_integral_value() else float(number)
            )
        if len(out) > 500:
            raise ValidationError(_("Too many entries."))
        return out

    def data_for(self) -> dict[str, Any]:
        """The target in the shape of :mod:`pcmd.plans.structure`."""
        d = self.cleaned_data

        def num(value: Decimal | None) -> float | int | None:
            if value is None:
                return None
            return int(value) if value == value.to_integral_value() else float(value)

        return {
            "code": d["code"].strip(),
            "text": d["text"],
            "short": d.get("short", ""),
            "kind": d["kind"],
            "value": num(d.get("value")),
            "value_min": num(d.get("value_min")),
            "value_max": num(d.get("value_max")),
            "denominator": num(d.get("denominator")),
            "unit_label": d.get("unit_label", ""),
            "indicator_code": d.get("indicator_code", ""),
            "applies_at": list(d.get("applies_at") or ALL_LEVELS),
            "scaling": d["scaling"],
            "allocations": d.get("allocations") or None,
            "responsible": [a.code for a in d.get("responsible") or []],
            "parent": d["parent"].pk if d.get("parent") else None,
        }


class AreaForm(VersionForm):
    number = forms.CharField(label=_("Number"), max_length=10)
    title = forms.CharField(label=_("Title"), max_length=300)
    items = forms.CharField(
        label=_("Items (one per line)"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(LINES),
    )
    subsections = forms.CharField(
        label=_("Subsections"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(LINES),
        help_text=_("A subsection starts with a line “a) title”; its items follow, one per line."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_subsections(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for line in lines(self.cleaned_data.get("subsections", "")):
            label, sep, title = line.partition(")")
            if sep and 0 < len(label.strip()) <= 3 and " " not in label.strip():
                out.append({"label": label.strip(), "title": title.strip(), "items": []})
            elif out:
                out[-1]["items"].append(line)
            else:
                raise ValidationError(_("Start with a line “a) title”."))
        return out

    def data_for(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "number": d["number"].strip(),
            "title": d["title"],
            "items": lines(d.get("items", "")),
            "subsections": d.get("subsections") or [],
        }


class HeadingForm(VersionForm):
    number = forms.CharField(label=_("Number"), max_length=10)
    heading = forms.CharField(label=_("Heading"), max_length=300)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead = AgencyChoice(label=_("Lead agency"), queryset=Agency.objects.none())
    supporting = AgencyChoices(
        label=_("Supporting agencies"), queryset=Agency.objects.none(), required=False
    )
    deadline = DateField(label=_("Due by"), required=False)
    deadline_note = forms.CharField(
        label=_("Time frame"),
        max_length=120,
        required=False,
        help_text=_("When the plan gives no date: “thường xuyên”, “quý II/2019”."),
    )
    items = forms.CharField(
        label=_("Tasks (one per line)"), max_length=100_000, widget=forms.Textarea(LINES)
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "lead").queryset = agencies_for(plan)
        model_choice(self, "supporting").queryset = agencies_for(plan)

    def clean_deadline(self) -> datetime.date | None:
        value = self.cleaned_data.get("deadline")
        if value is not None and not (2000 <= value.year <= 2100):
            raise ValidationError(_("Enter a date between 2000 and 2100."))
        return value

    def data_for(self) -> dict[str, Any]:
        d = self.cleaned_data
        lead = d["lead"]
        supporting = [a.code for a in d.get("supporting") or [] if a.pk != lead.pk]
        return {
            "number": d["number"].strip(),
            "heading": d["heading"],
            "intro": d.get("intro", ""),
            "lead": lead.code,
            "agencies": [lead.code, *supporting],
            "deadline": d["deadline"].isoformat() if d.get("deadline") else None,
            "deadline_note": d.get("deadline_note", ""),
            "items": lines(d["items"]),
        }
