"""Reference architectures (``data/reference/``): real configs that stand in when only a size is known.

A model given as ``70B`` borrows the layers, heads and KV layout of the bundled reference
nearest in size (MoE for MoE), and says so in its assumptions.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

from model_scorecard import bundled
from model_scorecard.calc.architecture import Architecture, architecture_from_config

__all__ = ["Reference", "nearest_reference", "reference_architecture", "references"]


@dataclass(frozen=True)
class Reference:
    hf_id: str
    file: str
    params: int  # the index's count, which tests/calc/test_reference_configs.py recomputes

    @property
    def moe(self) -> bool:
        return reference_architecture(self.file).is_moe


@lru_cache(maxsize=1)
def references() -> tuple[Reference, ...]:
    """The bundled reference architectures (data/reference/index.yaml), without parsing them."""
    return tuple(Reference(item["hf_id"], item["file"], int(item["params"])) for item in bundled.data_yaml(
        "reference/index.yaml"))


@lru_cache(maxsize=None)
def reference_architecture(file: str) -> Architecture:
    """The architecture of one bundled reference config, parsed once per process."""
    return architecture_from_config(json.loads(bundled.data_file(f"reference/{file}").read_text(encoding="utf-8")))


def nearest_reference(params: int, active_params: int | None = None) -> Reference:
    """The reference closest in size (log scale); MoE references only for MoE models and back.

    Only the candidates nearer than the one chosen have their config.json read.
    """
    if params <= 0:
        raise ValueError(f"a model to size has at least one parameter, got {params!r}")
    moe = active_params is not None and active_params < params * 0.9
    by_distance = sorted(references(), key=lambda r: abs(math.log(r.params / params)))  # stable: ties keep order
    return next((r for r in by_distance if r.moe == moe), by_distance[0])
