"""Work a fresh worker process would otherwise do on its first requests, done before it
accepts any (gunicorn's ``post_worker_init`` hook, deploy/gunicorn.conf.py).

Django imports the URLconf (and through it every view module), compiles templates and reads
the translation catalogs lazily, on the first request that needs them: in a new worker the
first page took 1.2–1.5 s instead of ~0.1 s, and under load those first pages were the slowest
of all (issue 15 §3). Nothing here reads the database.
"""

from __future__ import annotations

import logging
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver, reverse
from django.utils import translation

log = logging.getLogger(__name__)

#: Modules the pages import when first used (documents, spreadsheets, the map).
LAZY_MODULES = ("openpyxl", "docx", "pcmd.home.assemble", "pcmd.dashboard.views")


def _templates() -> list[tuple[str, Path]]:
    """(engine name, template dir) of the project's templates (under ``pcmd/``, wherever the
    virtualenv lives), each directory once."""
    project = (Path(settings.BASE_DIR) / "pcmd").resolve()
    found: dict[Path, str] = {}
    for engine in engines.all():
        for directory in map(Path, getattr(engine, "template_dirs", ())):
            directory = directory.resolve()
            if directory.is_relative_to(project):
                found.setdefault(directory, engine.name)
    return [(name, directory) for directory, name in found.items()]


def _widget_templates() -> list[str]:
    """Django's form widget templates, as the form renderer names them."""
    root = Path(django.forms.__file__).parent / "templates"
    return sorted(p.relative_to(root).as_posix() for p in (root / "django").rglob("*.html"))


def warm() -> int:
    """Import the URLconf and the views, fill the URL resolver and the menu's view rules in
    every language, compile the project's templates and the form widgets'. Returns the number
    of templates compiled."""
    from pcmd.accounts.templatetags.pcmd_perms import _view_rule
    from pcmd.web.context import _NAV

    for module in LAZY_MODULES:
        __import__(module)
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every URL module and view
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name, _label, _group in _NAV:
                _view_rule(reverse(name))
    compiled = 0
    for engine_name, directory in _templates():
        engine = engines[engine_name]
        for path in sorted(directory.rglob("*")):
            if path.suffix not in {".html", ".txt", ".xml"}:
                continue
            try:
                engine.get_template(path.relative_to(directory).as_posix())
                compiled += 1
            except (TemplateDoesNotExist, TemplateSyntaxError) as exc:  # a page shows it
                log.warning("warm-up: template %s: %s", path, exc)
    renderer = get_default_renderer()  # the forms' own engine (FORM_RENDERER)
    for name in _widget_templates():
        renderer.get_template(name)
        compiled += 1
    return compiled
