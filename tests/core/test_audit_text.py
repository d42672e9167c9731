"""The audit log in words: every verb used in the code has a phrase; values read as words."""

from __future__ import annotations

import ast
import datetime
import pathlib
import re
from typing import Any

import pytest
from django.utils import translation

from pcmd.core import audit
from pcmd.core.audit_text import (
    REPORT_EVENTS,
    VERBS,
    changes_in_words,
    record_type_label,
    value_label,
    verb_label,
)
from pcmd.core.models import AuditEvent

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "pcmd"
# Verbs built with an f-string, and the values they take.
EXPANSIONS = {
    "f'reporting.submission_{verb}'": [
        "reporting.submission_saved",
        "reporting.submission_filled",
        "reporting.submission_imported",
        "reporting.submission_redrafted",
    ],
    "f'assessment.{to}'": [
        "assessment.draft",
        "assessment.submitted",
        "assessment.confirmed",
        "assessment.returned",
    ],
}
DOTTED = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def _strings(node: ast.expr) -> list[str]:
    """String values an expression can take (constants, conditionals, f-strings)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.JoinedStr):
        text = ast.unparse(node)
        assert text in EXPANSIONS, f"add the values of {text} to EXPANSIONS"
        return EXPANSIONS[text]
    return []


def verbs_in_source() -> dict[str, str]:
    """Every value given to a ``verb`` argument, default or variable in pcmd/, and where."""
    found: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exprs: list[ast.expr] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "verb":
                exprs.append(node.value)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "verb" for t in node.targets
            ):
                exprs.append(node.value)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                positional = args.posonlyargs + args.args
                with_defaults = positional[len(positional) - len(args.defaults) :]
                pairs: list[tuple[Any, Any]] = list(
                    zip(with_defaults, args.defaults, strict=True)
                ) + list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
                exprs += [d for a, d in pairs if a.arg == "verb" and d is not None]
        for expr in exprs:
            for value in _strings(expr):
                found.setdefault(value, str(path.relative_to(SOURCE.parent)))
    return found


def test_the_scan_finds_the_verbs() -> None:
    found = verbs_in_source()
    assert {"inspection.create", "hotspot.reappeared", "reporting.submission_filled"} <= set(found)
    assert {"created", "returned", "resubmitted"} <= set(found)


def test_every_audit_verb_used_in_the_code_has_a_phrase() -> None:
    dotted = {v: where for v, where in verbs_in_source().items() if DOTTED.match(v)}
    missing = sorted(f"{v} ({where})" for v, where in dotted.items() if v not in VERBS)
    assert missing == []
    with translation.override("en"):
        english = {v: str(VERBS[v]) for v in dotted}
    with translation.override("vi"):
        untranslated = sorted(v for v in dotted if str(VERBS[v]) == english[v])
    assert untranslated == []


def test_every_report_event_used_in_the_code_has_a_phrase() -> None:
    reporting = {
        v
        for v, where in verbs_in_source().items()
        if where.startswith("pcmd/reporting") and re.fullmatch(r"[a-z]+", v)
    }
    assert reporting and reporting <= set(REPORT_EVENTS)


def test_unknown_verbs_still_read_as_words() -> None:
    with translation.override("vi"):
        assert verb_label("inspection.update") == "sửa lượt kiểm tra"
        assert verb_label("widget.update") == "sửa: widget"
        assert verb_label("some_new.thing") == "some new thing"


@pytest.mark.django_db
def test_values_in_words_for_officials() -> None:
    from pcmd.agencies.models import Agency
    from pcmd.geo.models import Unit

    police = Agency.objects.get(code="CONG_AN_TINH")
    with translation.override("vi"):
        assert record_type_label("geo.unit") == "đơn vị hành chính"
        assert value_label("geo.unit", "level", 3) == "cấp xã"
        assert value_label("x.y", "active", True) == "có"
        assert value_label("x.y", "on", "2018-06-14") == "14/06/2018"
        assert value_label("x.y", "planned", 27_000_000) == "27.000.000"
        assert value_label("x.y", "year", 2018) == "2018"
        assert value_label("x.y", "period", "2018-H1") == "6 tháng đầu năm 2018"
        assert value_label("accounts.user", "agency", police.code) == str(police)
        tan_lap = Unit.objects.filter(code="24118").first()
        assert value_label("accounts.user", "unit", "24118") == str(tan_lap)
        words = changes_in_words("budget.budgetline", {"agency": [None, police.pk]})
        assert words[0][1:] == ("—", str(police))


@pytest.mark.django_db
def test_the_audit_page_speaks_words_and_keeps_the_raw_data(client_for: Any) -> None:
    audit.record(
        actor=None,
        verb="hotspot.status",
        object_type="hotspots.hotspot",
        changes={
            "status": ["active", "cleared"],
            "on": [None, datetime.date(2025, 3, 4).isoformat()],
        },
    )
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    client = client_for("admin")
    with translation.override("vi"):
        page = client.get("/audit/", {"verb": "hotspot.status"}).content.decode()
    row = page[page.index(f'id="event-{event.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Cập nhật tình trạng tụ điểm" in row and "04/03/2025" in row
    assert "Đang hoạt động" in row or "đang hoạt động" in row
    assert "<details" in row and "&quot;hotspot.status&quot;" in row  # raw data one click away
    assert '<select name="verb"' in page and '<select name="object_type"' in page
    assert client.get("/audit/", {"verb": "no.such"}).status_code == 200
