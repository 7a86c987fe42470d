"""Deployments: what is actually scored.

A catalog entry offered both as open weights and as an API is two deployments -- the
vendor's API, and the weights self-hosted on the workload's GPU -- each scored on its own
latency, cost, data control and lifecycle facts. The self-hosted deployment is priced
from GPU-hours on the workload's GPU, never from ``pricing`` (a host's list price is
another deployment's). For an entry with both, ``license`` and ``license_terms`` are the
weights' (the API is used under terms of service the catalog does not record), and ``pricing``,
``serving`` (unless it says ``deployment: self-hosted``), the vendor's service facts in
``compliance`` (SOC 2, DPA, uptime SLA, data residency) and the ``operations`` status and
dates describe the API; the self-hosted deployment does not read them. So adding an API
to an entry never changes how its self-hosted deployment scores.

Licence terms come from the catalog first and the bundled licence table second, in every
run (offline too): a catalog's licence id gives its terms, and a catalog may override any.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from model_scorecard.schema.catalog import (
    Compliance,
    LicenseTerms,
    ModelEntry,
    Operations,
    Pricing,
    Serving,
)

API, SELF_HOSTED = "api", "self-hosted"
#: Compliance facts that describe a vendor's service, not the weights.
_SERVICE_COMPLIANCE = ("soc2_type2", "gdpr_dpa", "uptime_sla_pct", "eu_data_residency")
_SERVICE_OPERATIONS = ("status", "deprecation_date", "shutdown_date")


@dataclass(frozen=True)
class Deployment:
    """One way of running a model: ``entry`` is the view scored (one access mode, the
    other mode's facts removed, licence terms filled from the table)."""

    entry: ModelEntry
    name: str  # api | self-hosted
    split: bool  # the catalog entry offers both, so its id alone does not name this row

    @property
    def key(self) -> str:
        """The id that names this row: ``id`` or, for a split entry, ``id@api`` / ``id@self-hosted``."""
        return f"{self.entry.id}@{self.name}" if self.split else self.entry.id


@lru_cache(maxsize=256)
def _table_terms(license_id: str | None) -> dict[str, Any]:
    from model_scorecard.tables.licences import license_terms

    return license_terms(license_id)


def with_licence_terms(entry: ModelEntry) -> ModelEntry:
    """``entry`` with the bundled licence table's terms for its licence id wherever the
    catalog states none (the catalog wins). Terms from the table summarise the licence text:
    first-party, unless the licence id itself comes from a third party."""
    license_id = entry.license.value if entry.license else None
    table = _table_terms(license_id)
    if not table:
        return entry
    stated = entry.license_terms
    # The table reads the licence text (first-party), but only as surely as the licence id is known.
    fact = entry.license
    id_grade = fact.grade if fact is not None and fact.grade else entry.grade
    grade = "third-party" if id_grade == "third-party" else "first-party"
    missing = {k: {**v, "grade": grade} for k, v in table.items() if getattr(stated, k) is None}
    if not missing:
        return entry
    merged = stated.model_dump(exclude_none=True, by_alias=True)
    merged.update(missing)
    return entry.model_copy(update={"license_terms": LicenseTerms.model_validate(merged, strict=False)})


def _without(group: Any, names: tuple[str, ...], cls: type) -> Any:
    if all(getattr(group, n) is None for n in names):
        return group
    return group.model_copy(update={n: None for n in names}) if group is not None else cls()


def deployments(entry: ModelEntry) -> list[Deployment]:
    """The deployments of ``entry``: one per access mode, API first."""
    modes = entry.access
    api_terms = None
    if len(modes) > 1:
        # The licence and its terms are the weights'; the vendor's API is used under its terms of
        # service, which the catalog does not record: unknown there, not the weights' restrictions.
        api_terms = {"license": None, "license_terms": LicenseTerms()}
    entry = with_licence_terms(entry)
    measured_self = entry.serving.deployment == SELF_HOSTED
    if modes == ("open-weights",):
        # Self-hosting is priced from GPU-hours on the workload's GPU; a host's list price
        # (pricing.provider) is another deployment's price, kept in the catalog, not scored here.
        hosted = entry if entry.pricing == Pricing() else entry.model_copy(update={"pricing": Pricing()})
        return [Deployment(hosted, SELF_HOSTED, False)]
    if len(modes) == 1:
        return [Deployment(entry, API, False)]
    api = entry.model_copy(update={"access": ("api",), **(api_terms or {}),
                                   **({"serving": Serving()} if measured_self else {})})
    hosted = entry.model_copy(update={
        "access": ("open-weights",),
        "pricing": Pricing(),
        "serving": entry.serving if measured_self else Serving(),
        "compliance": _without(entry.compliance, _SERVICE_COMPLIANCE, Compliance),
        "operations": _without(entry.operations, _SERVICE_OPERATIONS, Operations),
    })
    return [Deployment(api, API, True), Deployment(hosted, SELF_HOSTED, True)]
