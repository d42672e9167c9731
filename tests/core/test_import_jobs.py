"""The job machinery of long imports: jobs left half-way by a gone process, the command."""

from __future__ import annotations

import socket
from typing import Any

from django.core.files.base import ContentFile
from django.core.management import call_command

from pcmd.core import files
from pcmd.core.models import ImportJob
from pcmd.registry.models import Establishment
from tests.registry.conftest import good_row, workbook


def job_for(user: Any, data: bytes, **values: Any) -> ImportJob:
    job = ImportJob.objects.create(
        kind="registry.establishments", created_by=user, filename="a.xlsx", **values
    )
    files.store(job.file, f"job-{job.pk}.xlsx", ContentFile(data))
    job.save()
    return job


def test_a_job_left_half_way_by_a_gone_process_is_stopped_and_saves_nothing(
    persona, capsys
) -> None:
    user = persona("huyen.bmt")
    gone = job_for(
        user,
        workbook([good_row(1)]),
        status="saving",
        worker=f"{socket.gethostname()}:999999999",
    )
    waiting = job_for(user, workbook([good_row(2), good_row(3)]))

    call_command("run_import_jobs")

    gone.refresh_from_db()
    waiting.refresh_from_db()
    assert gone.status == "failed" and gone.finished_at is not None
    assert "server restarted" in gone.error["en"] and "máy chủ" in gone.error["vi"]
    assert not gone.file
    assert waiting.status == "done" and waiting.summary == {"added": 2, "updated": 0}
    assert set(Establishment.objects.values_list("name", flat=True)) == {
        "Nhà nghỉ Số 2",
        "Nhà nghỉ Số 3",
    }
    assert "1 job(s) run, 1 interrupted" in capsys.readouterr().out
    page = ImportJob.objects.get(pk=gone.pk)
    assert page.status == "failed"


def test_a_stopped_job_page_says_nothing_was_saved(client_for, persona) -> None:
    job = job_for(
        persona("huyen.bmt"),
        workbook([good_row(1)]),
        status="checking",
        worker=f"{socket.gethostname()}:999999999",
    )
    call_command("run_import_jobs")
    html = client_for("huyen.bmt").get(f"/imports/{job.pk}/").content.decode()
    assert 'id="import-result"' in html and "máy chủ" in html and "/registry/import/" in html


def test_a_job_whose_uploader_lost_the_right_stops(persona) -> None:
    from pcmd.core import import_jobs

    job = job_for(persona("lanhdao"), workbook([good_row(1)]))
    finished = import_jobs.run(job.pk)
    assert finished is not None and finished.status == "failed"
    assert Establishment.objects.count() == 0
