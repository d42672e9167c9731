"""Demo base: plan 1842/KH-UBND of 12 March 2018 (``pcmd.core.demo``), and the national
programmes it sits between: 361/QĐ-TTg (2016–2020), which the 2018 plan implements (its
preamble says so), and 1629/QĐ-TTg (2021–2025) for the plans after it."""

from __future__ import annotations

from typing import Any

from .actions import DATA_DIR, import_plan, link_to_programme

SEED = "kh-1842-2018.yaml"
NATIONAL = ["qd-361-2016.yaml", "qd-1629-2021.yaml"]
# The seed's targets whose wording matches a target of 361/QĐ-TTg: T1 (communication in 100 %
# of communes) serves the programme's communication and legal-education goal. The other
# targets of the seed have no counterpart among the targets of 361 that could be sourced
# (see data/qd-361-2016.yaml).
SEED_SERVES = {"T1": "N1"}


def load_base(base: Any) -> None:
    plan = import_plan(DATA_DIR / SEED, actor=None)
    programmes = [import_plan(DATA_DIR / name, actor=None) for name in NATIONAL]
    link_to_programme(plan, programmes[0], actor=None, targets=SEED_SERVES)
