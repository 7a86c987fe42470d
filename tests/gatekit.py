"""Helpers for the gate's tests (the ``files`` fixture is in conftest.py): a small rubric whose layer scores are set directly by benchmarks.

Each layer has one criterion reading ``benchmarks.<layer>`` (capability has a second,
``benchmarks.cap2``), banded 95 → 5, 75 → 4, 55 → 3, 35 → 2, 15 → 1, so a model's layer
scores, total and verdict are known exactly. The ecosystem layer applies to LLMs only, so
a diffusion LLM (which the chat workload serves) has no ecosystem score at all.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

LAYERS = ("capability", "safety_compliance", "latency_throughput", "cost_to_serve",
          "operational_maturity", "ecosystem_moat")
BANDS = "[[95, 5], [75, 4], [55, 3], [35, 2], [15, 1]]"
DAY = "2026-11-23"


def _criterion(lid: str, cid: str, extra: str = "") -> str:
    return (f"      - {{id: {cid}, title: {cid}, field: benchmarks.{cid}, better: higher, bands: {BANDS}{extra}}}\n")


RUBRIC = (
    "schema_version: 1\nname: gate-test\ngreen_light: 24\nwalk_away_flags: 2\nunknown: skip\n"
    "default_workload: chat\nlayers:\n"
    + "".join(
        f"  {lid}:\n    criteria:\n" + _criterion(lid, lid, ", kinds: [llm]" if lid == "ecosystem_moat" else "")
        + (_criterion(lid, "cap2") if lid == "capability" else "")
        for lid in LAYERS)
    + "red_flags:\n  hosting-restricted:\n    title: Licence forbids hosting for competitors\n"
      "    when:\n      - {field: license_terms.hosting_for_third_parties, equals: false}\n"
)


def model(mid: str, value: float = 95, *, kind: str = "llm", skip: tuple[str, ...] = (), flags: int = 0,
          hosting_restricted: bool = False, overrides: dict[str, float] | None = None) -> str:
    """A catalog entry whose every benchmark is ``value`` unless overridden or skipped."""
    marks = {**{k: value for k in (*LAYERS, "cap2")}, **(overrides or {})}
    bench = "".join(f"      {k}: {v}\n" for k, v in marks.items() if k not in skip)
    text = (f"  - id: {mid}\n    name: {mid}\n    vendor: Acme\n    kind: {kind}\n    access: api\n"
            + ("    checkpoint: instruct\n" if kind in ("llm", "diffusion-llm") else "")
            + f"    benchmarks:\n{bench}")
    if hosting_restricted:
        text += "    license_terms:\n      hosting_for_third_parties: false\n"
    if flags:
        text += "    red_flags:\n" + "".join(
            f"      - {{id: flag-{i}, title: Flag {i}, reason: asserted for the test}}\n" for i in range(flags))
    return text


STANDARD_MODELS = (
    model("alpha", 95)                                   # 30, green-light
    + model("beta", 75)                                  # 24, green-light at the threshold
    + model("gamma", 55)                                 # 18, not-green
    + model("delta", 95, flags=2)                        # walk-away
    + model("epsilon", 95, hosting_restricted=True)      # green-light with one derived red flag
    + model("zeta", 95, skip=("cap2",))                  # green-light, one criterion unknown
    + model("eta", 95, kind="diffusion-llm")                 # green-light, no ecosystem score
)


class GateFiles:
    """Writes a catalog, the rubric and a shortlist into a folder."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def catalog(self, models: str = STANDARD_MODELS, name: str = "catalog.yaml") -> Path:
        return self.write(name, "schema_version: 1\nname: test catalog\nmodels:\n" + models)

    def rubric(self, name: str = "rubric.yaml") -> Path:
        return self.write(name, RUBRIC)

    def shortlist(self, candidates: str, *, name: str = "shortlist.yaml", header: str = "",
                  catalog: str = "catalog.yaml", rubric: str = "rubric.yaml", as_of: str | None = DAY,
                  title: str = "test shortlist") -> Path:
        body = textwrap.dedent(candidates).strip("\n")
        text = (f"schema_version: 1\nname: {title}\ncatalog: {catalog}\nrubric: {rubric}\n"
                + (f"as_of: {as_of}\n" if as_of else "") + textwrap.dedent(header)
                + "candidates:\n" + textwrap.indent(body, "  ") + "\n")
        return self.write(name, text)

    def standard(self, candidates: str, **kw: object) -> Path:
        """The standard catalog and rubric plus a shortlist of ``candidates``."""
        self.catalog()
        self.rubric()
        return self.shortlist(candidates, **kw)  # type: ignore[arg-type]


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


Writer = Callable[..., Path]
