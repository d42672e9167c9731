"""Forms of the case pages: the filters of the list, the case itself, the decisions on its
stages and the trial."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import units_in_scope
from pcmd.agencies.models import Agency, AgencyKind
from pcmd.enforcement.models import Violation
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.hotspots.models import Hotspot
from pcmd.inspections.models import Inspection
from pcmd.registry.models import Establishment
from pcmd.web.fields import model_choice
from pcmd.web.forms import DateField, drop_single_unit_filters, scope_units, year_choices

from . import rules
from .models import Decision, Offence, Ring, Stage

# The case's links to the other registers (field name = the Case M2M and the actions' key).
LINKS = ("offences", "establishments", "hotspots", "inspections", "violations")


class OffenceChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose offences from the list."),
        "invalid_pk_value": _("Choose offences from the list."),
    }

    def label_from_instance(self, obj: Offence) -> str:
        return str(obj)  # "Điều 327 khoản 1 — …"


class UnitLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        parent = f", {obj.parent.name}" if obj.parent is not None else ""
        since = f" ({obj.valid_from:%Y}–)" if obj.valid_from else ""
        return f"{obj.name}{parent}{since}"


def _agencies(user: Any, kinds: list[str]) -> Any:
    """Agencies of these kinds in the user's province (issue 14, isolation)."""
    return Agency.objects.visible_to(user).filter(kind__in=kinds).order_by("level", "order", "code")


class CaseFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    district: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("District"), queryset=None, required=False
    )
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Commune"), queryset=None, required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    offence: forms.ModelChoiceField[Offence] = forms.ModelChoiceField(
        label=_("Offence"), queryset=None, required=False
    )
    handled = forms.ChoiceField(
        label=_("Handled"),
        required=False,
        choices=[("", "—"), ("yes", _("handled")), ("no", _("not handled"))],
    )
    overdue = forms.BooleanField(label=_("Past the time limit"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [("", "—"), *year_choices()]
        model_choice(self, "district").queryset = scope_units(user, UnitLevel.DISTRICT)
        model_choice(self, "commune").queryset = scope_units(user, UnitLevel.COMMUNE)
        model_choice(self, "offence").queryset = Offence.objects.all()
        drop_single_unit_filters(self)


class CaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=_("What happened"),
        max_length=300,
        help_text=_("What happened and where, without names (e.g. brothel at a karaoke bar)."),
    )
    commune = UnitLabelField(label=_("Commune where it happened"), queryset=None)
    detected_on = DateField(label=_("Detected or reported on"))
    detected_by: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Detected by"), queryset=None
    )
    origin = forms.ChoiceField(label=_("How it came to light"), choices=())
    offences = OffenceChoiceField(
        label=_("Offences"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ring: forms.ModelChoiceField[Ring] = forms.ModelChoiceField(
        label=_("Ring"), queryset=None, required=False
    )
    establishments: forms.ModelMultipleChoiceField[Establishment] = forms.ModelMultipleChoiceField(
        label=_("Establishments"), queryset=None, required=False
    )
    hotspots: forms.ModelMultipleChoiceField[Hotspot] = forms.ModelMultipleChoiceField(
        label=_("Hotspots"), queryset=None, required=False
    )
    inspections: forms.ModelMultipleChoiceField[Inspection] = forms.ModelMultipleChoiceField(
        label=_("Inspections"), queryset=None, required=False
    )
    violations: forms.ModelMultipleChoiceField[Violation] = forms.ModelMultipleChoiceField(
        label=_("Administrative violations"), queryset=None, required=False
    )

    def __init__(self, *args: Any, user: Any, area: Unit | None = None, **kwargs: Any) -> None:
        """``area``: the district the linked records are offered from (the case's)."""
        super().__init__(*args, **kwargs)
        from .models import Case

        origin = self.fields["origin"]
        assert isinstance(origin, forms.ChoiceField)
        origin.choices = Case._meta.get_field("origin").choices or []
        model_choice(self, "commune").queryset = scope_units(user, UnitLevel.COMMUNE)
        model_choice(self, "detected_by").queryset = _agencies(
            user, [AgencyKind.POLICE, AgencyKind.INTERAGENCY_TEAM, AgencyKind.PROCURACY]
        )
        model_choice(self, "offences").queryset = Offence.objects.filter(is_active=True)
        model_choice(self, "ring").queryset = Ring.objects.visible_to(user)
        near = under_q("commune", [area.path]) if area is not None else Q()
        model_choice(self, "establishments").queryset = (
            Establishment.objects.visible_to(user).filter(near).order_by("name")
        )
        model_choice(self, "hotspots").queryset = (
            Hotspot.objects.visible_to(user).filter(near).order_by("name")
        )
        model_choice(self, "inspections").queryset = (
            Inspection.objects.visible_to(user)
            .filter(near)
            .select_related("establishment")
            .order_by("-date")
        )
        model_choice(self, "violations").queryset = (
            Violation.objects.visible_to(user)
            .filter(near)
            .select_related("violation_type")
            .order_by("-date")
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            k: data[k] for k in ("title", "commune", "detected_on", "detected_by", "origin", "ring")
        }

    def links(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in LINKS}


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(),
        error_messages={"invalid_choice": _("This decision cannot be taken at this stage.")},
    )
    on = DateField(label=_("Date of the decision"))
    document = forms.CharField(label=_("Document number"), max_length=60, required=False)
    reason = forms.CharField(
        label=_("Reasons"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a refusal, a return, a discontinuance or a suspension."),
    )

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = [(d, Decision(d).label) for d in rules.decisions_for(stage)]


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the extension"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "extend_%s")  # beside the decision form's reasons
        super().__init__(*args, **kwargs)


class ResumeForm(forms.Form):
    on = DateField(label=_("Resumed on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "resume_%s")
        super().__init__(*args, **kwargs)


class TrialForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    court: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(label=_("Court"), queryset=None)
    held_on = DateField(label=_("Held on"))
    venue = forms.CharField(label=_("Venue"), max_length=300)
    is_closed = forms.BooleanField(label=_("Closed hearing"), required=False)
    is_mobile = forms.BooleanField(label=_("Mobile trial (xét xử lưu động)"), required=False)
    location = UnitLabelField(label=_("Commune of the mobile trial"), queryset=None, required=False)
    audience = forms.IntegerField(label=_("Audience"), min_value=0, required=False)
    judgment_number = forms.CharField(label=_("Judgment number"), max_length=60, required=False)
    judgment_on = DateField(label=_("Judgment delivered on"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "court").queryset = _agencies(user, [AgencyKind.COURT])
        model_choice(self, "location").queryset = (
            Unit.objects.filter(level=UnitLevel.COMMUNE)
            .select_related("parent")
            .order_by("parent__code", "code")
        )

    @staticmethod
    def values_of(data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k != "version"}


class RingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("A working name, without persons' names."),
    )
    unit = UnitLabelField(
        label=_("Unit in charge"),
        queryset=None,
        help_text=_("The district or province whose police lead the fight against it."),
    )
    detected_on = DateField(label=_("Detected on"))
    establishments: forms.ModelMultipleChoiceField[Establishment] = forms.ModelMultipleChoiceField(
        label=_("Establishments"), queryset=None, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "unit").queryset = (
            units_in_scope(user, levels=(UnitLevel.PROVINCE, UnitLevel.DISTRICT))
            .select_related("parent")
            .order_by("level", "code")
        )
        model_choice(self, "establishments").queryset = (
            Establishment.objects.visible_to(user).select_related("commune").order_by("name")
        )

    def values(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("name", "unit", "detected_on", "notes")}
