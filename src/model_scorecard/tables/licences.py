"""Hugging Face Hub licence ids → what the licence allows (``data/licenses.yaml``).

The table is data, validated by the same machinery as users' files. It turns a licence
id from a model card (``llama3.1``, ``cc-by-nc-4.0`` …) into the catalog's
``license_terms`` facts, which the rubric reads for red flags and Operational Maturity.
A summary to triage candidates, not legal advice.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from model_scorecard.schema.base import Count, Date, Slug, Strict

__all__ = ["LICENSE_SOURCE", "LicenseInfo", "LicenseTable", "TERM_FIELDS", "license_gap", "license_info",
           "license_terms", "load_licenses"]

#: The ``source`` written on every term taken from the table.
LICENSE_SOURCE = "model-scorecard licenses.yaml"
#: ``license_terms`` fields the table can fill.
TERM_FIELDS: tuple[str, ...] = ("commercial_use", "hosting_for_third_parties", "onprem_redistribution",
                                "user_cap_mau", "arbitration_jurisdiction")
Category = Literal["permissive", "conditions", "restricted", "review"]


class LicenseInfo(Strict):
    """One licence id and what it allows; a term left out is unknown, never "allowed"."""

    id: Slug
    name: str = Field(min_length=1)
    category: Category = Field(description="permissive (no flag), conditions (amber), restricted (red), "
                                           "review (red until someone reads the licence)")
    commercial_use: bool | None = None
    hosting_for_third_parties: bool | None = None
    onprem_redistribution: bool | None = None
    user_cap_mau: Count | None = None
    arbitration_jurisdiction: str | None = None
    eu_restrictions: str | None = Field(default=None, description="what the licence withholds from EU users, if anything")
    link: str | None = None
    notes: str | None = None


class LicenseTable(Strict):
    schema_version: Literal[1]
    reviewed: Date
    source: str | None = None
    licenses: list[LicenseInfo]


def _table_from(path: Path) -> LicenseTable:
    from model_scorecard.errors import InvalidInput
    from model_scorecard.schema.located import Located, validate
    from model_scorecard.schema.yamlio import load_file

    located = Located.from_document(load_file(path))
    table = validate(located, LicenseTable)
    seen: set[str] = set()
    problems = []
    for i, lic in enumerate(table.licenses):
        if lic.id in seen:
            problems.append(located.problem(("licenses", i, "id"), f"duplicate licence id '{lic.id}'"))
        seen.add(lic.id)
    if problems:
        raise InvalidInput(f"{path}: {len(problems)} problem(s)", problems)
    return table


@lru_cache(maxsize=4)
def load_licenses(path: str | Path | None = None) -> LicenseTable:
    """The licence table: the bundled ``data/licenses.yaml`` unless ``path`` names another."""
    from model_scorecard import bundled

    return _table_from(Path(path) if path else bundled.data_file("licenses.yaml"))


@lru_cache(maxsize=4)
def _by_id(path: str | Path | None = None) -> dict[str, LicenseInfo]:
    return {lic.id: lic for lic in load_licenses(path).licenses}


def license_info(license_id: str | None, path: str | Path | None = None) -> LicenseInfo | None:
    """What the table says about ``license_id`` (case-insensitive), or None if it is not listed."""
    if not license_id:
        return None
    return _by_id(path).get(license_id.strip().lower())


def license_terms(license_id: str | None, path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """``license_terms`` facts for ``license_id``, each ``{value, source, as_of, note}``.

    Only terms the table knows are returned; an unknown licence id gives ``{}``.
    """
    info = license_info(license_id, path)
    if info is None:
        return {}
    reviewed: date = load_licenses(path).reviewed
    short = f"licence id '{info.id}'"
    full = f"{short} ({info.name})" + (f": {info.notes}" if info.notes else "")
    if info.eu_restrictions:
        full += f"; EU: {info.eu_restrictions}"
    out: dict[str, dict[str, Any]] = {}
    for name in TERM_FIELDS:
        value = getattr(info, name)
        if value is not None:
            # The whole summary once, on the first term; the others name the licence only.
            out[name] = {"value": value, "source": LICENSE_SOURCE, "as_of": reviewed.isoformat(),
                         "note": full if not out else short}
    return out


def license_gap(license_id: str | None, detail: str = "", path: str | Path | None = None) -> str | None:
    """Why the table gives ``license_id`` no terms, in words (``detail`` is added after the
    id), or None when it gives some. A licence without terms is unknown, never "allowed"."""
    if not license_id or not license_id.strip():
        return "no licence id (neither the catalog nor the model card names one): licence terms unknown"
    info = license_info(license_id, path)
    if info is None and license_id.strip().lower() == "proprietary":
        return ("a proprietary licence (terms of service): licence terms unknown until the catalog states them "
                "(license_terms)")
    if info is None:
        return (f"licence id '{license_id.strip()}'{detail} has no entry in the licence table "
                "(data/licenses.yaml): licence terms unknown")
    if license_terms(license_id, path):
        return None
    return (f"licence '{info.id}' ({info.name}){detail} is listed for review: licence terms unknown until "
            "someone reads the licence" + (f"; {info.notes}" if info.notes else ""))
