"""Django forms of the reporting pages: a report's figures (built from its form version),
the form designer, the upload of a filled-in workbook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from pcmd.core.xlsx_guard import WorkbookField
from pcmd.web.fields import choice
from pcmd.web.forms import DateField

from .models import FieldKind, FormField, FormVersion, Submission

BLANK_TABLE_ROWS = 3


def cell_name(code: str, index: int, key: str) -> str:
    return f"{code}__{index}__{key}"


class SubmissionForm(forms.Form):
    """The typed figures of one report; automatic figures are shown, not edited."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        sub: Submission,
        *args: Any,
        rule_codes: Sequence[tuple[str, StrOrPromise]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sub = sub
        self.form_version: FormVersion = sub.form_version
        self.table_rows: dict[str, int] = {}
        values = sub.values or {}
        for f in self.form_version.field_list:
            if f.kind in (FieldKind.INTEGER, FieldKind.MONEY):
                self.fields[f.code] = forms.CharField(
                    label=f.label,
                    required=False,
                    initial=values.get(f.code),
                    help_text=f.unit_label,
                    widget=forms.TextInput(
                        attrs={"inputmode": "numeric", "autocomplete": "off", "class": "num"}
                    ),
                )
            elif f.kind == FieldKind.TEXT:
                self.fields[f.code] = forms.CharField(
                    label=f.label,
                    required=False,
                    initial=values.get(f.code, ""),
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            elif f.kind == FieldKind.TABLE:
                rows = list(values.get(f.code) or [])
                count = len(rows) + BLANK_TABLE_ROWS
                if self.is_bound:
                    count = max(count, self._bound_rows(f))
                self.table_rows[f.code] = count
                for i in range(count):
                    row = rows[i] if i < len(rows) else {}
                    for col in f.columns:
                        self.fields[cell_name(f.code, i, col["key"])] = forms.CharField(
                            label=col["label"],
                            required=False,
                            initial=row.get(col["key"]),
                            widget=forms.TextInput(attrs={"aria-label": col["label"]}),
                        )
        for code, message in rule_codes:
            self.fields[f"explanation_{code}"] = forms.CharField(
                label=_("Explanation"),
                required=False,
                help_text=message,
                initial=(sub.explanations or {}).get(code, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["doc_number"] = forms.CharField(
            label=_("Document number"),
            required=False,
            initial=sub.doc_number,
            help_text=_("e.g. 15 (the suffix %(suffix)s is added)")
            % {"suffix": self.form_version.doc_suffix},
        )
        self.fields["signer_name"] = forms.CharField(
            label=_("Signed by"), required=False, initial=sub.signer_name
        )
        self.fields["signer_authority"] = forms.CharField(
            label=_("Signing authority"), required=False, initial=sub.signer_authority
        )
        self.fields["signer_title"] = forms.CharField(
            label=_("Signer's title"), required=False, initial=sub.signer_title
        )
        if self.form_version.is_synthesis:
            self.fields["draft_text"] = forms.CharField(
                label=_("Report text"),
                required=False,
                initial=sub.draft_text,
                widget=forms.Textarea(attrs={"rows": 24}),
            )

    def _bound_rows(self, f: FormField) -> int:
        prefix = f"{f.code}__"
        indexes = [
            int(k.split("__")[1])
            for k in self.data
            if k.startswith(prefix) and k.split("__")[1].isdecimal()
        ]
        return min(max(indexes, default=-1) + 1, 500)

    def values(self) -> dict[str, Any]:
        """The typed figures, raw (the action checks them and names the faulty field)."""
        out: dict[str, Any] = {}
        for f in self.form_version.field_list:
            if f.kind in (FieldKind.INTEGER, FieldKind.MONEY, FieldKind.TEXT):
                out[f.code] = self.cleaned_data.get(f.code)
            elif f.kind == FieldKind.TABLE:
                rows = []
                for i in range(self.table_rows.get(f.code, 0)):
                    rows.append(
                        {
                            c["key"]: self.cleaned_data.get(cell_name(f.code, i, c["key"]))
                            for c in f.columns
                        }
                    )
                out[f.code] = rows
        return out

    def explanations(self) -> dict[str, str]:
        return {
            name.removeprefix("explanation_"): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith("explanation_")
        }

    def table_grid(self, f: FormField) -> list[list[Any]]:
        return [
            [self[cell_name(f.code, i, c["key"])] for c in f.columns]
            for i in range(self.table_rows.get(f.code, 0))
        ]


class StartForm(forms.Form):
    form = forms.ChoiceField(label=_("Report form"))
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("2018 (year), 2018-H1 (six months), 2018-Q2, 2018-03"),
    )
    reporter = forms.ChoiceField(label=_("Reporting unit or agency"))

    def __init__(
        self,
        *args: Any,
        forms_choices: list[tuple[str, str]],
        reporter_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "form").choices = forms_choices
        choice(self, "reporter").choices = reporter_choices


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UploadForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    file = WorkbookField(label=_("Filled-in workbook (.xlsx)"))


class FormDesignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    valid_from = DateField(label=_("Owed from"), required=False)
    valid_to = DateField(label=_("Owed until"), required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False)
    change_note = forms.CharField(label=_("What changed"), max_length=300)
    definition = forms.CharField(
        label=_("Definition (YAML)"),
        widget=forms.Textarea(attrs={"rows": 40, "spellcheck": "false"}),
        help_text=_(
            "Sections, fields (auto with an indicator code, integer, money, text, "
            "table with columns), rules (compare, range, median, legal_fine). Saving creates a new "
            "version; reports already made keep theirs."
        ),
    )
