"""The audit log speaks of person records in words: the fields changed by their labels, the
module and the record a person was linked to, and the system by name (issue 10/11 review)."""

from __future__ import annotations

from django.utils import translation

from pcmd.core.audit_text import actor_label, changes_in_words


def test_person_changes_in_vietnamese() -> None:
    with translation.override("vi"):
        words = changes_in_words(
            "people.person",
            {
                "fields": ["full_name", "id_number"],
                "module": "enforcement",
                "source": "sanction:111",
                "unit": None,
            },
        )
        text = " ".join(" ".join(row) for row in words)
        assert "họ và tên" in text.lower() and "CCCD" in text
        assert "xử phạt vi phạm hành chính" in text
        assert "sanction:" not in text and "enforcement" not in text and "Fields" not in text
        assert actor_label("system") != "system"
