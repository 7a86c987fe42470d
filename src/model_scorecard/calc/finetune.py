"""GPU memory of fine-tuning a model: full fine-tune, LoRA and QLoRA, on ONE GPU.

Pure functions and frozen dataclasses; bytes everywhere, units in names, every assumption a
visible parameter and repeated in words in ``FinetuneEstimate.assumptions``. The total is

    weights (frozen base + trainable copy) + fp32 master copy + gradients + optimizer states
    + LoRA adapter weights + activations kept for the backward pass + logits
    + framework overhead (CUDA context, cuBLAS workspaces, allocator slack)

Per trainable parameter (``TrainingPrecision``): mixed precision with AdamW keeps a 2-byte
bf16 weight, a 4-byte fp32 master copy, a 2-byte gradient and two 4-byte moments (16 B);
pure bf16 keeps everything in 2 bytes (8 B). LoRA freezes the base at its storage precision
and trains ``rank x (d_in + d_out)`` parameters per adapted matrix. QLoRA stores the frozen
linear layers in 4-bit NF4; :func:`nf4_bits_per_weight` derives the bits per weight,
constants included, from the block sizes (4.127 bits with double quantisation).

Activations follow Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large
Transformer Models", arXiv:2205.05198): a transformer layer keeps about
``s*b*h*(34 + 5*a*s/h)`` bytes for its backward pass in 16-bit training (s sequence, b
batch, h hidden size, a attention heads); a fused (flash) attention kernel does not keep the
``a*s^2`` attention matrix, which leaves ``34*s*b*h``. With full activation checkpointing
only each layer's 16-bit input, ``2*s*b*h``, is kept, plus one layer's full set while it is
recomputed. Layers below the lowest trainable parameter keep nothing: no gradient has to
flow through them.

Nothing here reads a file or imports a heavy library; the CLI renders ``as_dict()``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from model_scorecard.calc.architecture import Architecture
from model_scorecard.calc.lora import (
    ALL_LORA_MODULES,
    ATTENTION_LAYER_KINDS,
    FinetuneShape,
    lora_adapter_params,
    shape_from_architecture,
    shape_from_params,
)
from model_scorecard.errors import UserError
from model_scorecard.units import MAX_BATCH, MAX_TOKENS, OutOfRange

__all__ = [
    "ADAPTER_PRECISIONS",
    "BASE_DTYPE_BYTES",
    "DEFAULT_OVERHEAD_BYTES",
    "FinetuneEstimate",
    "LoraSpec",
    "METHODS",
    "Method",
    "Nf4",
    "SEED_RECIPE",
    "TRAINING_PRECISIONS",
    "TrainingPrecision",
    "Workload",
    "estimate_finetune",
    "layer_activation_bytes",
    "nf4_bits_per_weight",
]

GIB = 1024**3
Method = Literal["full", "lora", "qlora"]
METHODS: tuple[str, ...] = ("full", "lora", "qlora")

#: CUDA context, cuBLAS/cuDNN workspaces and caching-allocator slack a training process holds
#: beyond its tensors. A bare CUDA context with cuBLAS measured 0.68 GiB on an H100 (serving
#: notes in docs/accuracy.md); training adds workspaces and fragmentation, hence 1 GiB.
DEFAULT_OVERHEAD_BYTES = 1.0 * GIB


# --------------------------------------------------------------------------- precisions

@dataclass(frozen=True)
class TrainingPrecision:
    """Bytes each *trainable* parameter costs, by role.

    ``weight_bytes``: the copy the forward pass reads; ``master_bytes``: an fp32 master copy
    kept beside 16-bit weights (0 when none); ``gradient_bytes``; ``optimizer_bytes``: AdamW's
    first and second moments together.
    """

    name: str
    weight_bytes: float
    master_bytes: float
    gradient_bytes: float
    optimizer_bytes: float
    note: str

    @property
    def bytes_per_param(self) -> float:
        return self.weight_bytes + self.master_bytes + self.gradient_bytes + self.optimizer_bytes


TRAINING_PRECISIONS: dict[str, TrainingPrecision] = {
    p.name: p for p in (
        TrainingPrecision("mixed", 2, 4, 2, 8,
                          "AdamW in mixed precision: bf16 weights 2 B + fp32 master 4 B + bf16 gradients 2 B "
                          "+ fp32 m and v 8 B = 16 B per trainable parameter"),
        TrainingPrecision("fp32", 4, 0, 4, 8,
                          "AdamW in fp32: weights 4 B + gradients 4 B + m and v 8 B = 16 B per trainable parameter"),
        TrainingPrecision("bf16_fp32_adam", 2, 0, 2, 8,
                          "bf16 weights 2 B + bf16 gradients 2 B + fp32 AdamW m and v 8 B = 12 B per trainable "
                          "parameter (no master copy)"),
        TrainingPrecision("pure_bf16", 2, 0, 2, 4,
                          "pure bf16: weights 2 B + gradients 2 B + bf16 AdamW m and v 4 B = 8 B per trainable "
                          "parameter"),
    )
}

#: How LoRA adapters are trained. PEFT casts 16-bit adapters up to fp32 by default
#: (``autocast_adapter_dtype=True``), so a LoRA run pays 16 B per adapter parameter; the
#: QLoRA paper's recipe keeps adapters in bf16 with a 32-bit (paged) AdamW: 12 B.
ADAPTER_PRECISIONS: dict[str, TrainingPrecision] = {
    "fp32": TRAINING_PRECISIONS["fp32"],
    "bf16": TRAINING_PRECISIONS["bf16_fp32_adam"],
    "pure_bf16": TRAINING_PRECISIONS["pure_bf16"],
}

#: Bytes per frozen weight of a 16- or 32-bit base.
BASE_DTYPE_BYTES: dict[str, float] = {"bf16": 2, "fp16": 2, "fp32": 4}


@dataclass(frozen=True)
class Nf4:
    """bitsandbytes 4-bit NormalFloat storage of the frozen linear layers (QLoRA).

    Each ``blocksize`` weights share one fp32 absmax constant. With ``double_quant`` those
    constants are themselves quantised to 8 bits in blocks of ``constant_blocksize``, each
    block with one fp32 constant of its own. ``keep_16bit``: embeddings, output head and norms
    stay unquantised (transformers never quantises the output head or non-linear modules), at
    ``kept_bytes`` each: 2 in bf16; 4 after PEFT's ``prepare_model_for_kbit_training``, which
    casts every unquantised parameter up to fp32.
    """

    blocksize: int = 64
    double_quant: bool = True
    constant_blocksize: int = 256
    keep_16bit: bool = True
    kept_bytes: float = 2.0

    @property
    def bits_per_weight(self) -> float:
        return nf4_bits_per_weight(self.blocksize, self.double_quant, self.constant_blocksize)


def nf4_bits_per_weight(blocksize: int = 64, double_quant: bool = True, constant_blocksize: int = 256) -> float:
    """Storage bits per NF4 weight, its share of quantisation constants included.

    Without double quantisation: 4 + 32/blocksize (4.5 at 64). With it: 4 + 8/blocksize +
    32/(blocksize * constant_blocksize) (4.127 at 64 and 256, the QLoRA paper's 0.127-bit
    overhead).
    """
    for name, n in (("blocksize", blocksize), ("constant_blocksize", constant_blocksize)):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"{name} must be a positive integer, got {n!r}")
    if double_quant:
        return 4 + 8 / blocksize + 32 / (blocksize * constant_blocksize)
    return 4 + 32 / blocksize


# --------------------------------------------------------------------------- options

@dataclass(frozen=True)
class Workload:
    """What one training step pushes through the GPU.

    ``batch`` sequences of ``sequence_tokens`` per micro-batch (gradient accumulation adds no
    memory). ``gradient_checkpointing``: recompute each layer in backward, keeping only its
    input. ``flash_attention``: a fused attention kernel that keeps no s^2 matrix.
    ``logits_bytes_per_element``: bytes held per token per vocabulary entry at the loss
    (6: the bf16 logits plus the fp32 copy the loss upcasts to, as transformers does; chunked
    losses such as torchtune's or Liger's keep far less).
    """

    batch: int = 1
    sequence_tokens: int = 2048
    gradient_checkpointing: bool = True
    flash_attention: bool = True
    logits_bytes_per_element: float = 6.0

    def __post_init__(self) -> None:
        for name, n, limit in (("batch", self.batch, MAX_BATCH), ("sequence_tokens", self.sequence_tokens, MAX_TOKENS)):
            if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= limit:
                raise OutOfRange(f"{name} must be a whole number from 1 to {limit:,}, got {n!r}")
        if not (isinstance(self.logits_bytes_per_element, (int, float)) and 0 <= self.logits_bytes_per_element <= 64):
            raise OutOfRange(f"logits_bytes_per_element must be in [0, 64], got {self.logits_bytes_per_element!r}")


@dataclass(frozen=True)
class LoraSpec:
    """Which layers and matrices train, and at what rank.

    ``frozen_fraction``: the share of layers, counted from the bottom, that stay frozen with
    no adapter (the 2024 roadmap post's recipe: 0.7, i.e. LoRA only on the upper 30 %); the number frozen
    is rounded down. For a full fine-tune the same share of layers is frozen outright
    ("freeze tuning"), and so are the embeddings and output head when it is above 0.
    """

    rank: int = 64
    modules: tuple[str, ...] = ALL_LORA_MODULES
    frozen_fraction: float = 0.7

    def __post_init__(self) -> None:
        if isinstance(self.rank, bool) or not isinstance(self.rank, int) or not 1 <= self.rank <= 2**16:
            raise OutOfRange(f"LoRA rank must be a whole number from 1 to 65,536, got {self.rank!r}")
        f = self.frozen_fraction
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 <= f < 1:
            raise OutOfRange(f"frozen_fraction must be in [0, 1), got {f!r}")
        if not self.modules:
            raise UserError("LoRA needs at least one target module")

    def frozen_layers(self, num_layers: int) -> int:
        return int(math.floor(self.frozen_fraction * num_layers + 1e-9))


#: The 2024 roadmap post's recipe: freeze the lower 70 % of layers, LoRA rank 64 on the rest, every matrix.
SEED_RECIPE = LoraSpec(rank=64, modules=ALL_LORA_MODULES, frozen_fraction=0.7)


# --------------------------------------------------------------------------- activations

def layer_activation_bytes(sequence_tokens: int, batch: int, hidden_size: int, num_heads: int,
                           flash_attention: bool = True) -> float:
    """Bytes one transformer layer keeps for backward (Korthikanti et al. 2022, no recomputation).

    s*b*h*34 for the 16-bit tensors and dropout masks of attention, MLP and norms, plus
    5*a*s^2*b for the attention scores, softmax and its dropout unless a flash kernel keeps
    none of them. The 34 assumes a 4h-wide plain MLP and dropout; for gated MLPs without
    dropout the count is close (the wider MLP and the missing masks roughly cancel).
    """
    s, b, h = sequence_tokens, batch, hidden_size
    quadratic = 0.0 if flash_attention else 5.0 * num_heads * s * s * b
    return 34.0 * s * b * h + quadratic


# --------------------------------------------------------------------------- estimate

@dataclass(frozen=True)
class FinetuneEstimate:
    """Memory of one fine-tuning set-up on one GPU, by part, with the assumptions in words."""

    method: str
    params: int
    trainable_params: int
    adapter_params: int
    num_layers: int
    trainable_layers: int
    base_bits_per_weight: float
    weights_bytes: float  # the model's own weights: frozen base plus the trainable forward copy
    adapter_weights_bytes: float
    master_weights_bytes: float
    gradients_bytes: float
    optimizer_states_bytes: float
    activations_bytes: float
    logits_bytes: float
    overhead_bytes: float
    optimizer_paged: bool
    batch: int
    sequence_tokens: int
    gradient_checkpointing: bool
    flash_attention: bool
    precision: str
    lora: LoraSpec | None
    assumptions: tuple[str, ...] = field(default=())

    @property
    def total_bytes(self) -> float:
        return (self.weights_bytes + self.adapter_weights_bytes + self.master_weights_bytes + self.gradients_bytes
                + self.optimizer_states_bytes + self.activations_bytes + self.logits_bytes + self.overhead_bytes)

    @property
    def total_bytes_optimizer_paged_out(self) -> float:
        """The total when paged optimizer states have moved to CPU memory (QLoRA under pressure)."""
        return self.total_bytes - (self.optimizer_states_bytes if self.optimizer_paged else 0.0)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: bytes as integers, every input named."""
        out: dict[str, Any] = {
            "method": self.method,
            "params": self.params,
            "trainable_params": self.trainable_params,
            "adapter_params": self.adapter_params,
            "num_layers": self.num_layers,
            "trainable_layers": self.trainable_layers,
            "precision": self.precision,
            "base_bits_per_weight": round(self.base_bits_per_weight, 4),
            "batch": self.batch,
            "sequence_tokens": self.sequence_tokens,
            "gradient_checkpointing": self.gradient_checkpointing,
            "flash_attention": self.flash_attention,
            "weights_bytes": round(self.weights_bytes),
            "adapter_weights_bytes": round(self.adapter_weights_bytes),
            "master_weights_bytes": round(self.master_weights_bytes),
            "gradients_bytes": round(self.gradients_bytes),
            "optimizer_states_bytes": round(self.optimizer_states_bytes),
            "optimizer_paged": self.optimizer_paged,
            "activations_bytes": round(self.activations_bytes),
            "logits_bytes": round(self.logits_bytes),
            "overhead_bytes": round(self.overhead_bytes),
            "total_bytes": round(self.total_bytes),
            "total_gib": round(self.total_bytes / GIB, 2),
        }
        if self.optimizer_paged:
            out["total_bytes_optimizer_paged_out"] = round(self.total_bytes_optimizer_paged_out)
        if self.lora is not None:
            out["lora"] = {"rank": self.lora.rank, "modules": list(self.lora.modules),
                           "frozen_fraction": self.lora.frozen_fraction}
        out["assumptions"] = list(self.assumptions)
        return out


def estimate_finetune(model: Architecture | FinetuneShape | int, method: Method = "lora", *,
                      workload: Workload = Workload(), lora: LoraSpec | None = None,
                      precision: str | TrainingPrecision | None = None, base_dtype: str = "bf16",
                      nf4: Nf4 = Nf4(), overhead_bytes: float = DEFAULT_OVERHEAD_BYTES,
                      assumptions: Sequence[str] = ()) -> FinetuneEstimate:
    """GPU memory of fine-tuning ``model`` with ``method`` on one GPU (no sharding, no offload).

    ``model``: an :class:`Architecture` (exact counts and widths), a :class:`FinetuneShape`,
    or a bare parameter count (then :func:`shape_from_params` assumes a Llama-like shape and
    says so). ``method``: ``full`` trains every parameter of the unfrozen layers; ``lora``
    freezes the base in ``base_dtype`` and trains adapters; ``qlora`` stores the frozen
    linear layers in NF4 (``nf4``) and trains adapters with a paged optimizer.
    ``precision``: the :class:`TrainingPrecision` of the trainable parameters, by name or
    record; by default ``mixed`` for ``full``, ``fp32`` adapters for ``lora`` (PEFT's default
    upcast) and ``bf16`` adapters for ``qlora`` (the QLoRA paper's recipe). ``lora``: rank,
    modules and frozen share; by default the 2024 roadmap post's recipe (:data:`SEED_RECIPE`) for LoRA and
    QLoRA and nothing frozen for ``full`` (for ``full`` only ``frozen_fraction`` is read).
    ``overhead_bytes``: CUDA context and framework slack.
    """
    if method not in METHODS:
        raise UserError(f"unknown fine-tuning method {method!r}; one of {', '.join(METHODS)}")
    if isinstance(model, Architecture):
        shape = shape_from_architecture(model)
    elif isinstance(model, FinetuneShape):
        shape = model
    else:
        shape = shape_from_params(model)
    if base_dtype not in BASE_DTYPE_BYTES:
        raise UserError(f"unknown base dtype {base_dtype!r}; one of {', '.join(BASE_DTYPE_BYTES)}")
    if isinstance(overhead_bytes, bool) or not isinstance(overhead_bytes, (int, float)) \
            or not 0 <= overhead_bytes <= 2**50:
        raise OutOfRange(f"overhead_bytes must be a size in bytes, got {overhead_bytes!r}")
    table = TRAINING_PRECISIONS if method == "full" else ADAPTER_PRECISIONS
    if precision is None:
        precision = {"full": "mixed", "lora": "fp32", "qlora": "bf16"}[method]
    if isinstance(precision, str):
        if precision not in table:
            raise UserError(f"unknown precision {precision!r} for {method}; one of {', '.join(table)}")
        prec = table[precision]
    else:
        prec = precision

    if lora is None:
        lora = LoraSpec(frozen_fraction=0.0) if method == "full" else SEED_RECIPE
    L = shape.num_layers
    frozen = lora.frozen_layers(L)
    trainable_layers = L - frozen
    notes: list[str] = list(shape.notes)
    w = workload
    s, b, h = w.sequence_tokens, w.batch, shape.hidden_size
    adapter_params = 0
    master = grads = opt = adapter_w = 0.0
    paged = False

    if method == "full":
        if frozen:
            trainable = round(sum(shape.layer_params[frozen:]))
            notes.append(f"freeze tuning: the lowest {frozen} of {L} layers, the embeddings and the output head stay "
                         f"frozen; the upper {trainable_layers} layers train")
        else:
            trainable = shape.total_params
        frozen_params = shape.total_params - trainable
        base_bits = 8 * prec.weight_bytes
        weights = frozen_params * prec.weight_bytes + trainable * prec.weight_bytes
        master = trainable * prec.master_bytes
        grads = trainable * prec.gradient_bytes
        opt = trainable * prec.optimizer_bytes
        notes.append(prec.note)
        lora_out: LoraSpec | None = None
    else:
        trainable_span = range(frozen, L)
        adapter_params = lora_adapter_params(shape, lora.rank, lora.modules, trainable_span)
        if adapter_params == 0:
            raise UserError(f"none of the LoRA modules {', '.join(lora.modules)} exists in the trainable layers of "
                            "this model", hint="a plain (non-gated) MLP has only up and down projections; LoRA on the "
                            "projections of Mamba, linear-attention and convolution layers is not modelled")
        trainable = adapter_params
        if method == "qlora":
            bits = nf4.bits_per_weight
            kept = shape.total_params - shape.quantisable_params if nf4.keep_16bit else 0
            weights = (shape.total_params - kept) * bits / 8 + kept * nf4.kept_bytes
            base_bits = bits
            paged = True
            dq = (f"double quantisation (8-bit constants in blocks of {nf4.constant_blocksize}, one fp32 each)"
                  if nf4.double_quant else "no double quantisation (one fp32 constant per block)")
            notes.append(f"frozen linear layers in NF4: 4 bits + one fp32 constant per {nf4.blocksize} weights, "
                         f"{dq}: {bits:.4f} bits per weight"
                         + (f"; embeddings, output head and norms stay unquantised at {nf4.kept_bytes:g} B each"
                            if nf4.keep_16bit else ""))
            notes.append("paged AdamW: its states live in unified memory and move to CPU memory when the GPU "
                         "runs short; counted here on the GPU (total_bytes_optimizer_paged_out leaves them out)")
        else:
            dtype_b = BASE_DTYPE_BYTES[base_dtype]
            weights = shape.total_params * dtype_b
            base_bits = 8 * dtype_b
            notes.append(f"frozen base weights in {base_dtype} ({dtype_b:g} B per parameter)")
        adapter_w = adapter_params * (prec.weight_bytes + prec.master_bytes)
        grads = adapter_params * prec.gradient_bytes
        opt = adapter_params * prec.optimizer_bytes
        notes.append(f"LoRA rank {lora.rank} on {', '.join(lora.modules)} of the upper {trainable_layers} of {L} "
                     f"layers (lowest {frozen} frozen with no adapter): {adapter_params:,} adapter parameters, "
                     f"rank x (d_in + d_out) each matrix")
        notes.append(f"adapters: {prec.note}")
        lora_out = lora

    # activations: only the layers from the lowest trainable one up keep anything for backward
    per_layer = layer_activation_bytes(s, b, h, shape.num_heads, w.flash_attention)
    if w.gradient_checkpointing:
        activations = trainable_layers * 2.0 * s * b * h + (per_layer if trainable_layers else 0.0)
        notes.append("gradient checkpointing: each trainable layer keeps its 16-bit input (2·s·b·h bytes) and one "
                     "layer's full activations exist while it is recomputed")
    else:
        activations = trainable_layers * per_layer
    quadratic = " (flash attention keeps no s² term)" if w.flash_attention else " + 5·a·s²·b for attention scores"
    notes.append("activations per layer (Korthikanti et al. 2022): 34·s·b·h bytes" + quadratic)
    others = sorted({k for k in shape.layer_kinds if k not in ATTENTION_LAYER_KINDS})
    if others:
        notes.append(f"{', '.join(others)} layers are assumed to keep as much as a transformer layer (34·s·b·h): "
                     "their own activations are not modelled, and no measurement checks them")
    if frozen:
        notes.append(f"the lowest {frozen} frozen layers keep no activations: no gradient flows below the lowest "
                     "trainable layer")
    logits = float(s * b * shape.vocab_size * w.logits_bytes_per_element)
    notes.append(f"logits: {w.logits_bytes_per_element:g} B per token per vocabulary entry "
                 f"({shape.vocab_size:,}) at the loss")
    notes.append(f"framework overhead {overhead_bytes / GIB:.2f} GiB (CUDA context, cuBLAS workspaces, allocator "
                 "slack)")
    notes.append("one GPU: no ZeRO/FSDP sharding, no CPU offload, no tensor parallelism")
    notes.extend(assumptions)

    est = FinetuneEstimate(
        method, shape.total_params, trainable, adapter_params, L, trainable_layers, base_bits, weights, adapter_w,
        master, grads, opt, activations, logits, float(overhead_bytes), paged, b, s, w.gradient_checkpointing,
        w.flash_attention, prec.name, lora_out, tuple(notes))
    if not math.isfinite(est.total_bytes) or est.total_bytes > 2**63 - 1:
        raise OutOfRange(f"fine-tuning comes to {est.total_bytes:.3g} bytes, beyond any hardware",
                         hint="lower the sequence length or the batch")
    return est
