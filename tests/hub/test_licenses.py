"""The bundled licence table and how it feeds the rubric."""

from __future__ import annotations

import pytest

from model_scorecard.schema.load import load_rubric
from model_scorecard.tables.licences import (
    LICENSE_SOURCE,
    TERM_FIELDS,
    license_info,
    license_terms,
    load_licenses,
)


def test_table_loads_and_ids_are_lowercase_hub_ids():
    table = load_licenses()
    ids = [lic.id for lic in table.licenses]
    assert len(ids) == len(set(ids)) and all(i == i.lower() for i in ids)
    assert {"apache-2.0", "mit", "llama2", "llama3.1", "gemma", "cc-by-nc-4.0", "other", "unknown"} <= set(ids)


def test_every_category_is_consistent():
    for lic in load_licenses().licenses:
        if lic.category == "permissive":
            assert lic.commercial_use and lic.hosting_for_third_parties and lic.onprem_redistribution, lic.id
        if lic.category == "restricted":
            assert lic.commercial_use is False, lic.id
        if lic.category == "review":
            assert all(getattr(lic, f) is None for f in TERM_FIELDS), lic.id  # unknown until someone reads it


def test_rubrics_non_commercial_ids_all_map_to_no_commercial_use():
    rule = load_rubric("production").red_flags["non-commercial-licence"]
    listed = next(c for c in rule.when if c.field == "license").in_
    for lid in listed:
        assert license_info(lid) is not None and license_info(lid).commercial_use is False, lid


@pytest.mark.parametrize("lid, term, value", [
    ("llama2", "hosting_for_third_parties", False),   # the seed's "forbids hosting for competitors"
    ("llama3.1", "user_cap_mau", 700_000_000),
    ("llama3.1", "arbitration_jurisdiction", "US-CA"),
    ("Apache-2.0", "commercial_use", True),           # case-insensitive
    ("cc-by-nc-4.0", "onprem_redistribution", False),
])
def test_terms(lid, term, value):
    facts = license_terms(lid)
    assert facts[term]["value"] == value and facts[term]["source"] == LICENSE_SOURCE and facts[term]["as_of"]


def test_unknown_and_review_ids_give_no_terms():
    assert license_terms("no-such-licence") == {} and license_terms(None) == {}
    assert license_terms("other") == {}  # "other" is red until reviewed: no term is guessed


def test_eu_restrictions_are_noted():
    assert "EU" in license_terms("llama3.2")["commercial_use"]["note"]
    assert license_info("llama4").eu_restrictions
