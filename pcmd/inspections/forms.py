"""Forms of the inspections pages. They parse and check input; actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import units_in_scope
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel, path_ids
from pcmd.geo.subtree import under_q
from pcmd.registry.models import Establishment
from pcmd.registry.pickers import EstablishmentChoiceField
from pcmd.web.fields import model_choice
from pcmd.web.forms import DateField, drop_single_unit_filters, scope_units

from . import followups
from .files import ACCEPT
from .models import (
    Answer,
    AttachmentKind,
    FindingItem,
    InspectionResult,
    RiskWeights,
    Team,
    TeamMember,
    TipSource,
)


class EstablishmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Establishment) -> str:
        return f"{obj.name} — {obj.commune.name}"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TeamMember) -> str:
        agency = obj.agency.short_name or obj.agency.name
        return f"{obj.person_name} ({agency})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or scans in one input (checked one by one by the action)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [d for d in data if d]
        return [data] if data else []


def finding_field_name(item: FindingItem) -> str:
    return f"finding_{item.code}"


class InspectionForm(forms.Form):
    """The field form: works on a 390 px wide phone (one column, radio buttons)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = DateField(label=_("Date"))
    establishment = EstablishmentChoiceField(label=_("Establishment"), queryset=None)
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(label=_("Team"), queryset=None)
    members_present = MemberChoiceField(
        label=_("Members present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=InspectionResult.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    follow_up_note = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        items: list[FindingItem],
        violation_types: QuerySet[Any] | None = None,
        with_files: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        model_choice(self, "establishment").queryset = (
            Establishment.objects.visible_to(user)
            .select_related("commune")
            .order_by("commune__code", "name")
        )
        teams = (
            Team.objects.editable_by(user)
            .select_related("unit")
            .order_by("level", "unit__code", "name")
        )
        model_choice(self, "team").queryset = teams
        model_choice(self, "members_present").queryset = (
            TeamMember.objects.filter(team__in=teams)
            .select_related("agency", "team")
            .order_by("team__level", "team_id", "pk")
        )
        for item in items:
            name = finding_field_name(item)
            self.fields[name] = forms.ChoiceField(
                label=item.display_name,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=item.legal_basis,
            )
            self.fields[f"{name}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )
        self.violation_types = violation_types
        if violation_types is not None:
            follow_up = followups.violations()
            self.fields["add_violation"] = forms.BooleanField(
                label=_("Record a violation found in this inspection"), required=False
            )
            self.fields["violation_type"] = forms.ModelChoiceField(
                label=_("Violation type"), queryset=violation_types, required=False
            )
            self.fields["subject_kind"] = forms.ChoiceField(
                label=_("Subject"),
                choices=follow_up.subject_choices(),
                required=False,
                initial=follow_up.default_subject,
            )
            self.fields["people_count"] = forms.IntegerField(
                label=_("People involved"), min_value=1, initial=1, required=False
            )
            self.fields["violation_description"] = forms.CharField(
                label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        if with_files:
            self.fields["files"] = MultipleFileField(
                label=_("Photos or scanned minutes"),
                required=False,
                help_text=_("JPG, PNG or PDF, at most 10 MB each."),
            )
            self.fields["file_kind"] = forms.ChoiceField(
                label=_("Files are"),
                choices=AttachmentKind.choices,
                required=False,
                initial=AttachmentKind.PHOTO,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data["date"] > timezone.localdate():
            self.add_error("date", _("The date is in the future."))
        if self.violation_types is not None and data.get("add_violation"):
            if not data.get("violation_type"):
                self.add_error("violation_type", _("Choose the violation type."))
            if not data.get("subject_kind"):
                self.add_error("subject_kind", _("Choose individual or organisation."))
            if data.get("result") != InspectionResult.VIOLATION:
                self.add_error(
                    "result", _("A violation was recorded: the result must be “violation found”.")
                )
        return data

    def findings(self) -> dict[FindingItem, tuple[str, str]]:
        out = {}
        for item in self.items:
            name = finding_field_name(item)
            answer = self.cleaned_data.get(name)
            note = self.cleaned_data.get(f"{name}_note") or ""
            if answer:
                out[item] = (answer, note)
            elif note:
                self.add_error(name, _("Answer this point or remove the note."))
        return out

    def finding_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[finding_field_name(i)], self[f"{finding_field_name(i)}_note"]) for i in self.items
        ]


class InspectionFilterForm(forms.Form):
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False
    )
    district: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("District"), queryset=None, required=False
    )
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Commune"), queryset=None, required=False
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", "—"), *InspectionResult.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "team").queryset = Team.objects.visible_to(user).order_by(
            "level", "unit__code", "name"
        )
        model_choice(self, "district").queryset = scope_units(user, UnitLevel.DISTRICT)
        model_choice(self, "commune").queryset = scope_units(user, UnitLevel.COMMUNE)
        drop_single_unit_filters(self)


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class AttachmentForm(forms.Form):
    # A declared field, which the form metaclass takes off the class: not ``BaseForm.files``.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Photos or scanned minutes"), help_text=_("JPG, PNG or PDF, at most 10 MB each.")
    )
    file_kind = forms.ChoiceField(
        label=_("Files are"), choices=AttachmentKind.choices, initial=AttachmentKind.PHOTO
    )


