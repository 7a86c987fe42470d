"""Roofline speed estimates: decode tokens/s, time per output token, time to first token.

Pure functions; every assumption is a named parameter and is repeated, in words, in the
``assumptions`` of the result. The model (docs/domain.md §6), per forward pass on ``t``
tensor-parallel GPUs:

* memory time = bytes read per GPU / (bandwidth x MBU). A decode step reads the weights
  it uses (all of a dense model except the input embedding table, which is only looked
  up; for a MoE only the experts the batch touches) and every sequence's KV cache at the
  average context of the generation;
* compute time = FLOPs per GPU / (peak x MFU), FLOPs = 2 x parameters used x tokens +
  attention (2 x heads x (qk + v head dims) per attended query-key pair);
* a step takes max(memory, compute) + the tensor-parallel all-reduces (two per layer,
  ring algorithm over the GPU's link, plus a per-call latency) + a fixed overhead.

Each figure is a :class:`Range`: ``low <= likely <= high`` in numbers. Which end is good
news depends on the quantity: for tokens/s ``high`` is the optimistic end, for times
(``tpot_ms``, ``ttft_ms``) ``low`` is. The optimistic end combines the optimistic end of
every efficiency (high MBU and MFU, low latencies and overheads), the pessimistic end the
other ends, so the band is the spread of the assumptions, not a statistical interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from model_scorecard.calc.ranges import Range

if TYPE_CHECKING:  # only for annotations: speed.py needs no pydantic or YAML at import
    from model_scorecard.calc.architecture import Architecture
    from model_scorecard.calc.gpus import GPU

__all__ = [
    "DEFAULT_EFFICIENCY",
    "Efficiency",
    "ModelShape",
    "SpeedEstimate",
    "compute_peak_flops",
    "estimate_speed",
    "experts_touched",
    "ridge_point_flop_per_byte",
]

Precision = Literal["auto", "bf16", "fp8", "int8"]
Scenario = Literal["optimistic", "likely", "pessimistic"]
_SCENARIOS: tuple[Scenario, ...] = ("optimistic", "likely", "pessimistic")


def _pick(band: Range, scenario: Scenario, good: Literal["high", "low"]) -> float:
    """The value of ``band`` for a scenario; ``good`` says which end helps speed."""
    if scenario == "likely":
        return band.likely
    optimistic = scenario == "optimistic"
    return band.high if optimistic == (good == "high") else band.low


# --------------------------------------------------------------------------- assumptions


def _microseconds(low: float, likely: float, high: float) -> Range:
    return Range(low * 1e-6, likely * 1e-6, high * 1e-6)


_DEFAULT_ALLREDUCE_LATENCY = MappingProxyType({
    # One small all-reduce call, launch to completion. NVLink inside one node with a
    # custom/NCCL all-reduce: ~5-25 us; PCIe without NVLink is slower and may route
    # through host memory on consumer cards (no peer-to-peer).
    "nvlink": _microseconds(5, 10, 25),
    "infinity-fabric": _microseconds(8, 15, 35),
    "ici": _microseconds(5, 10, 25),
    "pcie": _microseconds(15, 30, 80),
})


@dataclass(frozen=True)
class Efficiency:
    """The efficiencies and fixed costs the roofline is scaled by; override any of them.

    * ``mbu``: model bandwidth utilisation, the share of peak memory bandwidth a decode
      step achieves (0.5-0.85 in practice, 0.7 likely: docs/domain.md §6).
    * ``mfu_prefill`` / ``mfu_decode``: share of the dense compute peak achieved when a
      pass is compute-bound (prefill 0.3-0.7, 0.5 likely).
    * ``link_efficiency``: share of the per-GPU link bandwidth a ring all-reduce achieves.
    * ``allreduce_latency_s``: fixed time of one all-reduce call, by interconnect (an
      override names the interconnects it changes; the others keep their defaults).
    * ``decode_step_overhead_s`` / ``prefill_overhead_s``: fixed time per forward pass
      beyond the roofline (scheduling, kernel launches, sampling). Prefill is usually run
      without CUDA graphs, hence the larger figure; TensorRT-LLM's published first-token
      latencies for 128-token prompts sit about 3-20 ms above the likely roofline.
    """

    mbu: Range = Range(0.5, 0.7, 0.85)
    mfu_prefill: Range = Range(0.3, 0.5, 0.7)
    mfu_decode: Range = Range(0.3, 0.5, 0.7)
    link_efficiency: Range = Range(0.5, 0.7, 0.85)
    allreduce_latency_s: Mapping[str, Range] = field(default_factory=lambda: _DEFAULT_ALLREDUCE_LATENCY, hash=False)
    decode_step_overhead_s: Range = _microseconds(100, 500, 2000)
    prefill_overhead_s: Range = Range(0.002, 0.005, 0.015)

    def __post_init__(self) -> None:
        # An override names only the interconnects it changes; the others keep the defaults.
        merged = MappingProxyType({**_DEFAULT_ALLREDUCE_LATENCY, **self.allreduce_latency_s})
        object.__setattr__(self, "allreduce_latency_s", merged)
        for name in ("mbu", "mfu_prefill", "mfu_decode", "link_efficiency"):
            band = getattr(self, name)
            if not (0 < band.low and band.high <= 1):
                raise ValueError(f"{name} must lie in (0, 1], got {band}")
        for name in ("decode_step_overhead_s", "prefill_overhead_s"):
            if getattr(self, name).low < 0:
                raise ValueError(f"{name} cannot be negative")
        for kind, band in self.allreduce_latency_s.items():
            if band.low < 0:
                raise ValueError(f"allreduce_latency_s[{kind!r}] cannot be negative")

    def describe(self) -> list[str]:
        def band(r: Range, unit: str = "", k: float = 1.0) -> str:
            return f"{r.low * k:g}/{r.likely * k:g}/{r.high * k:g}{unit}"

        return [
            f"memory-bandwidth utilisation (MBU) {band(self.mbu)} (low/likely/high)",
            f"compute utilisation (MFU) prefill {band(self.mfu_prefill)}, decode {band(self.mfu_decode)}",
            f"all-reduce: ring at {band(self.link_efficiency)} of the link bandwidth, plus a per-call latency",
            f"fixed overhead per forward pass: decode {band(self.decode_step_overhead_s, ' ms', 1e3)}, "
            f"prefill {band(self.prefill_overhead_s, ' ms', 1e3)}",
        ]


DEFAULT_EFFICIENCY = Efficiency()

#: Used when a (user-supplied) GPU states no link bandwidth: a PCIe Gen4 x16 slot, one way.
FALLBACK_LINK_BYTES_PER_S = 32e9


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class ModelShape:
    """What the roofline needs to know about a model: parameter groups and attention.

    Build it with :meth:`from_architecture`, or by hand where only the plain numbers are
    known (a size shorthand with a reference architecture).

    * ``unread_params``: parameters a decode step never streams from memory: the input
      embedding table (a lookup of one row per token) when it is not tied to the output
      head. 0 when tied, since the output head reads the same matrix.
    * ``logits_params``: the output head; prefill computes logits for the last position
      only, as serving engines do.
    * ``attention_windows``: one entry per layer that attends over a cache: ``None`` for
      full attention, the window for sliding-window layers.
    * ``qk_head_dim`` / ``v_head_dim``: query-key and value head sizes (equal except for
      MLA); attention costs ``2 * num_heads * (qk_head_dim + v_head_dim)`` FLOPs per
      attended query-key pair and layer.
    * ``layer_head_dims``: ``qk_head_dim + v_head_dim`` of each entry of ``attention_windows``
      where layers differ (Gemma 4's global layers have wider heads than its sliding ones);
      empty when every layer has the same heads.
    * ``kv_heads``: KV heads split across tensor-parallel GPUs; a GPU holds (and reads)
      ``1 / min(t, kv_heads)`` of the cache. ``None`` for a cache every GPU holds whole
      (MLA latents).
    * MoE: ``moe_layers`` layers with ``num_experts`` routed experts of
      ``params_per_expert`` parameters, ``experts_per_token`` of them used per token.
    """

    total_params: int
    active_params: int
    num_layers: int
    hidden_size: int
    num_heads: int
    qk_head_dim: int
    v_head_dim: int
    kv_heads: int | None
    attention_windows: tuple[int | None, ...]
    unread_params: int = 0
    logits_params: int = 0
    moe_layers: int = 0
    num_experts: int = 0
    experts_per_token: int = 0
    params_per_expert: int = 0
    is_encoder: bool = False
    layer_head_dims: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for name in ("total_params", "active_params", "num_layers", "hidden_size", "num_heads",
                     "qk_head_dim", "v_head_dim"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if self.active_params > self.total_params:
            raise ValueError("active_params cannot exceed total_params")
        if self.moe_layers and not (0 < self.experts_per_token <= self.num_experts and self.params_per_expert > 0):
            raise ValueError("a MoE shape needs 0 < experts_per_token <= num_experts and params_per_expert > 0")
        if self.unread_params + self.logits_params > self.active_params:
            raise ValueError("unread_params + logits_params cannot exceed active_params")
        if self.layer_head_dims and len(self.layer_head_dims) != len(self.attention_windows):
            raise ValueError("layer_head_dims needs one entry per attention layer")

    @classmethod
    def from_architecture(cls, arch: "Architecture") -> "ModelShape":
        """The shape of a model described by a config.json (see calc/architecture.py)."""
        breakdown = arch.param_breakdown
        tied = breakdown.get("lm_head", 0) == 0
        is_mla = "mla" in arch.layer_types
        v_head_dim = arch.v_head_dim if is_mla and arch.v_head_dim else arch.head_dim
        usual = arch.head_dim + v_head_dim
        windows: list[int | None] = []
        head_dims: list[int] = []
        for kind in arch.layer_types:
            if kind == "sliding_attention":
                windows.append(arch.sliding_window)
            elif kind == "chunked_attention":  # attends within its chunk: at most the chunk, as a window would
                windows.append(arch.attention_chunk_size)
            elif kind in ("full_attention", "mla", "bidirectional_attention"):
                windows.append(None)
            else:
                continue
            wide = kind == "full_attention" and arch.global_head_dim is not None
            head_dims.append(2 * arch.global_head_dim if wide else usual)
        moe_layers = len(arch.moe_layer_indices)
        per_expert = 0
        if moe_layers:
            assert arch.num_experts
            per_expert = breakdown["experts"] // (arch.num_experts * moe_layers)
        if arch.is_encoder:
            logits = 0
        else:
            logits = arch.vocab_size * arch.hidden_size if tied else breakdown["lm_head"]
        return cls(
            total_params=arch.total_params,
            active_params=arch.active_params,
            num_layers=arch.num_layers,
            hidden_size=arch.hidden_size,
            num_heads=arch.num_heads,
            qk_head_dim=arch.head_dim,
            v_head_dim=v_head_dim,
            kv_heads=None if is_mla else arch.num_kv_heads,
            attention_windows=tuple(windows),
            unread_params=0 if tied else breakdown.get("embeddings", 0),
            logits_params=logits,
            moe_layers=moe_layers,
            num_experts=arch.num_experts or 0,
            experts_per_token=arch.experts_per_token or 0,
            params_per_expert=per_expert,
            is_encoder=arch.is_encoder,
            layer_head_dims=tuple(head_dims) if any(d != usual for d in head_dims) else (),
        )

    @property
    def expert_params(self) -> int:
        return self.moe_layers * self.num_experts * self.params_per_expert

    def params_read(self, tokens: float) -> float:
        """Parameters streamed from memory by one forward pass over ``tokens`` tokens."""
        dense = self.total_params - self.unread_params - self.expert_params
        if not self.moe_layers:
            return float(dense)
        touched = experts_touched(self.num_experts, self.experts_per_token, tokens)
        return dense + self.moe_layers * touched * self.params_per_expert

    def attention_flops(self, pairs_by_layer: Callable[[int | None], float]) -> float:
        """Attention FLOPs given the attended query-key pairs of a layer with a window."""
        if not self.layer_head_dims:
            per_pair = 2 * self.num_heads * (self.qk_head_dim + self.v_head_dim)
            return per_pair * sum(pairs_by_layer(w) for w in self.attention_windows)
        return 2 * self.num_heads * sum(dims * pairs_by_layer(w)
                                        for w, dims in zip(self.attention_windows, self.layer_head_dims))


def experts_touched(num_experts: int, experts_per_token: int, tokens: float) -> float:
    """Expected distinct experts of one layer used by ``tokens`` tokens: E(1 - (1 - k/E)^B).

    Assumes each token picks ``experts_per_token`` experts uniformly and independently; real
    routers are skewed, which touches fewer experts (so this leans pessimistic).
    """
    if tokens <= 0:
        return 0.0
    return num_experts * (1.0 - (1.0 - experts_per_token / num_experts) ** tokens)


def _causal_pairs(tokens: int, window: int | None) -> float:
    """Query-key pairs a causal pass over ``tokens`` new tokens attends (no prior cache)."""
    if window is None or tokens <= window:
        return tokens * (tokens + 1) / 2
    return window * (window + 1) / 2 + (tokens - window) * window


def _attended(context: float, window: int | None) -> float:
    return context if window is None else min(context, window)


# --------------------------------------------------------------------------- hardware


def compute_peak_flops(gpu: "GPU", weight_bits: float, precision: Precision = "auto") -> tuple[float, str]:
    """The dense peak a forward pass runs at, and the precision it was taken for.

    ``auto``: FP8 when the weights are 8-bit and the GPU has FP8 tensor cores (W8A8 FP8,
    how vLLM and TensorRT-LLM serve FP8 checkpoints), else BF16: weight-only int4/int8
    kernels dequantise to 16-bit before the matmul.
    """
    if precision == "auto":
        precision = "fp8" if abs(weight_bits - 8) < 1e-9 and gpu.fp8_flops else "bf16"
    if precision == "fp8":
        if not gpu.fp8_flops:
            raise ValueError(f"{gpu.name} has no FP8 tensor cores; use precision 'bf16'")
        return gpu.fp8_flops, "fp8"
    if precision == "int8":
        if not gpu.int8_ops:
            raise ValueError(f"{gpu.name} states no INT8 peak")
        return gpu.int8_ops, "int8"
    if precision != "bf16":
        raise ValueError(f"unknown precision {precision!r}: auto, bf16, fp8 or int8")
    if gpu.bf16_flops is None:
        raise ValueError(f"{gpu.name} has no published dense BF16/FP16 tensor peak, so the compute-bound parts "
                         "of a speed estimate (prefill, large batches) are unknown; give bf16_tflops in a GPU file "
                         "of your own (--gpus-file) to estimate it")
    return gpu.bf16_flops, "bf16"


def ridge_point_flop_per_byte(gpu: "GPU", precision: Precision = "bf16") -> float:
    """Arithmetic intensity above which a kernel is compute-bound: peak / bandwidth."""
    peak, _ = compute_peak_flops(gpu, 16.0 if precision in ("auto", "bf16") else 8.0, precision)
    return peak / gpu.bandwidth_bytes_per_s


# --------------------------------------------------------------------------- the estimate


@dataclass(frozen=True)
class SpeedEstimate:
    """Speed of one model replica on ``gpu_count`` GPUs; see the module docstring.

    * ``tpot_ms``: time per output token of one stream at the batch (low = optimistic);
    * ``decode_tokens_per_s_per_stream``: 1000 / TPOT (high = optimistic);
    * ``decode_tokens_per_s_aggregate``: batch x per-stream (high = optimistic);
    * ``ttft_ms``: time to first token for ``prefill_batch`` prompts of ``prompt_tokens``
      prefilled together on an idle replica (low = optimistic);
    * ``prefill_tokens_per_s``: prompt tokens processed per second in that pass;
    * ``request_latency_ms``: TTFT + (output_tokens - 1) x TPOT;
    * ``static_batch_output_tokens_per_s``: output tokens/s when ``batch`` requests are
      prefilled (``prefill_batch`` at a time) and then decoded together, as fixed-batch
      benchmarks run them.

    ``decode_bound`` names the likely bottleneck of a decode step (``memory`` or
    ``compute``); ``per_step`` holds the likely per-GPU quantities of one decode step.
    """

    tpot_ms: Range
    decode_tokens_per_s_per_stream: Range
    decode_tokens_per_s_aggregate: Range
    ttft_ms: Range
    prefill_tokens_per_s: Range
    request_latency_ms: Range
    static_batch_output_tokens_per_s: Range
    decode_bound: str
    prefill_bound: str
    per_step: Mapping[str, float] = field(hash=False)
    assumptions: tuple[str, ...]
    inputs: Mapping[str, Any] = field(hash=False)


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def _allreduce_s(message_bytes: float, gpus: int, link_bytes_per_s: float, link_efficiency: float,
                 latency_s: float) -> float:
    """One ring all-reduce: each GPU sends and receives 2(t-1)/t of the message."""
    if gpus == 1:
        return 0.0
    return 2 * (gpus - 1) / gpus * message_bytes / (link_bytes_per_s * link_efficiency) + latency_s


def estimate_speed(
    model: "Architecture | ModelShape",
    gpu: "GPU",
    *,
    weight_bits: float,
    kv_bytes_per_token: float,
    prompt_tokens: int,
    output_tokens: int,
    gpu_count: int = 1,
    batch: int = 1,
    prefill_batch: int = 1,
    activation_bytes: float = 2.0,
    precision: Precision = "auto",
    efficiency: Efficiency = DEFAULT_EFFICIENCY,
) -> SpeedEstimate:
    """Roofline speed of a decoder model on ``gpu_count`` tensor-parallel GPUs.

    ``weight_bits``: bits per parameter as stored, quantisation metadata included (16,
    8, 4.16 ...). ``kv_bytes_per_token``: KV-cache bytes one token adds, all layers, as
    the memory calculator computes them (averaged over the context for sliding-window
    layers; halved for an FP8 cache). ``batch``: sequences decoded together.
    ``prefill_batch``: prompts prefilled together for ``ttft_ms`` (1 = a request alone).
    ``activation_bytes``: bytes per activation element in all-reduces (2 for BF16).
    ``precision``: compute peak to use; ``auto`` picks FP8 for 8-bit weights on GPUs with
    FP8, else BF16.
    """
    shape = model if isinstance(model, ModelShape) else ModelShape.from_architecture(model)
    if shape.is_encoder:
        raise ValueError("an encoder generates no tokens: decode speed does not apply")
    t = _positive_int("gpu_count", gpu_count)
    batch = _positive_int("batch", batch)
    prefill_batch = _positive_int("prefill_batch", prefill_batch)
    prompt_tokens = _positive_int("prompt_tokens", prompt_tokens)
    output_tokens = _positive_int("output_tokens", output_tokens)
    if not (weight_bits > 0 and math.isfinite(weight_bits)):
        raise ValueError(f"weight_bits must be positive, got {weight_bits!r}")
    if not (kv_bytes_per_token >= 0 and math.isfinite(kv_bytes_per_token)):
        raise ValueError(f"kv_bytes_per_token must be non-negative, got {kv_bytes_per_token!r}")
    if not activation_bytes > 0:
        raise ValueError("activation_bytes must be positive")
    if t > 1 and gpu.single_device:
        raise ValueError(f"{gpu.name} is a single device (no interconnect): a replica cannot be split over {t} of "
                         "them by tensor parallelism; use 1")
    if shape.num_heads % t:
        raise ValueError(f"{shape.num_heads} attention heads do not split over {t} GPUs "
                         "(tensor parallelism needs heads divisible by the GPU count)")

    peak, used_precision = compute_peak_flops(gpu, weight_bits, precision)
    bandwidth = gpu.bandwidth_bytes_per_s
    link = gpu.link_bytes_per_s or FALLBACK_LINK_BYTES_PER_S
    latency_band = efficiency.allreduce_latency_s.get(gpu.interconnect, efficiency.allreduce_latency_s["pcie"])
    bytes_per_param = weight_bits / 8
    kv_share = 1.0 if shape.kv_heads is None else 1.0 / min(t, shape.kv_heads)
    mean_context = prompt_tokens + output_tokens / 2

    # one decode step of `batch` sequences at the mean context, per GPU
    decode_weight_bytes = shape.params_read(batch) * bytes_per_param / t
    decode_kv_bytes = batch * mean_context * kv_bytes_per_token * kv_share
    matmul_params = shape.active_params - shape.unread_params
    decode_flops = (2 * matmul_params * batch
                    + batch * shape.attention_flops(lambda w: _attended(mean_context, w))) / t
    decode_message = batch * shape.hidden_size * activation_bytes

    # one prefill pass of `prefill_batch` prompts, per GPU
    prefill_tokens = prefill_batch * prompt_tokens
    prefill_weight_bytes = shape.params_read(prefill_tokens) * bytes_per_param / t
    prefill_flops = (2 * (matmul_params - shape.logits_params) * prefill_tokens
                     + 2 * shape.logits_params * prefill_batch
                     + prefill_batch * shape.attention_flops(lambda w: _causal_pairs(prompt_tokens, w))) / t
    prefill_message = prefill_tokens * shape.hidden_size * activation_bytes

    tpot: dict[Scenario, float] = {}
    ttft: dict[Scenario, float] = {}
    likely_parts: dict[str, float] = {}
    for s in _SCENARIOS:
        mbu = _pick(efficiency.mbu, s, "high")
        link_eff = _pick(efficiency.link_efficiency, s, "high")
        latency = _pick(latency_band, s, "low")
        memory_s = (decode_weight_bytes + decode_kv_bytes) / (bandwidth * mbu)
        compute_s = decode_flops / (peak * _pick(efficiency.mfu_decode, s, "high"))
        comm_s = 2 * shape.num_layers * _allreduce_s(decode_message, t, link, link_eff, latency)
        tpot[s] = max(memory_s, compute_s) + comm_s + _pick(efficiency.decode_step_overhead_s, s, "low")

        p_memory_s = prefill_weight_bytes / (bandwidth * mbu)
        p_compute_s = prefill_flops / (peak * _pick(efficiency.mfu_prefill, s, "high"))
        p_comm_s = 2 * shape.num_layers * _allreduce_s(prefill_message, t, link, link_eff, latency)
        ttft[s] = max(p_memory_s, p_compute_s) + p_comm_s + _pick(efficiency.prefill_overhead_s, s, "low")
        if s == "likely":
            likely_parts = {"memory_s": memory_s, "compute_s": compute_s, "allreduce_s": comm_s,
                            "prefill_memory_s": p_memory_s, "prefill_compute_s": p_compute_s,
                            "prefill_allreduce_s": p_comm_s}

    def times(values: dict[Scenario, float], k: float = 1.0) -> Range:
        return Range(values["optimistic"] * k, values["likely"] * k, values["pessimistic"] * k)

    def rates(values: dict[Scenario, float], numerator: float) -> Range:
        return Range(numerator / values["pessimistic"], numerator / values["likely"],
                     numerator / values["optimistic"])

    passes = math.ceil(batch / prefill_batch)
    static = {s: passes * ttft[s] + (output_tokens - 1) * tpot[s] for s in _SCENARIOS}
    request = {s: ttft[s] + (output_tokens - 1) * tpot[s] for s in _SCENARIOS}

    assumptions = [
        f"roofline on {t} x {gpu.name} ({gpu.bandwidth_bytes_per_s / 1e9:g} GB/s, "
        f"{peak / 1e12:g} dense {used_precision.upper()} TFLOPS each"
        + (", tensor parallel)" if t > 1 else ")"),
        *efficiency.describe(),
        f"weights at {weight_bits:g} bits per parameter; KV cache {kv_bytes_per_token:g} bytes per token",
        f"decode at the mean context of the generation: {prompt_tokens} prompt + {output_tokens}/2 "
        f"output = {mean_context:g} tokens, batch {batch}",
        f"prefill of {prefill_batch} prompt(s) of {prompt_tokens} tokens together on an idle replica; "
        "logits for the last position only; no queueing, no chunked-prefill interference",
    ]
    if shape.unread_params:
        assumptions.append(f"decode does not stream the {shape.unread_params:,} input-embedding parameters (a lookup)")
    if shape.moe_layers:
        touched = experts_touched(shape.num_experts, shape.experts_per_token, batch)
        assumptions.append(
            f"MoE: a decode step reads {touched:.1f} of {shape.num_experts} experts per layer at batch {batch} "
            f"(uniform routing: E(1-(1-k/E)^B), k={shape.experts_per_token}); FLOPs use the active parameters")
    if t > 1:
        link_note = f"{link / 1e9:g} GB/s per GPU ({gpu.interconnect})"
        if gpu.link_bytes_per_s is None:
            link_note += ", assumed: the GPU states no link bandwidth"
        assumptions.append(
            f"tensor parallel: 2 ring all-reduces per layer of tokens x {shape.hidden_size} x "
            f"{activation_bytes:g} bytes over {link_note}, per-call latency "
            f"{latency_band.low * 1e6:g}/{latency_band.likely * 1e6:g}/{latency_band.high * 1e6:g} us")
        if shape.kv_heads is not None and shape.kv_heads < t:
            assumptions.append(f"{shape.kv_heads} KV heads on {t} GPUs: each GPU holds and reads a replicated head")
    if shape.kv_heads is None:
        assumptions.append("the KV cache (an MLA latent) is whole on every GPU")

    decode_bound = "compute" if likely_parts["compute_s"] > likely_parts["memory_s"] else "memory"
    prefill_bound = "compute" if likely_parts["prefill_compute_s"] > likely_parts["prefill_memory_s"] else "memory"
    return SpeedEstimate(
        tpot_ms=times(tpot, 1e3),
        decode_tokens_per_s_per_stream=rates(tpot, 1.0),
        decode_tokens_per_s_aggregate=rates(tpot, float(batch)),
        ttft_ms=times(ttft, 1e3),
        prefill_tokens_per_s=rates(ttft, float(prefill_tokens)),
        request_latency_ms=times(request, 1e3),
        static_batch_output_tokens_per_s=rates(static, float(batch * output_tokens)),
        decode_bound=decode_bound,
        prefill_bound=prefill_bound,
        per_step=MappingProxyType({
            "weight_bytes_read_per_gpu": decode_weight_bytes,
            "kv_bytes_read_per_gpu": decode_kv_bytes,
            "flops_per_gpu": decode_flops,
            **likely_parts,
        }),
        assumptions=tuple(assumptions),
        inputs=MappingProxyType({
            "gpu": gpu.name, "gpu_count": t, "weight_bits": weight_bits,
            "kv_bytes_per_token": kv_bytes_per_token, "prompt_tokens": prompt_tokens,
            "output_tokens": output_tokens, "batch": batch, "prefill_batch": prefill_batch,
            "activation_bytes": activation_bytes, "precision": used_precision,
            "total_params": shape.total_params, "active_params": shape.active_params,
        }),
    )
