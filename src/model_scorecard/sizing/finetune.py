"""The ``finetune`` job as a library call: resolve a model, then size fine-tuning it on one GPU.

``plan_finetune("meta-llama/Llama-3.1-8B", method="qlora")`` resolves the target as ``vram``
does (a size, a config.json, a catalog id or a Hub id) and hands its architecture to
:func:`model_scorecard.calc.finetune.estimate_finetune`; with ``gpu`` it also says whether the
run fits on one of that GPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model_scorecard.calc.finetune import (
    FinetuneEstimate,
    LoraSpec,
    Workload,
    estimate_finetune,
)
from model_scorecard.sizing.target import ModelSource, resolve

__all__ = ["FinetunePlan", "plan_finetune"]


@dataclass(frozen=True)
class FinetunePlan:
    label: str
    estimate: FinetuneEstimate
    gpu: str | None = None
    gpu_memory_bytes: int | None = None
    sources: tuple[tuple[str, str], ...] = ()

    @property
    def fits(self) -> bool | None:
        """Whether the run fits on one ``gpu`` (None when no GPU was named)."""
        if self.gpu_memory_bytes is None:
            return None
        return self.estimate.total_bytes <= self.gpu_memory_bytes

    def to_dict(self) -> dict[str, Any]:
        doc = {"schema_version": 1, "model": self.label, **self.estimate.as_dict(),
               "sources": dict(self.sources)}
        if self.gpu is not None:
            doc["gpu"] = {"name": self.gpu, "memory_bytes": self.gpu_memory_bytes, "fits": self.fits}
        return doc


def plan_finetune(model: str, *, method: str = "lora", source: ModelSource = ModelSource(),
                  workload: Workload = Workload(), lora: LoraSpec | None = None, precision: str | None = None,
                  base_dtype: str = "bf16", gpu: str | None = None,
                  gpus_file: str | Path | None = None) -> FinetunePlan:
    """Fine-tuning memory of ``model``. A config, catalog entry or Hub id gives its own layers and
    widths; a bare size (``70B``) or a catalog count that differs from its config gets a Llama-like
    shape for that count (:func:`~model_scorecard.calc.lora.shape_from_params`), which the
    assumptions state."""
    resolved = resolve(model, source)
    arch = resolved.arch
    if resolved.params is None or resolved.params == arch.total_params:
        target: Any = arch
        notes = tuple(a for a in resolved.assumptions if "reference" not in a)
    else:
        target, notes = resolved.params, ()
    est = estimate_finetune(target, method, workload=workload, lora=lora, precision=precision, base_dtype=base_dtype,
                            assumptions=notes)
    memory = None
    name = None
    if gpu is not None:
        from model_scorecard.tables.gpus import find_gpu, load_gpus

        card = find_gpu(gpu, load_gpus(gpus_file))
        name, memory = card.name, card.memory_bytes
    return FinetunePlan(resolved.label, est, name, memory, tuple(sorted(resolved.sources.items())))