# --- teams and plans --------------------------------------------------------------------


class TeamForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Administrative unit"), queryset=None
    )
    lead_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Lead agency"), queryset=None
    )
    active_from = DateField(label=_("Active from"), required=False)
    active_to = DateField(label=_("Active until"), required=False)
    decision = forms.CharField(label=_("Establishing decision"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = units_in_scope(user, levels=(1, 2, 3))
        model_choice(self, "unit").queryset = units.order_by("level", "code", "valid_from")
        model_choice(self, "lead_agency").queryset = (
            Agency.objects.visible_to(user)
            .filter(unit__in=units)
            .order_by("level", "order", "code")
        )


class MemberForm(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    role_in_team = forms.CharField(label=_("Role in the team"), max_length=100, required=False)
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"), queryset=None
    )
    active_from = DateField(label=_("Active from"), required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Agencies of the team's unit and of the units above it (a district team has
        # members from district offices; the provincial team from provincial departments).
        model_choice(self, "agency").queryset = (
            Agency.objects.filter(
                Q(unit__in=path_ids(team.unit.path)) | under_q("unit", [team.unit.path])
            )
            .exclude(kind="group")
            .order_by("level", "order", "code")
        )


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    period_start = DateField(label=_("Period start"))
    period_end = DateField(label=_("Period end"))
    target_count = forms.IntegerField(label=_("Target (establishments)"), min_value=0)
    target_max = forms.IntegerField(label=_("Target upper bound"), min_value=0, required=False)
    establishments = EstablishmentsField(
        label=_("Establishments to visit"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "establishments").queryset = (
            Establishment.objects.visible_to(user)
            .filter(under_q("commune", [team.unit.path]))
            .select_related("commune")
            .order_by("commune__code", "name")
        )


class TipForm(forms.Form):
    establishment = EstablishmentChoiceField(label=_("Establishment"), queryset=None)
    received_on = DateField(label=_("Received on"))
    source_kind = forms.ChoiceField(label=_("Source"), choices=TipSource.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("What was reported; never the informant's identity."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "establishment").queryset = (
            Establishment.objects.visible_to(user)
            .select_related("commune")
            .order_by("commune__code", "name")
        )


class RiskFilterForm(forms.Form):
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False
    )
    on = DateField(label=_("As of"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "team").queryset = (
            Team.objects.visible_to(user)
            .select_related("unit")
            .order_by("level", "unit__code", "name")
        )


class FindingItemForm(forms.ModelForm):
    class Meta:
        model = FindingItem
        fields = ["code", "name", "name_en", "legal_basis", "order", "is_active"]


class RiskWeightsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RiskWeights
        fields = [
            "name",
            "is_active",
            "kind_multiplier",
            "violation_points",
            "violation_window_months",
            "violation_cap",
            "points_per_month_uninspected",
            "months_cap",
            "never_inspected_points",
            "hotspot_points",
            "hotspot_distance_km",
            "tip_points",
            "tip_window_months",
            "tip_cap",
            "source",
        ]
