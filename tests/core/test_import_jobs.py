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


def _budget_file() -> bytes:
    from tests.budget.test_budget import workbook as budget_workbook

    row = [2018, "UBND_H643", "Chi khác", "Ngân sách huyện", "Họp", 1_000, 0, ""]
    return budget_workbook([row, [*row[:4], "Họp lần 2", *row[5:]]])


def _activity_file() -> bytes:
    from tests.outreach.builders import workbook as outreach_workbook
    from tests.outreach.test_imports import GOOD_ACTIVITY, A

    return outreach_workbook(A, [GOOD_ACTIVITY, GOOD_ACTIVITY])


# Every import that may run as a job: (job kind, uploader, upload page, file, saved records)
JOB_UPLOADS = [
    (
        "registry.establishments",
        "huyen.bmt",
        "/registry/import/",
        lambda: workbook([good_row(1), good_row(2)]),
        "registry.Establishment",
    ),
    ("budget.lines", "huyen.bmt", "/budget/import/", _budget_file, "budget.BudgetLine"),
    ("outreach.activities", "xa.tanlap", "/outreach/import/", _activity_file, "outreach.Activity"),
]


def test_every_job_kind_is_reached_from_its_upload_page(client_for, settings) -> None:
    """A long file on each upload page becomes a job of its kind that saves every row."""
    import importlib
    import pkgutil

    from django.apps import apps as django_apps
    from django.core.files.uploadedfile import SimpleUploadedFile

    import pcmd
    from pcmd.core import import_jobs

    declared = set()
    for module in pkgutil.iter_modules(pcmd.__path__):
        try:
            jobs = importlib.import_module(f"pcmd.{module.name}.jobs")
        except ModuleNotFoundError:
            continue
        declared |= set(jobs.JOB_KINDS)
    assert declared == {key for key, *_rest in JOB_UPLOADS}
    settings.PCMD_IMPORT_THREADS = False
    settings.PCMD_IMPORT_BACKGROUND_ROWS = 2
    for key, username, url, make, model in JOB_UPLOADS:
        client = client_for(username)
        response = client.post(url, {"file": SimpleUploadedFile("long.xlsx", make())})
        job = ImportJob.objects.get(kind=key)
        assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
        before = django_apps.get_model(model).objects.count()
        finished = import_jobs.run(job.pk)
        assert finished is not None and finished.saved, (key, finished and finished.problems)
        assert django_apps.get_model(model).objects.count() == before + 2, key
        html = client.get(f"/imports/{job.pk}/").content.decode()
        assert str(import_jobs.kind_for(key).done_url({})) in html
