"""The GeoJSON boundary import bounds the upload before parsing it and refuses bad JSON or
a wrong shape with a clear 400 in both languages, never a 500 (issue 9, item 1)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from pcmd.indicators.models import Boundary

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[108.0, 12.6], [108.1, 12.6], [108.0, 12.6]]]}


def feature(code: str = "24118") -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": SQUARE}


def collection(features: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def post(client_for: Any, data: bytes) -> tuple[int, str]:
    response = client_for("admin").post(
        "/dashboard/boundaries/",
        {"file": SimpleUploadedFile("b.geojson", data), "on": "01/01/2018"},
    )
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    return response.status_code, html


@pytest.mark.parametrize(
    ("data", "english"),
    [
        (b"{not json", "The file is not valid JSON."),
        (b"[" * 100_000 + b"]" * 100_000, "The file is not valid JSON."),  # too deep
        (b"\xff\xfe\x00\x00garbage", "The file is not valid JSON."),
        (b"[]", "This is not a GeoJSON FeatureCollection."),
        (b'{"type": "FeatureCollection", "features": {"a": 1}}', "not a GeoJSON"),
        (b'{"type": "FeatureCollection", "features": []}', "not a GeoJSON"),
        (collection([1]), "Feature 1 is not a GeoJSON feature"),
        (collection([feature(), {"properties": [1]}]), "Feature 2 is not a GeoJSON feature"),
        (collection([{"geometry": "x"}]), "Feature 1 is not a GeoJSON feature"),
    ],
    ids=[
        "broken",
        "deep",
        "not-utf8",
        "list",
        "features-dict",
        "no-features",
        "number",
        "properties-list",
        "geometry-text",
    ],
)
def test_bad_json_is_refused(client_for: Any, data: bytes, english: str) -> None:
    status, html = post(client_for, data)
    assert status == 400 and english in html
    assert not Boundary.objects.exists()


def test_size_and_feature_count_are_bounded_before_parsing(client_for: Any) -> None:
    with override_settings(PCMD_GEOJSON_MAX_BYTES=1024 * 1024):
        status, html = post(client_for, b" " * (3 * 2**19) + collection([feature()]))
    assert status == 400 and "The file is 1.5 MB; the limit is 1 MB." in html
    with override_settings(PCMD_GEOJSON_MAX_FEATURES=3):
        status, html = post(client_for, collection([feature()] * 5))
    assert status == 400 and "The file has 5 features; the limit is 3." in html
    status, html = post(client_for, collection([feature()]))
    assert status == 302 and Boundary.objects.count() == 1


def test_the_date_defaults_to_today_and_a_code_of_another_time_says_to_choose_it(
    client_for: Any,
) -> None:
    from django.utils import timezone

    client = client_for("admin")
    today = timezone.localdate().strftime("%d/%m/%Y")
    form = client.get("/dashboard/boundaries/").content.decode()
    field = re.search(r'<input[^>]*name="on"[^>]*>', form)
    assert field is not None and f'value="{today}"' in field.group(0)
    good = {"type": "Polygon", "coordinates": [[[108.0, 12.6], [108.1, 12.6], [108.1, 12.7]]]}
    data = collection([{"type": "Feature", "properties": {"code": "24118"}, "geometry": good}])
    response = client.post("/dashboard/boundaries/", {"file": SimpleUploadedFile("b.json", data)})
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert response.status_code == 400 and not Boundary.objects.exists()
    hint = html.split('id="boundary-date-hint"')[1].split("</p>")[0]
    assert today in hint and "Đơn vị có hiệu lực tại ngày" in hint
    assert f"no unit with code '24118' was valid on {today}" in html  # English beside
    assert f"Đối tượng 1: không có đơn vị mã '24118' có hiệu lực ngày {today}." in html
    response = client.post(
        "/dashboard/boundaries/",
        {"file": SimpleUploadedFile("b.json", data), "on": "31/12/2018"},
    )
    assert response.status_code == 302 and Boundary.objects.count() == 1
