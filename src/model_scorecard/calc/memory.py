"""GPU memory of serving a model: weights, KV cache, engine overhead, and which GPUs fit.

Pure functions and frozen dataclasses; bytes everywhere, units in names, every assumption a
visible parameter (docs/domain.md §2–§5). The accounting follows what vLLM does at start-up:

    KV budget per GPU = GPU memory × gpu_memory_utilization − weights/t − activation peak
                        − memory outside the framework − CUDA graphs
    KV capacity (tokens) = budget / KV bytes per token per GPU
    maximum concurrency at a context = capacity / context

and start-up fails when one request of the full context does not fit.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from model_scorecard.calc.architecture import (
    CHUNKED_ATTENTION,
    FULL_ATTENTION,
    MLA,
    SLIDING_ATTENTION,
    Architecture,
)
from model_scorecard.units import MAX_BATCH, MAX_BYTES, MAX_TOKENS, OutOfRange

GIB = 1024**3
#: The largest byte figure an estimate may come to: what a signed 64-bit integer holds (JSON
#: readers, and every report, take the figures as integers). Beyond it no hardware exists;
#: :func:`estimate_memory` refuses the request (exit 2) instead of printing an overflow.
MAX_ESTIMATE_BYTES = 2**63 - 1
TP_SIZES = (1, 2, 4, 8)
BLOCK_TOKENS = 16  # vLLM's default KV block (--block-size 16)


# --------------------------------------------------------------------------- precision

@dataclass(frozen=True)
class Precision:
    """How weights are stored.

    ``bits`` is the storage per quantised weight with its share of scales and zero points;
    ``value_bits`` is the value alone (the 2024 roadmap post's VRAM table counts only these). When
    ``keeps_embeddings_16bit``, the token embeddings and output head stay in 16 bit, as
    GPTQ, AWQ, fp8 and NVFP4 checkpoints leave them.
    """

    name: str
    bits: float
    value_bits: float
    keeps_embeddings_16bit: bool = False
    note: str = ""


PRECISIONS: dict[str, Precision] = {
    p.name: p for p in (
        Precision("fp32", 32, 32, note="full precision"),
        Precision("bf16", 16, 16, note="bfloat16, the usual serving dtype"),
        Precision("fp16", 16, 16, note="float16"),
        Precision("fp8", 8.002, 8, True,
                  "fp8 e4m3 weights with per-channel scales (≈0.002 bit each); embeddings and head in bf16"),
        Precision("int8", 8.002, 8, True,
                  "int8 weights (W8A8 / LLM.int8) with per-channel scales; embeddings and head in 16 bit"),
        Precision("int4", 4 + (16 + 4) / 128, 4, True,
                  "GPTQ/AWQ int4, group 128: an fp16 scale and a 4-bit zero point per 128 weights "
                  "(4.16 bits); embeddings and head in 16 bit"),
        Precision("nvfp4", 4.5, 4, True, "NVFP4: an fp8 scale per 16 fp4 values; embeddings and head in 16 bit"),
        Precision("mxfp4", 4.25, 4, True, "MXFP4: an e8m0 scale per 32 fp4 values; embeddings and head in 16 bit"),
    )
}


def bits_precision(bits: float) -> Precision:
    """``--bits N``: N bits per weight, everything included, nothing kept in 16 bit."""
    if not (0 < bits <= 32) or math.isnan(bits):
        raise ValueError(f"bits per weight must be in (0, 32], got {bits!r}")
    return Precision(f"{bits:g}-bit", float(bits), float(bits), False, f"{bits:g} bits per weight, as given")


@dataclass(frozen=True)
class WeightBytes:
    """Weights by part: quantised values, their scales/zeros, and 16-bit embeddings/head."""

    values_bytes: float
    metadata_bytes: float
    kept_16bit_bytes: float
    kept_16bit_params: int

    @property
    def total_bytes(self) -> float:
        return self.values_bytes + self.metadata_bytes + self.kept_16bit_bytes


def weight_bytes(total_params: int, precision: Precision, embedding_params: int = 0) -> WeightBytes:
    """Bytes of the weights: Σ params × bits / 8, with 16-bit embeddings where the format keeps them.

    ``embedding_params`` counts the token embeddings plus an untied output head (0 when
    unknown: then everything is counted at ``precision``).
    """
    if total_params < 0 or embedding_params < 0 or embedding_params > total_params:
        raise ValueError("need 0 ≤ embedding_params ≤ total_params")
    kept = embedding_params if precision.keeps_embeddings_16bit and precision.bits < 16 else 0
    quantised = total_params - kept
    return WeightBytes(quantised * precision.value_bits / 8, quantised * (precision.bits - precision.value_bits) / 8,
                       kept * 2.0, kept)


# --------------------------------------------------------------------------- KV cache

KV_DTYPE_BYTES: dict[str, float] = {"bf16": 2, "fp16": 2, "fp32": 4, "fp8": 1, "fp8_e4m3": 1, "fp8_e5m2": 1}


def kv_heads_per_gpu(num_kv_heads: int, tensor_parallel: int) -> int:
    """KV heads each GPU holds: split when there are enough, else each GPU keeps one (replicated)."""
    return max(1, num_kv_heads // tensor_parallel)


def kv_bytes_per_token_by_layer(arch: Architecture, kv_bytes: float, tensor_parallel: int = 1) -> tuple[float, ...]:
    """Bytes one token adds to each layer's cache on ONE GPU at a tensor-parallel size.

    Attention: 2 × KV heads on this GPU × head_dim × bytes. MLA: one latent of
    kv_lora_rank + qk_rope_head_dim on every GPU (not split). Encoder layers: nothing.
    """
    per_gpu_heads = kv_heads_per_gpu(arch.num_kv_heads, tensor_parallel)
    out = []
    for kind, elements in zip(arch.layer_types, arch.kv_elements_per_token_by_layer, strict=True):
        if kind == MLA or elements == 0:
            out.append(elements * kv_bytes)
        elif kind == FULL_ATTENTION and arch.global_head_dim is not None and arch.global_num_kv_heads is not None:
            # Gemma 4's global layers: their own KV heads and head width
            out.append(2 * kv_heads_per_gpu(arch.global_num_kv_heads, tensor_parallel) * arch.global_head_dim * kv_bytes)
        else:
            out.append(2 * per_gpu_heads * arch.head_dim * kv_bytes)
    return tuple(out)


def blocks_tokens(tokens: int, block: int = BLOCK_TOKENS) -> int:
    """Tokens a sequence occupies once rounded up to whole KV blocks."""
    return -(-tokens // block) * block if block > 1 else tokens


def kv_cache_bytes(arch: Architecture, context: int, batch: int, kv_bytes: float, tensor_parallel: int = 1,
                   block: int = BLOCK_TOKENS, sliding_holds_prompt: bool = False) -> float:
    """KV cache of ``batch`` sequences of ``context`` tokens, on ONE GPU.

    Sliding-window layers hold at most the window (vLLM's hybrid allocator) unless
    ``sliding_holds_prompt`` (transformers keeps the whole prompt's keys and values until
    the first decode step); every sequence is rounded up to whole blocks.
    """
    if context <= 0 or batch <= 0:
        raise ValueError("context and batch must be positive")
    per_layer = kv_bytes_per_token_by_layer(arch, kv_bytes, tensor_parallel)
    total = 0.0
    for kind, b in zip(arch.layer_types, per_layer, strict=True):
        held = context
        if kind == SLIDING_ATTENTION and arch.sliding_window and not sliding_holds_prompt:
            held = min(context, arch.sliding_window + block)  # the window plus the block being filled
        elif kind == CHUNKED_ATTENTION and arch.attention_chunk_size and not sliding_holds_prompt:
            held = min(context, arch.attention_chunk_size + block)  # the current chunk, block-rounded
        total += b * blocks_tokens(held, block)
    return total * batch


#: Bytes per element of the constant state of linear-attention / SSM layers, as vLLM keeps it by
#: default (``--mamba-cache-dtype auto``, ``--mamba-ssm-cache-dtype auto``): the convolution
#: state in the model dtype (bf16, 2 bytes) and the recurrent / SSM state in the model dtype too,
#: unless the config names ``mamba_ssm_dtype: float32`` (Qwen3.5), which vLLM follows (4 bytes).
STATE_CONV_BYTES = 2.0


def state_bytes_per_sequence(arch: Architecture, tensor_parallel: int = 1) -> float:
    """Bytes of the constant per-sequence state (conv + recurrent/SSM) of the linear-attention /
    SSM layers, on ONE GPU: vLLM splits the state's heads over the tensor-parallel GPUs. 0 for
    a model of attention layers only; it does not grow with the context."""
    if not arch.state_elements_per_sequence:
        return 0.0
    recurrent = 4.0 if arch.recurrent_state_dtype == "float32" else STATE_CONV_BYTES
    total = arch.conv_state_elements * STATE_CONV_BYTES + arch.recurrent_state_elements * recurrent
    return total / tensor_parallel


def kv_bytes_per_token(arch: Architecture, kv_bytes: float, tensor_parallel: int = 1) -> float:
    """Bytes per token of full context on ONE GPU, every layer counted (no sliding window)."""
    return sum(kv_bytes_per_token_by_layer(arch, kv_bytes, tensor_parallel))


# --------------------------------------------------------------------------- engine

@dataclass(frozen=True)
class Engine:
    """What a serving engine takes besides weights and KV cache.

    ``gpu_memory_utilization``: the share of the GPU the engine may use (vLLM's flag; 1.0 for
    engines that allocate on demand). ``non_torch_bytes``: CUDA context, cuBLAS/NCCL
    workspaces. ``cuda_graph_bytes``: captured graphs. Activations are profiled with
    ``max_num_batched_tokens`` tokens in flight; logits for ``max_num_seqs`` sequences in fp32.
    ``preallocates_kv``: the engine reserves its whole KV budget at start-up.
    ``kv_block_tokens``: the unit a sequence's cache grows by. ``sliding_holds_prompt``:
    sliding-window layers keep the whole prompt after the prefill (the peak), not the window.
    """

    name: str
    gpu_memory_utilization: float
    non_torch_bytes: float
    cuda_graph_bytes: float
    max_num_batched_tokens: int
    max_num_seqs: int
    preallocates_kv: bool
    notes: tuple[str, ...] = ()
    kv_block_tokens: int = BLOCK_TOKENS
    sliding_holds_prompt: bool = False

    def kv_cache_bytes(self, arch: Architecture, context: int, batch: int, kv_bytes: float,
                       tensor_parallel: int = 1) -> float:
        """KV cache of ``batch`` × ``context`` on ONE GPU, laid out as this engine lays it out."""
        return kv_cache_bytes(arch, context, batch, kv_bytes, tensor_parallel, self.kv_block_tokens,
                              self.sliding_holds_prompt)

    def sequence_bytes(self, arch: Architecture, context: int, batch: int, kv_bytes: float,
                       tensor_parallel: int = 1) -> float:
        """What ``batch`` sequences of ``context`` tokens take on ONE GPU: their KV cache plus the
        constant state of any linear-attention / SSM layers."""
        kv = self.kv_cache_bytes(arch, context, batch, kv_bytes, tensor_parallel) if arch.layer_types else 0.0
        return kv + batch * state_bytes_per_sequence(arch, tensor_parallel)


ENGINES: dict[str, Engine] = {
    "vllm": Engine(
        "vllm", 0.90, 0.75 * GIB, 0.5 * GIB, 8192, 256, True,
        ("vLLM defaults: --gpu-memory-utilization 0.9, --max-num-batched-tokens 8192, --max-num-seqs 256, "
         "16-token KV blocks",
         "memory outside PyTorch (CUDA context, cuBLAS, NCCL) 0.75 GiB; vLLM logs 0.5–1 GiB",
         "CUDA graphs 0.5 GiB (vLLM logs 0.2–1.5 GiB; --enforce-eager saves it)")),
    "transformers": Engine(
        "transformers", 1.0, 0.7 * GIB, 0.0, 0, 0, False,
        ("transformers generate(): KV cache grows token by token, no preallocation or CUDA graphs; "
         "sliding-window layers hold the whole prompt until the first decode step",
         "CUDA context and cuBLAS workspace 0.7 GiB (measured 0.68 GiB on an H100, torch 2.11, CUDA 13; "
         "docs/accuracy.md)",
         "activations of the prefill forward for the whole batch; logits only for the last token"),
        kv_block_tokens=1, sliding_holds_prompt=True),
    "llama.cpp": Engine(
        "llama.cpp", 1.0, 0.3 * GIB, 0.0, 512, 1, True,
        ("llama.cpp: KV cache for the full -c context allocated at start-up, per slot",
         "CUDA context 0.3 GiB; compute buffer for a 512-token micro-batch")),
}


def activation_bytes(arch: Architecture, engine: Engine, tensor_parallel: int = 1, batch: int = 1,
                     context: int = 1, act_bytes: float = 2) -> float:
    """Peak activation memory of one forward pass on ONE GPU (a rough, stated model).

    Tokens in flight T (vLLM: max_num_batched_tokens; transformers: the whole prefill of the
    batch; llama.cpp: its micro-batch) × per-token working set in 16 bit: residual and
    normalised hidden state (2h), q/k/v (H+2·Hkv)·d/t, and the MLP's live tensors — gated:
    gate and up projections and their product (3·I/t); plain: the projection and its
    activation (2·I/t); MoE: k experts' worth — plus fp32 logits of the vocabulary for the
    sequences sampled at once. Checked against a prefill on an H100 in docs/accuracy.md.
    """
    t = tensor_parallel
    if engine.name == "transformers":
        tokens, seqs = batch * context, batch
    else:
        tokens, seqs = engine.max_num_batched_tokens, engine.max_num_seqs
    mlp = arch.intermediate_size or 0
    if arch.is_moe and arch.moe_intermediate_size:
        mlp = max(mlp, arch.moe_intermediate_size * (arch.experts_per_token or 1)
                  + (arch.shared_expert_intermediate_size or 0))
    mlp_live = 3 if arch.gated_mlp else 2
    per_token = (2 * arch.hidden_size + (arch.num_heads + 2 * arch.num_kv_heads) * arch.head_dim / t
                 + mlp_live * mlp / t) * act_bytes
    return tokens * per_token + seqs * arch.vocab_size * 4.0


# --------------------------------------------------------------------------- fit

@dataclass(frozen=True)
class Fit:
    """One GPU type at the smallest tensor-parallel size that serves one full-context request."""

    gpu: str
    gpu_memory_bytes: int
    count: int | None  # None: not even `most_gpus` GPUs fit
    fits: bool
    per_gpu_weights_bytes: float
    per_gpu_overhead_bytes: float
    per_gpu_kv_budget_bytes: float
    per_gpu_used_bytes: float  # weights + overhead + KV for the requested batch × context
    kv_capacity_tokens: int
    max_concurrency: float
    batch_fits: bool
    reason: str
    most_gpus: int = max(TP_SIZES)  # the largest tensor-parallel size tried (1: a single device)


@dataclass(frozen=True)
class MemoryEstimate:
    params: int
    active_params: int
    precision: Precision
    weights: WeightBytes
    kv_dtype: str
    kv_bytes_per_token: float  # full-attention figure, one GPU, tensor parallel 1
    context: int
    batch: int
    kv_cache_bytes: float  # batch × context, tensor parallel 1
    overhead_bytes: float  # tensor parallel 1
    engine: Engine
    fits: tuple[Fit, ...] = ()
    assumptions: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    #: The constant state of linear-attention / SSM layers: per sequence × batch, tensor parallel 1
    #: (0 for a model of attention layers only).
    kv_state_bytes: float = 0.0
    #: The architecture was read as a generic Llama-like decoder (an unknown family): approximate.
    approximate: bool = False

    @property
    def weights_bytes(self) -> float:
        return self.weights.total_bytes

    @property
    def total_bytes(self) -> float:
        return self.weights_bytes + self.kv_cache_bytes + self.kv_state_bytes + self.overhead_bytes


def overhead_bytes(arch: Architecture, engine: Engine, tensor_parallel: int = 1, batch: int = 1,
                   context: int = 1) -> float:
    """Per-GPU memory besides weights and KV cache: outside the framework, CUDA graphs, activations."""
    return engine.non_torch_bytes + engine.cuda_graph_bytes + activation_bytes(arch, engine, tensor_parallel,
                                                                               batch, context)


def tensor_parallel_allowed(arch: Architecture, t: int) -> bool:
    """Whether vLLM can split ``arch`` over ``t`` GPUs: query heads split evenly; KV heads
    split evenly or replicated whole."""
    if arch.num_heads % t:
        return False
    h = arch.num_kv_heads
    return h % t == 0 or t % h == 0


def fit_on_gpu(arch: Architecture, weights_total_bytes: float, gpu_name: str, gpu_memory_bytes: int, *,
               context: int, batch: int, kv_bytes: float, engine: Engine,
               tp_sizes: Sequence[int] = TP_SIZES) -> Fit:
    """The smallest tensor-parallel size whose per-GPU budget holds one full-context request."""
    last: Fit | None = None
    for t in tp_sizes:
        if not tensor_parallel_allowed(arch, t):
            continue
        per_w = weights_total_bytes / t
        over = overhead_bytes(arch, engine, t, batch, context)
        budget = gpu_memory_bytes * engine.gpu_memory_utilization - per_w - over
        one = engine.sequence_bytes(arch, context, 1, kv_bytes, t)
        want = engine.sequence_bytes(arch, context, batch, kv_bytes, t)
        state = state_bytes_per_sequence(arch, t)
        per_token = (one - state) / blocks_tokens(context)
        # KV capacity in tokens: the budget less one sequence's constant state
        capacity = max(0, int((budget - state) // per_token)) if per_token else 0
        capacity -= capacity % BLOCK_TOKENS
        concurrency = max(0.0, budget) / one if one else math.inf
        fits = budget >= one
        reason = (f"{t}× {gpu_name}: {'fits' if fits else 'too small'} — KV budget {max(0.0, budget) / 1e9:.1f} GB "
                  f"per GPU, one {context:,}-token request needs {one / 1e9:.2f} GB")
        last = Fit(gpu_name, gpu_memory_bytes, t if fits else None, fits, per_w, over, budget, per_w + over + want,
                   capacity, concurrency, budget >= want, reason, max(tp_sizes))
        if fits:
            return last
    if last is None:
        return Fit(gpu_name, gpu_memory_bytes, None, False, weights_total_bytes, 0.0, 0.0, 0.0, 0, 0.0, False,
                   f"no tensor-parallel size in {tuple(tp_sizes)} divides {arch.num_heads} heads", max(tp_sizes))
    return replace(last, count=None)


def max_context_that_fits(arch: Architecture, weights_total_bytes: float, gpu_memory_bytes: int, *, t: int,
                          kv_bytes: float, engine: Engine, batch: int = 1) -> int:
    """The longest context (multiple of 16) for which one request fits on t GPUs (0 if none)."""
    lo, hi = 0, 1 << 24
    while hi - lo > BLOCK_TOKENS:
        mid = (lo + hi) // 2 // BLOCK_TOKENS * BLOCK_TOKENS or BLOCK_TOKENS
        budget = (gpu_memory_bytes * engine.gpu_memory_utilization - weights_total_bytes / t
                  - overhead_bytes(arch, engine, t, batch, mid))
        if budget >= engine.sequence_bytes(arch, mid, 1, kv_bytes, t):
            lo = mid
        else:
            hi = mid
    return lo


def estimate_memory(arch: Architecture, *, params: int | None = None, active_params: int | None = None,
                    precision: Precision, context: int, batch: int = 1, kv_dtype: str = "bf16",
                    engine: Engine = ENGINES["vllm"], gpus: Mapping[str, int] | None = None,
                    sources: Mapping[str, str] | None = None, assumptions: Sequence[str] = (),
                    weights: WeightBytes | None = None, single_device: Collection[str] = ()) -> MemoryEstimate:
    """Weights, KV cache and overhead on one GPU's worth of memory, and the fit on each GPU.

    ``arch`` gives layers, heads and embeddings; ``params``/``active_params`` override its
    counts (the size shorthand: weights from the stated size, the rest from a reference).
    ``gpus`` maps GPU names to their memory in bytes. ``weights``, when given, are the
    weights as measured (the exact bytes of a checkpoint's tensors) instead of params × bits.
    ``single_device``: names of ``gpus`` that are one device with no interconnect (a unified-memory
    SoC): their fit is on one of them only, never tensor-parallel.
    """
    if kv_dtype not in KV_DTYPE_BYTES:
        raise ValueError(f"unknown KV dtype {kv_dtype!r}; one of {', '.join(KV_DTYPE_BYTES)}")
    for what, n, limit in (("context", context, MAX_TOKENS), ("batch", batch, MAX_BATCH)):
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= limit:
            shown = f"{n:,}" if isinstance(n, int) and n.bit_length() <= 200 else "out of range"
            raise OutOfRange(f"{what} {shown} is not a whole number from 1 to {limit:,}")
    for name, mem in (gpus or {}).items():
        if isinstance(mem, bool) or not isinstance(mem, int) or not 0 < mem <= MAX_BYTES:
            raise OutOfRange(f"GPU {name}: memory of {mem if isinstance(mem, int) and mem.bit_length() < 200 else '?'} "
                             f"bytes is not a size from 1 to {MAX_BYTES:,}")
    kv_b = KV_DTYPE_BYTES[kv_dtype]
    total = arch.total_params if params is None else params
    active = (arch.active_params if params is None else
              active_params if active_params is not None else round(total * arch.active_params / arch.total_params))
    embed = arch.param_breakdown["embeddings"] + arch.param_breakdown["lm_head"]
    embed = round(embed * total / arch.total_params) if params is not None else embed
    if weights is None:
        weights = weight_bytes(total, precision, min(embed, total))
    kv = engine.kv_cache_bytes(arch, context, batch, kv_b) if arch.layer_types else 0.0
    state = batch * state_bytes_per_sequence(arch)
    over = overhead_bytes(arch, engine, 1, batch, context)
    total_bytes = weights.total_bytes + kv + state + over
    if not math.isfinite(total_bytes) or total_bytes > MAX_ESTIMATE_BYTES:
        raise OutOfRange(f"serving {total:,} parameters at a context of {context:,} tokens and a batch of {batch:,} "
                         f"comes to {total_bytes:.3g} bytes, beyond any hardware and what a 64-bit integer holds",
                         hint="lower the context or the batch")
    fits = tuple(fit_on_gpu(arch, weights.total_bytes, name, mem, context=context, batch=batch, kv_bytes=kv_b,
                            engine=engine, tp_sizes=(1,) if name in single_device else TP_SIZES)
                 for name, mem in (gpus or {}).items())
    notes = [precision.note, *engine.notes,
             f"KV cache in {kv_dtype} ({kv_b:g} bytes per element)"
             + (f", {engine.kv_block_tokens}-token blocks" if engine.kv_block_tokens > 1 else "")]
    if (any(k == SLIDING_ATTENTION for k in arch.layer_types) and arch.sliding_window
            and not engine.sliding_holds_prompt):
        notes.append(f"sliding-window layers hold at most {arch.sliding_window:,} tokens")
    if (any(k == CHUNKED_ATTENTION for k in arch.layer_types) and arch.attention_chunk_size
            and not engine.sliding_holds_prompt):
        notes.append(f"chunked-attention layers hold at most one {arch.attention_chunk_size:,}-token chunk")
    if state:
        recurrent = "fp32" if arch.recurrent_state_dtype == "float32" else "bf16"
        notes.append(f"linear-attention/SSM layers keep a constant state per sequence "
                     f"({arch.state_elements_per_sequence:,} elements: convolution state in bf16, recurrent/SSM "
                     f"state in {recurrent}, as vLLM keeps them by default), whatever the context")
    if arch.approximate:
        notes.append(f"unknown model_type {arch.model_type!r}: counted as a generic Llama-like decoder from its "
                     "standard keys, an approximation")
    if any(k == MLA for k in arch.layer_types):
        notes.append("MLA: one compressed latent per token and layer, as vLLM/SGLang cache it, replicated on every GPU")
    if arch.num_kv_heads < 8:
        notes.append(f"{arch.num_kv_heads} KV heads: beyond {arch.num_kv_heads}-way tensor parallelism each GPU "
                     "keeps a replica")
    alone = [name for name in (gpus or {}) if name in single_device]
    if alone:
        notes.append(f"{', '.join(alone)}: one device with no interconnect (unified memory), sized on one only; "
                     "no tensor parallelism across devices")
    notes.extend(assumptions)
    return MemoryEstimate(total, active, precision, weights, kv_dtype, kv_bytes_per_token(arch, kv_b), context,
                          batch, kv, over, engine, fits, tuple(notes), dict(sources or {}), state, arch.approximate)


def as_dict(est: MemoryEstimate) -> dict[str, Any]:
    """The JSON form: bytes as integers, names of every input."""
    return {
        "params": est.params,
        "active_params": est.active_params,
        "precision": est.precision.name,
        "bits_per_weight": round(est.precision.bits, 4),
        "weights_bytes": round(est.weights_bytes),
        "weights": {"values_bytes": round(est.weights.values_bytes),
                    "quantisation_metadata_bytes": round(est.weights.metadata_bytes),
                    "kept_16bit_bytes": round(est.weights.kept_16bit_bytes),
                    "kept_16bit_params": est.weights.kept_16bit_params},
        "kv_dtype": est.kv_dtype,
        "kv_bytes_per_token": round(est.kv_bytes_per_token),
        # only for models that keep one (hybrid linear-attention / SSM), so other reports are unchanged
        **({"kv_state_bytes": round(est.kv_state_bytes)} if est.kv_state_bytes else {}),
        "kv_cache_bytes": round(est.kv_cache_bytes),
        "overhead_bytes": round(est.overhead_bytes),
        "total_bytes": round(est.total_bytes),
        "context": est.context,
        "batch": est.batch,
        "engine": est.engine.name,
        "gpus": [{"name": f.gpu, "count": f.count, "fits": f.fits, "memory_bytes": f.gpu_memory_bytes,
                  "per_gpu_used_bytes": round(f.per_gpu_used_bytes),
                  "kv_capacity_tokens": f.kv_capacity_tokens, "max_concurrency": round(f.max_concurrency, 2),
                  "batch_fits": f.batch_fits} for f in est.fits],
        "sources": dict(est.sources),
        "assumptions": list(est.assumptions),
        **({"approximate": True} if est.approximate else {}),
    }
