"""The project's own YAML data files (units' history, agencies, plans, indicators, catalogs),
read with libyaml's safe loader when PyYAML was built with it: the same safe subset of YAML
as ``yaml.safe_load``, several times faster (the demo and every test that builds it read
these files). Text a user sends (report form definitions) keeps ``yaml.safe_load`` and its
messages."""

from __future__ import annotations

from typing import IO, Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(stream: IO[str]) -> Any:
    """The document in ``stream``, as ``yaml.safe_load`` reads it."""
    return yaml.load(stream, Loader=_LOADER)  # noqa: S506 - a safe loader (C or Python)
