"""Forms of the document proposal: the upload (a .docx or pasted text) and the review, in which
every proposed item is kept as read, fixed (its fields are editable) or dropped."""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.geo.models import Unit
from pcmd.web.forms import DateField

from .models import PlanType, TargetKind
from .proposal_read import MAX_TEXT, MAX_UPLOAD

# The lists of a proposal, each item one row of the review.
LISTS = ("legal_bases", "objectives", "targets", "solution_areas", "funding", "tasks", "recipients")
SINGLE = ("preamble", "closing")
KEEP, DROP = "keep", "drop"
_DECISIONS = [(KEEP, _("keep (with your fixes)")), (DROP, _("drop"))]
_TARGET_NUMBERS = ("value", "value_min", "value_max", "denominator")


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return None


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _area(attrs: dict[str, Any] | None = None) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 3, **(attrs or {})})


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan document (.docx)"),
        required=False,
        help_text=_("A Word document (.docx) of at most 5 MB."),
    )
    text = forms.CharField(
        label=_("…or paste the plan's text"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("the one the document names"),
    )

    def __init__(self, *args: Any, provinces: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["province"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in provinces])

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and (upload.size or 0) > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError(_("Upload a .docx file or paste the plan's text."))
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste text, not both."))
        return data


class ReviewForm(forms.Form):
    """One decision and the editable fields of every proposed item, named ``<list>-<i>-<field>``
    (``targets-2-value_max``), and the header of the draft."""

    title = forms.CharField(label=_("Title"), max_length=300)
    period_start = DateField(label=_("Period from"))
    period_end = DateField(label=_("Period to"))
    plan_type = forms.ChoiceField(
        label=_("Type of plan"),
        choices=[
            (PlanType.YEARLY, PlanType.YEARLY.label),
            (PlanType.PROGRAMME, PlanType.PROGRAMME.label),
        ],
    )
    place = forms.CharField(label=_("Place"), max_length=80, required=False)
    signer_authority = forms.CharField(
        label=_("Signs for (e.g. KT. CHỦ TỊCH)"), max_length=80, required=False
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=80, required=False)

    def __init__(
        self,
        *args: Any,
        proposal: dict[str, Any],
        agencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        header = proposal.get("header") or {}
        initial = {k: v["value"] for k, v in header.items() if k in self.base_fields}
        for key in ("period_start", "period_end"):
            initial[key] = _day(initial.get(key))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.agency_choices = agencies
        for key in SINGLE:
            if proposal.get(key):
                self._decision(key, proposal[key])
                self.fields[f"{key}-text"] = forms.CharField(
                    label=_("Text"), required=False, initial=proposal[key]["value"], widget=_area()
                )
        for key in LISTS:
            for i, item in enumerate(proposal.get(key) or []):
                name = f"{key}-{i}"
                self._decision(name, item)
                getattr(self, f"_fields_{key}")(name, item["value"])

    def _decision(self, name: str, item: dict[str, Any]) -> None:
        self.fields[f"{name}-decision"] = forms.ChoiceField(
            label=_("Decision"),
            choices=_DECISIONS,
            initial=DROP if item.get("dropped") else KEEP,
            widget=forms.RadioSelect,
        )

    def _text(
        self, name: str, label: Any, value: Any, *, required: bool = False, rows: int = 3
    ) -> None:
        self.fields[name] = forms.CharField(
            label=label, required=required, initial=value or "", widget=_area({"rows": rows})
        )

    def _fields_legal_bases(self, name: str, value: dict[str, Any]) -> None:
        self.fields[f"{name}-number"] = forms.CharField(
            label=_("Number"), initial=value.get("number"), max_length=80
        )
        self.fields[f"{name}-date"] = DateField(
            label=_("Date"), initial=_day(value.get("date")), required=False
        )
        self.fields[f"{name}-issuer"] = forms.CharField(
            label=_("Issued by"), initial=value.get("issuer"), required=False, max_length=300
        )
        self._text(f"{name}-title", _("About"), value.get("title"), rows=2)

    def _fields_objectives(self, name: str, value: str) -> None:
        self._text(f"{name}-text", _("Objective"), value)

    def _fields_funding(self, name: str, value: str) -> None:
        self._text(f"{name}-text", _("Funding line"), value, rows=2)

    def _fields_recipients(self, name: str, value: str) -> None:
        self.fields[f"{name}-text"] = forms.CharField(
            label=_("Recipient"), initial=value, max_length=300
        )

    def _fields_targets(self, name: str, value: dict[str, Any]) -> None:
        self.fields[f"{name}-code"] = forms.CharField(
            label=_("Code"), initial=value.get("code"), max_length=10
        )
        self._text(f"{name}-text", _("Target"), value.get("text"), rows=3)
        self.fields[f"{name}-kind"] = forms.ChoiceField(
            label=_("Kind"), choices=TargetKind.choices, initial=value.get("kind")
        )
        labels = {
            "value": _("Value"),
            "value_min": _("Minimum"),
            "value_max": _("Maximum"),
            "denominator": _("Out of"),
        }
        for key in _TARGET_NUMBERS:
            self.fields[f"{name}-{key}"] = forms.DecimalField(
                label=labels[key],
                required=False,
                initial=value.get(key),
                min_value=0,
                max_digits=12,
                decimal_places=2,
            )
        self.fields[f"{name}-unit_label"] = forms.CharField(
            label=_("Counted in"), required=False, initial=value.get("unit_label"), max_length=120
        )

    def _fields_solution_areas(self, name: str, value: dict[str, Any]) -> None:
        self.fields[f"{name}-title"] = forms.CharField(
            label=_("Solution area"), initial=value.get("title"), max_length=300
        )
        self._text(
            f"{name}-items", _("Items, one per line"), "\n".join(value.get("items") or []), rows=4
        )
        for j, sub in enumerate(value.get("subsections") or []):
            self.fields[f"{name}-sub{j}-title"] = forms.CharField(
                label=_("Subsection %(label)s)") % {"label": sub.get("label", "")},
                initial=sub.get("title"),
                max_length=300,
            )
            self._text(
                f"{name}-sub{j}-items",
                _("Items, one per line"),
                "\n".join(sub.get("items") or []),
                rows=4,
            )

    def _fields_tasks(self, name: str, value: dict[str, Any]) -> None:
        self.fields[f"{name}-heading"] = forms.CharField(
            label=_("Heading"), initial=value.get("heading"), max_length=300
        )
        self.fields[f"{name}-agencies"] = forms.MultipleChoiceField(
            label=_("Agencies"),
            choices=self.agency_choices,
            initial=value.get("agencies") or [],
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )
        self._text(f"{name}-intro", _("Introduction"), value.get("intro"), rows=2)
        self._text(
            f"{name}-items", _("Tasks, one per line"), "\n".join(value.get("items") or []), rows=5
        )

    # reading the review back
    def reviewed(self) -> dict[str, Any]:
        """The proposal with the reviewer's decisions and fixes (valid form only)."""
        data = self.cleaned_data
        out = copy.deepcopy(self.proposal)
        for key in SINGLE:
            if out.get(key):
                out[key]["dropped"] = data.get(f"{key}-decision") == DROP
                out[key]["value"] = data.get(f"{key}-text", "")
        for key in LISTS:
            for i, item in enumerate(out.get(key) or []):
                name = f"{key}-{i}"
                item["dropped"] = data.get(f"{name}-decision") == DROP
                item["value"] = self._value(key, name, item["value"])
        return out

    def _value(self, key: str, name: str, value: Any) -> Any:
        data = self.cleaned_data
        if key in ("objectives", "funding", "recipients"):
            return data.get(f"{name}-text", "")
        value = copy.deepcopy(value)
        if key == "legal_bases":
            day = data.get(f"{name}-date")
            value.update(
                number=data.get(f"{name}-number", ""),
                date=day.isoformat() if day else None,
                issuer=data.get(f"{name}-issuer", ""),
                title=data.get(f"{name}-title", ""),
            )
        elif key == "targets":
            for field in ("code", "text", "kind", "unit_label"):
                value[field] = data.get(f"{name}-{field}", "")
            for field in _TARGET_NUMBERS:
                number = data.get(f"{name}-{field}")
                value[field] = None if number is None else float(number)
        elif key == "solution_areas":
            value["title"] = data.get(f"{name}-title", "")
            value["items"] = _lines(data.get(f"{name}-items", ""))
            for j, sub in enumerate(value.get("subsections") or []):
                sub["title"] = data.get(f"{name}-sub{j}-title", "")
                sub["items"] = _lines(data.get(f"{name}-sub{j}-items", ""))
        elif key == "tasks":
            value["heading"] = data.get(f"{name}-heading", "")
            value["agencies"] = list(data.get(f"{name}-agencies") or [])
            value["intro"] = data.get(f"{name}-intro", "")
            value["items"] = _lines(data.get(f"{name}-items", ""))
        return value

    def header(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in self.base_fields}

    def add_content_errors(self, errors: dict[str, str]) -> None:
        """Content errors (``targets[1].value``, paths into the kept items) on the fields of
        the items they name; the rest as errors of the whole form."""
        for path, message in errors.items():
            field = self._field_for(path)
            if field is not None:
                self.add_error(field, message)
            else:
                self.add_error(None, f"{path}: {message}" if path else message)

    def _field_for(self, path: str) -> str | None:
        import re

        m = re.match(r"^(\w+)\[(\d+)\](?:\.(\w+))?", path)
        if not m or m.group(1) not in LISTS:
            return None
        key, kept_index, attr = m.group(1), int(m.group(2)), m.group(3) or ""
        kept = [
            i
            for i, item in enumerate(self.proposal.get(key) or [])
            if self.cleaned_data.get(f"{key}-{i}-decision") != DROP
        ]
        if kept_index >= len(kept):
            return None
        name = f"{key}-{kept[kept_index]}"
        for candidate in (
            f"{name}-{attr}",
            f"{name}-text",
            f"{name}-heading",
            f"{name}-title",
            f"{name}-decision",
        ):
            if candidate in self.fields:
                return candidate
        return None
