"""Where the bundled catalogs, rubrics, examples and data files live.

In an installed wheel they are package data under ``model_scorecard/bundled``; in a
source checkout (or an editable install) they are the top-level folders of the
repository, which is where people read and edit them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DEFAULT_CATALOG = "catalogs/roadmap-2024.yaml"
DEFAULT_RUBRIC = "production"
_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def root() -> Path:
    """The folder holding ``catalogs/``, ``rubrics/`` and ``examples/``."""
    installed = _PACKAGE / "bundled"
    if (installed / "rubrics").is_dir():
        return installed
    checkout = _PACKAGE.parent.parent
    if (checkout / "rubrics").is_dir():
        return checkout
    raise FileNotFoundError("bundled catalogs and rubrics are missing: reinstall model-scorecard")  # pragma: no cover


def data_file(name: str) -> Path:
    """A file under the package's own ``data/`` folder (GPUs, workloads, licences …)."""
    return _PACKAGE / "data" / name


def default_catalog() -> Path:
    return root() / DEFAULT_CATALOG


def rubric_names() -> list[str]:
    return sorted(p.stem for p in (root() / "rubrics").glob("*.yaml"))


def rubric_by_name(name: str) -> Path | None:
    """``production`` → the bundled rubrics/production.yaml, if there is one."""
    candidate = root() / "rubrics" / f"{name}.yaml"
    return candidate if "/" not in name and candidate.is_file() else None
