"""Long establishment imports run as background jobs (issue 10 item 11): all rows or none,
a progress endpoint that counts up, a result page, only for the uploader and administrators.

The runner is called in-process and synchronously (``import_jobs.run``): in a test the
request's transaction never commits, so no thread starts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from pcmd.core import import_jobs
from pcmd.core.models import AuditEvent, ImportJob
from pcmd.registry.models import Establishment

from .conftest import good_row, workbook

ROWS = 2_500
BAD_ROW = 1_700  # the 1,700th data row: spreadsheet row 1,701


@pytest.fixture(autouse=True)
def _no_threads(settings: Any) -> None:
    settings.PCMD_IMPORT_THREADS = False
    settings.PCMD_IMPORT_BACKGROUND_ROWS = 2_000


def long_file(bad: int | None = None) -> bytes:
    rows = []
    for n in range(1, ROWS + 1):
        extra = {"Số nhân viên nữ": 9} if n == bad else {}
        rows.append(good_row(n, **extra))
    return workbook(rows)


def upload(client: Any, data: bytes, name: str = "co-so-dai.xlsx") -> Any:
    return client.post("/registry/import/", {"file": SimpleUploadedFile(name, data)})


def test_a_long_file_becomes_a_job_and_every_row_is_saved(client_for) -> None:
    client = client_for("huyen.bmt")
    response = upload(client, long_file())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert job.status == "queued" and job.filename == "co-so-dai.xlsx" and job.file
    assert Establishment.objects.count() == 0  # nothing checked or saved in the request
    waiting = client.get(f"/imports/{job.pk}/").content.decode()
    assert "<progress" in waiting and 'data-status-url="/imports/' in waiting
    assert AuditEvent.objects.filter(verb="import.job.start").count() == 1

    finished = import_jobs.run(job.pk)

    assert finished is not None and finished.status == "done" and finished.saved
    assert finished.rows_total == ROWS and finished.rows_done == ROWS
    assert finished.summary == {"added": ROWS, "updated": 0}
    assert Establishment.objects.count() == ROWS
    assert not finished.file  # the upload is not kept once the job has finished
    page = client.get(f"/imports/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="import-result"' in html
    assert "2.500" in html and 'href="/registry/"' in html
    assert "import_job.js" not in html  # a finished job is not polled
    event = AuditEvent.objects.get(verb="establishment.import")
    assert event.changes["created"] == [None, ROWS] and event.reason == "co-so-dai.xlsx"
    assert import_jobs.run(job.pk) is None  # a finished job never runs twice


def test_one_bad_row_in_a_long_file_saves_nothing_and_is_named(client_for) -> None:
    client = client_for("huyen.bmt")
    upload(client, long_file(bad=BAD_ROW))
    job = ImportJob.objects.get()

    finished = import_jobs.run(job.pk)

    assert finished is not None and finished.status == "done" and not finished.saved
    assert Establishment.objects.count() == 0
    assert [(p["row"], p["column"]) for p in finished.problems] == [
        (BAD_ROW + 1, "Số nhân viên nữ")
    ]
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'id="import-problems"' in html
    assert f'<td class="num">{BAD_ROW + 1}</td><td>Số nhân viên nữ</td>' in html
    assert "cannot be more than all staff" in html  # the English beside the Vietnamese
    download = client.get(f"/imports/{job.pk}/problems.xlsx")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert [c.value for c in sheet[2]][:2] == [BAD_ROW + 1, "Số nhân viên nữ"]


def test_the_status_endpoint_counts_up_while_the_rows_are_checked(client_for, monkeypatch) -> None:
    client = client_for("huyen.bmt")
    upload(client, long_file())
    job = ImportJob.objects.get()
    url = f"/imports/{job.pk}/status.json"
    seen: list[dict[str, Any]] = [client.get(url).json()]
    write = import_jobs._update

    def write_and_poll(pk: int, **values: Any) -> None:
        write(pk, **values)
        seen.append(client.get(url).json())

    monkeypatch.setattr(import_jobs, "_update", write_and_poll)
    import_jobs.run(job.pk)

    assert seen[0]["status"] == "queued" and seen[0]["rows_done"] == 0
    checking = [s["rows_done"] for s in seen if s["status"] == "checking"]
    assert len(set(checking)) >= 5, checking  # several steps, not one jump
    assert checking == sorted(checking) and checking[-1] <= ROWS
    percents = [s["percent"] for s in seen]
    assert percents == sorted(percents)
    assert any(s["status"] == "saving" for s in seen)
    assert seen[-1]["finished"] and seen[-1]["percent"] == 100
    assert client.get(url).json()["rows_done"] == ROWS


def test_only_the_uploader_and_administrators_see_a_job(client_for) -> None:
    upload(client_for("huyen.bmt"), long_file(bad=3))
    job = ImportJob.objects.get()
    import_jobs.run(job.pk)
    for path in ("", "status.json", "problems.xlsx"):
        url = f"/imports/{job.pk}/{path}"
        for other in ("xa.tanlap", "ctxh.bmt", "doi178", "lanhdao"):
            assert client_for(other).get(url).status_code == 404, (other, url)
        assert client_for("admin").get(url).status_code == 200, url
        assert client_for("huyen.bmt").get(url).status_code == 200, url


def test_a_short_file_is_still_checked_in_the_request(client_for, settings) -> None:
    client = client_for("huyen.bmt")
    response = upload(client, workbook([good_row(1), good_row(2)]))
    assert response.status_code == 302 and response["Location"] == "/registry/"
    assert Establishment.objects.count() == 2 and not ImportJob.objects.exists()
    settings.PCMD_IMPORT_BACKGROUND_ROWS = 2  # the threshold is a setting
    upload(client, workbook([good_row(3), good_row(4)]))
    assert ImportJob.objects.count() == 1


def test_a_refused_file_is_refused_in_the_request_whatever_its_size(client_for) -> None:
    response = upload(client_for("huyen.bmt"), b"PK\x03\x04" + b"\0" * 5000)
    assert response.status_code == 400 and not ImportJob.objects.exists()
    assert "damaged" in response.content.decode()
