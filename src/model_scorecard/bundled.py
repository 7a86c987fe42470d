"""Where the bundled catalogs, rubrics, examples and data files live.

In an installed wheel they are package data under ``model_scorecard/bundled``; in a
source checkout (or an editable install) they are the top-level folders of the
repository, which is where people read and edit them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_CATALOG = "catalogs/current.yaml"
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


def catalog_names() -> list[str]:
    return sorted(p.stem for p in (root() / "catalogs").glob("*.yaml"))


def catalog_by_name(name: str) -> Path | None:
    """``roadmap-2024`` → the bundled catalogs/roadmap-2024.yaml, if there is one."""
    candidate = root() / "catalogs" / f"{name}.yaml"
    return candidate if "/" not in name and "\\" not in name and candidate.is_file() else None


def rubric_names() -> list[str]:
    return sorted(p.stem for p in (root() / "rubrics").glob("*.yaml"))


def rubric_by_name(name: str) -> Path | None:
    """``production`` → the bundled rubrics/production.yaml, if there is one."""
    candidate = root() / "rubrics" / f"{name}.yaml"
    return candidate if "/" not in name and candidate.is_file() else None


def data_yaml(name: str) -> Any:
    """The contents of a YAML file under ``data/``, read with PyYAML's safe loader.

    For the start-up path of ``scorecard vram`` (``gpus.yaml``, ``reference/index.yaml``):
    PyYAML is loaded anyway, and these files ship with the package, so positions and the
    limits of :mod:`model_scorecard.schema.yamlio` are not needed. tests/calc check that each file
    read this way equals what yamlio reads, so the two YAML dialects cannot disagree on them.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data_file(name).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
