"""GPU memory of an image-diffusion pipeline, component by component (docs/domain.md §6).

A diffusers pipeline keeps every component on the GPU at once (``pipe.to("cuda")``): the
denoiser (UNet or transformer), one or more text encoders and the VAE. There is no KV
cache. On top of the weights comes the activation peak of one generation, which for the
Stable Diffusion family is the VAE decoding the finished latents at full resolution, plus
the CUDA context that PyTorch's allocator does not count.

    weights    = Σ component params × bits / 8      (the VAE never below 16 bit)
    activation = width × height × images × bytes per output pixel
    total      = weights + activation + CUDA context

Bytes per output pixel are measured, not derived: ``torch.cuda.max_memory_allocated()`` of a
whole generation minus the weights, divided by the pixels (see :data:`ACTIVATION_BYTES_PER_PIXEL`).
Pure functions and frozen dataclasses; reading pipelines from files is
:mod:`model_scorecard.sizing.diffusion`'s job.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from model_scorecard.calc.memory import GIB, Precision

DENOISER, TEXT_ENCODER, VAE, OTHER = "denoiser", "text_encoder", "vae", "other"
ROLES = (DENOISER, TEXT_ENCODER, VAE, OTHER)

#: Peak activation bytes per output pixel per image, by the dtype the pipeline computes in.
#: Measured by huggingface/diffusion-fast (``torch.cuda.max_memory_allocated()``, 30 steps,
#: batch 1 with classifier-free guidance, SDPA attention, H100) and turned into bytes per
#: pixel by subtracting the weights (exact parameter counts x bytes):
#:
#: * fp32: SDXL base at 1024x1024 peaks at 16.827 GiB (weights 3,468,837,867 x 4 B = 12.922
#:   GiB, so 3,998 B/pixel); SD 1.5 at 512x512 at 4.948 GiB (1,066,235,307 x 4 B = 3.972 GiB,
#:   3,997 B/pixel). Two UNets of different size agree because the peak is the shared VAE
#:   decoder at full resolution (~1,000 fp32 values per pixel), not the UNet.
#: * 16-bit: SDXL base, bf16, 1024x1024, 8.958 GiB (weights 6.461 GiB): 2,557 B/pixel.
#:   More than half the fp32 figure: diffusers' Upsample2D upcasts bf16 to fp32 to interpolate.
#:
#: Sources: https://huggingface.co/datasets/sayakpaul/sample-datasets/blob/8285f7668326f13af8d213cd8087218cd7f97483/collated_results_sdxl.csv
#: and .../blob/248dad0ae880465530c71da583c68f533dc94d13/sdv1-5_new_results/collated_results.csv,
#: produced by https://github.com/huggingface/diffusion-fast (run_benchmark.py,
#: utils/benchmarking_utils.py: memory in GiB = max_memory_allocated / 1024^3).
ACTIVATION_BYTES_PER_PIXEL: Mapping[str, float] = {"fp32": 4000.0, "16-bit": 2560.0}

#: Memory outside PyTorch's allocator (CUDA context, cuBLAS/cuDNN workspaces): not in
#: ``max_memory_allocated``, but on the GPU all the same. 0.7 GiB: docs/accuracy.md measured
#: 0.68 GiB (0.679) outside the allocator on an H100 with torch 2.11 and CUDA 13, and the
#: ``transformers`` engine profile in :mod:`model_scorecard.calc.memory` uses the same 0.7 GiB.
CUDA_CONTEXT_BYTES = 0.7 * GIB


@dataclass(frozen=True)
class Component:
    """One pipeline component: the diffusers folder name, its role, class and parameters."""

    name: str  # "unet", "text_encoder_2", "vae" …
    role: str  # one of ROLES
    class_name: str
    params: int
    source: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {self.role!r}")
        if isinstance(self.params, bool) or not isinstance(self.params, int) or self.params < 0:
            raise ValueError(f"{self.name}: params must be a non-negative integer, got {self.params!r}")


@dataclass(frozen=True)
class ComponentWeights:
    component: Component
    bits: float
    bytes: float


def clip_text_params(config: Mapping[str, Any], with_projection: bool = False) -> int:
    """Exact parameter count of transformers' ``CLIPTextModel`` (or ``…WithProjection``).

    Token and position embeddings, per layer q/k/v/out projections with biases, two
    LayerNorms and a biased 2-layer MLP, a final LayerNorm, and for ``WithProjection`` a
    bias-free ``text_projection`` (hidden → projection_dim). The ``position_ids`` buffer is
    not a parameter.
    """
    h = int(config["hidden_size"])
    inter = int(config["intermediate_size"])
    layers = int(config["num_hidden_layers"])
    vocab = int(config["vocab_size"])
    positions = int(config["max_position_embeddings"])
    per_layer = 4 * (h * h + h) + (h * inter + inter) + (inter * h + h) + 2 * (2 * h)
    total = vocab * h + positions * h + layers * per_layer + 2 * h
    if with_projection:
        total += h * int(config.get("projection_dim", h))
    return total


def component_weights(components: Sequence[Component], precision: Precision) -> tuple[ComponentWeights, ...]:
    """Bytes of each component at ``precision``; the VAE stays at 16 bit below 16 bits.

    Quantising a VAE is not done in practice (it is 84M parameters and sensitive), so a
    4- or 8-bit request applies to the denoiser and text encoders only.
    """
    out = []
    for c in components:
        bits = max(precision.bits, 16.0) if c.role == VAE else precision.bits
        out.append(ComponentWeights(c, bits, c.params * bits / 8))
    return tuple(out)


def activation_bytes(width: int, height: int, images: int, bytes_per_pixel: float) -> float:
    """Peak activation memory of generating ``images`` images of width x height at once."""
    for name, value in (("width", width), ("height", height), ("images", images)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not (bytes_per_pixel >= 0) or math.isinf(bytes_per_pixel):
        raise ValueError(f"bytes_per_pixel must be finite and non-negative, got {bytes_per_pixel!r}")
    return width * height * images * bytes_per_pixel


@dataclass(frozen=True)
class DiffusionFit:
    """One GPU: does one batch fit on one card (diffusers does not split a pipeline by default)."""

    gpu: str
    gpu_memory_bytes: int
    fits: bool
    used_bytes: float
    max_images: int  # images per batch that fit beside the weights (0 when even one does not)

    @property
    def count(self) -> int | None:
        """GPUs needed: one when the batch fits, None when it does not (no tensor parallelism)."""
        return 1 if self.fits else None


@dataclass(frozen=True)
class DiffusionEstimate:
    label: str
    pipeline: str
    precision: Precision
    components: tuple[ComponentWeights, ...]
    width: int
    height: int
    batch: int
    bytes_per_pixel: float
    activation_bytes: float
    context_bytes: float
    fits: tuple[DiffusionFit, ...] = ()
    assumptions: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def params(self) -> int:
        return sum(w.component.params for w in self.components)

    @property
    def weights_bytes(self) -> float:
        return sum(w.bytes for w in self.components)

    @property
    def overhead_bytes(self) -> float:
        """Everything besides the weights: the activation peak and the CUDA context."""
        return self.activation_bytes + self.context_bytes

    @property
    def total_bytes(self) -> float:
        return self.weights_bytes + self.overhead_bytes


def fit_diffusion(weights: float, per_image: float, context: float, batch: int, gpu: str,
                  gpu_memory_bytes: int) -> DiffusionFit:
    """Whether ``batch`` images fit on one GPU, and how many would."""
    free = gpu_memory_bytes - weights - context
    used = weights + context + per_image * batch
    if free < 0:
        most = 0
    elif per_image > 0:
        most = int(free // per_image)
    else:  # no activation model: as many as asked for
        most = batch
    return DiffusionFit(gpu, gpu_memory_bytes, used <= gpu_memory_bytes, used, most)


def estimate_diffusion_memory(components: Sequence[Component], *, precision: Precision, width: int, height: int,
                              batch: int = 1, bytes_per_pixel: float, context_bytes: float = CUDA_CONTEXT_BYTES,
                              gpus: Mapping[str, int] | None = None, label: str = "", pipeline: str = "",
                              sources: Mapping[str, str] | None = None,
                              assumptions: Sequence[str] = ()) -> DiffusionEstimate:
    """Weights by component, the activation peak and the CUDA context, and the fit per GPU."""
    if not components:
        raise ValueError("a pipeline needs at least one component")
    if context_bytes < 0:
        raise ValueError("context_bytes must be non-negative")
    weights = component_weights(components, precision)
    act = activation_bytes(width, height, batch, bytes_per_pixel)
    total_weights = sum(w.bytes for w in weights)
    per_image = act / batch
    fits = tuple(fit_diffusion(total_weights, per_image, context_bytes, batch, name, mem)
                 for name, mem in (gpus or {}).items())
    return DiffusionEstimate(label, pipeline, precision, weights, width, height, batch, bytes_per_pixel, act,
                             context_bytes, fits, tuple(assumptions), dict(sources or {}))


def _weight_parts(est: DiffusionEstimate) -> dict[str, int]:
    """Values, their scales/zeros, and what stays 16-bit (the VAE under a sub-16-bit precision)."""
    p = est.precision
    quantised = sum(w.component.params for w in est.components if w.bits == p.bits)
    kept = [w for w in est.components if w.bits != p.bits]
    return {"values_bytes": round(quantised * p.value_bits / 8),
            "quantisation_metadata_bytes": round(quantised * (p.bits - p.value_bits) / 8),
            "kept_16bit_bytes": round(sum(w.bytes for w in kept)),
            "kept_16bit_params": sum(w.component.params for w in kept)}


def as_dict(est: DiffusionEstimate) -> dict[str, Any]:
    """The JSON form: the same top-level keys as an LLM's estimate (KV fields 0 or null), plus
    ``kind``, ``resolution`` and ``components``."""
    return {
        "kind": "diffusion-image",
        "params": est.params,
        "active_params": est.params,
        "precision": est.precision.name,
        "bits_per_weight": round(est.precision.bits, 4),
        "weights_bytes": round(est.weights_bytes),
        "weights": _weight_parts(est),
        "kv_dtype": None,
        "kv_bytes_per_token": 0,
        "kv_cache_bytes": 0,
        "overhead_bytes": round(est.overhead_bytes),
        "total_bytes": round(est.total_bytes),
        "context": None,
        "batch": est.batch,
        "engine": "diffusers",
        "resolution": {"width": est.width, "height": est.height},
        "activation_bytes": round(est.activation_bytes),
        "components": [{"name": w.component.name, "role": w.component.role, "class": w.component.class_name,
                        "params": w.component.params, "bits_per_weight": round(w.bits, 4), "bytes": round(w.bytes),
                        "source": w.component.source} for w in est.components],
        "gpus": [{"name": f.gpu, "count": f.count, "fits": f.fits, "memory_bytes": f.gpu_memory_bytes,
                  "per_gpu_used_bytes": round(f.used_bytes), "kv_capacity_tokens": None,
                  "max_concurrency": f.max_images, "batch_fits": f.fits} for f in est.fits],
        "sources": dict(est.sources),
        "assumptions": list(est.assumptions),
    }
