"""What fine-tuning adapts: a model's trainable shape, and the LoRA adapters that sit on its matrices.

:func:`shape_from_architecture` reads the per-layer matrices of a real config; :func:`shape_from_params`
assumes a Llama-like shape for a bare parameter count (and says so). :func:`lora_adapter_params` counts
``rank x (d_in + d_out)`` per adapted matrix, exactly as PEFT prints it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from model_scorecard.calc.architecture import MLA, Architecture
from model_scorecard.errors import UserError
from model_scorecard.units import MAX_PARAMS, OutOfRange

__all__ = ["ALL_LORA_MODULES", "ATTENTION_LAYER_KINDS", "FinetuneShape", "LoraTarget", "lora_adapter_params", "lora_targets",
           "shape_from_architecture", "shape_from_params"]

#: The module names LoRA may target: attention q/k/v/o and MLP gate/up/down.
ALL_LORA_MODULES: tuple[str, ...] = ("q", "k", "v", "o", "gate", "up", "down")
_ATTENTION = ("q", "k", "v", "o")
#: Layer kinds that hold q/k/v/o projections (MLA, Mamba, linear attention and convolutions do not).
_ATTENTION_KINDS = frozenset({"full_attention", "sliding_attention", "chunked_attention", "bidirectional_attention"})
#: Layer kinds a transformer's activation formula describes: attention of any kind, MLA, MLP-only layers.
ATTENTION_LAYER_KINDS = _ATTENTION_KINDS | {MLA, "mlp"}
#: Families whose q/k/v projections are one fused matrix (PEFT then adapts that one matrix).
_FUSED_QKV = frozenset({"gpt2", "gpt_neox", "falcon", "phi3"})
#: Families whose MLP gate and up projections are one fused matrix (Granite 4.0 H: ``input_linear``).
_FUSED_GATE_UP = frozenset({"phi3", "granitemoehybrid"})
#: Families whose full-attention query projection is twice as wide: a query and an output gate per head.
_GATED_QUERY = frozenset({"qwen3_next", "qwen3_5", "qwen3_5_moe"})


@dataclass(frozen=True)
class LoraTarget:
    """One adapted matrix kind in one layer: ``copies`` matrices of ``d_in`` x ``d_out``."""

    module: str
    d_in: int
    d_out: int
    copies: int = 1

    def params(self, rank: int) -> int:
        """LoRA's A (rank x d_in) and B (d_out x rank) for every copy."""
        return rank * (self.d_in + self.d_out) * self.copies


@dataclass(frozen=True)
class FinetuneShape:
    """What the estimate needs to know about a model, from an Architecture or assumed.

    ``layer_params`` holds each transformer layer's parameters (they sum to everything but
    embeddings, output head and pooler). ``quantisable_params``: the linear layers, which NF4
    stores in 4 bit (their few biases counted with them); the rest (embeddings, head, norms,
    pooler) stays unquantised.
    ``targets_by_layer``: for each layer, each LoRA-adaptable matrix, keyed by module name.
    """

    num_layers: int
    hidden_size: int
    num_heads: int
    vocab_size: int
    total_params: int
    embedding_params: int
    lm_head_params: int
    layer_params: tuple[float, ...]
    quantisable_params: int
    targets_by_layer: tuple[tuple[LoraTarget, ...], ...]
    assumed: bool = False
    notes: tuple[str, ...] = ()
    layer_kinds: tuple[str, ...] = ()  # from the config; empty for an assumed shape (every layer attention)


def _mlp_targets(hidden: int, width: int, gated: bool, fused_gate_up: bool, copies: int = 1) -> list[LoraTarget]:
    if not gated:  # plain MLP: the first linear counts as "up", the second as "down"
        return [LoraTarget("up", hidden, width, copies), LoraTarget("down", width, hidden, copies)]
    if fused_gate_up:
        return [LoraTarget("gate_up", hidden, 2 * width, copies), LoraTarget("down", width, hidden, copies)]
    return [LoraTarget("gate", hidden, width, copies), LoraTarget("up", hidden, width, copies),
            LoraTarget("down", width, hidden, copies)]


def _attention_targets(arch: Architecture, i: int, kind: str, fused_qkv: bool) -> list[LoraTarget]:
    """q/k/v/o of one attention layer, with the widths of that layer."""
    h, heads, kv_heads, d = arch.hidden_size, arch.num_heads, arch.num_kv_heads, arch.head_dim
    has_v = True
    if kind == "full_attention" and arch.global_head_dim is not None:  # Gemma 4's global layers
        d, kv_heads = arch.global_head_dim, arch.global_num_kv_heads or kv_heads
        has_v = not arch.global_values_are_keys
    q_out, kv_out = heads * d, kv_heads * d
    o = LoraTarget("o", q_out, h)
    if fused_qkv:
        return [LoraTarget("qkv", h, q_out + 2 * kv_out), o]
    gated = kind == "full_attention" and arch.family in _GATED_QUERY
    q = LoraTarget("q", h, 2 * q_out if gated else q_out)
    if i in arch.kv_shared_layers:  # Gemma 4 E2B/E4B: reuses an earlier layer's keys and values
        return [q, o]
    return [q, LoraTarget("k", h, kv_out)] + ([LoraTarget("v", h, kv_out)] if has_v else []) + [o]


def _has_mlp(arch: Architecture, kind: str) -> bool:
    """Whether a (non-MoE) layer of this kind holds a dense MLP. Nemotron-H keeps its MLPs in layers
    of their own (``mlp``); pure state-space models (Mamba, Mamba-2) have none."""
    if "mlp" in arch.layer_types:
        return kind == "mlp"
    return arch.param_breakdown["mlp"] > 0


def shape_from_architecture(arch: Architecture) -> FinetuneShape:
    """The fine-tuning view of an exact :class:`Architecture` (per-layer widths from its config)."""
    L, h = arch.num_layers, arch.hidden_size
    if L <= 0:
        raise UserError(f"{arch.model_type}: no transformer layers to fine-tune")
    pb = arch.param_breakdown
    moe_layers = set(arch.moe_layer_indices)
    mlp_layers = [i for i, kind in enumerate(arch.layer_types) if i not in moe_layers and _has_mlp(arch, kind)]
    shared = (pb["attention"] + pb["norms"]) / L
    moe_each = (pb["experts"] + pb["router"] + pb["shared_experts"]) / len(moe_layers) if moe_layers else 0.0
    dense_each = pb["mlp"] / len(mlp_layers) if mlp_layers else 0.0
    dense = set(mlp_layers)
    layer_params = tuple(shared + (moe_each if i in moe_layers else dense_each if i in dense else 0.0)
                         for i in range(L))
    fused_qkv = arch.family in _FUSED_QKV
    fused_gu = arch.family in _FUSED_GATE_UP
    targets: list[tuple[LoraTarget, ...]] = []
    for i, kind in enumerate(arch.layer_types):
        layer: list[LoraTarget] = []
        if kind in _ATTENTION_KINDS:  # MLA's low-rank projections are not q/k/v/o matrices: see lora_targets()
            layer += _attention_targets(arch, i, kind, fused_qkv)
        if i in moe_layers:
            assert arch.num_experts and arch.moe_intermediate_size
            layer += _mlp_targets(h, arch.moe_intermediate_size, arch.gated_mlp, fused_gu, arch.num_experts)
            if arch.shared_expert_intermediate_size:
                layer += _mlp_targets(h, arch.shared_expert_intermediate_size, arch.gated_mlp, fused_gu)
        elif i in dense and arch.intermediate_size:
            width = arch.intermediate_size * (2 if i in arch.double_wide_mlp_layers else 1)
            layer += _mlp_targets(h, width, arch.gated_mlp, fused_gu)
        targets.append(tuple(layer))
    non_linear = pb["embeddings"] + pb["lm_head"] + pb["norms"] + pb["pooler"]
    notes = []
    if fused_qkv:
        notes.append(f"{arch.family}: q, k and v are one fused matrix; adapting any of them adapts that matrix")
    if fused_gu:
        notes.append(f"{arch.family}: gate and up are one fused matrix")
    mixers = sorted({kind for kind in arch.layer_types if kind not in _ATTENTION_KINDS and kind not in (MLA, "mlp")})
    if mixers:
        notes.append(f"{', '.join(mixers)} layers: their own projections (not q/k/v/o) are not adapted; LoRA on "
                     "them is not modelled")
    if moe_layers:
        notes.append("MoE: an MLP adapter is one per routed expert (and one on the shared expert), as PEFT adds "
                     "them when the expert projections are targeted")
    return FinetuneShape(L, h, arch.num_heads, arch.vocab_size, arch.total_params, pb["embeddings"], pb["lm_head"],
                         layer_params, arch.total_params - non_linear, tuple(targets), False, tuple(notes),
                         tuple(arch.layer_types))


def shape_from_params(params: int, *, width_per_layer: int = 128, vocab_size: int = 32_000,
                      mlp_ratio: float = 8 / 3) -> FinetuneShape:
    """An assumed Llama-like shape for a model known only by its parameter count.

    Assumptions (each a parameter): a dense decoder with multi-head attention (k and v as
    wide as q), a gated MLP ``mlp_ratio`` times the hidden size, an untied output head and a
    ``vocab_size`` vocabulary; hidden size = ``width_per_layer`` x layers (Llama-2-7B and
    -13B have 128, Llama-65B 102), the hidden size a multiple of 128. Each layer then holds
    about (4 + 3 x mlp_ratio) h^2 parameters.
    """
    if isinstance(params, bool) or not isinstance(params, int) or not 0 < params <= MAX_PARAMS:
        raise OutOfRange(f"a parameter count must be a whole number from 1 to {MAX_PARAMS:,}, got {params!r}")
    per_h2 = 4 + 3 * mlp_ratio
    # params ≈ L * per_h2 * h^2 + 2 V h with h = w L: solve for L by bisection (monotone)
    lo, hi = 1e-3, 1e6
    for _ in range(200):
        mid = (lo + hi) / 2
        h = width_per_layer * mid
        if mid * per_h2 * h * h + 2 * vocab_size * h > params:
            hi = mid
        else:
            lo = mid
    L = max(1, round(lo))
    embed_budget = 2 * vocab_size
    # hidden size from the count at that layer count, rounded to a multiple of 128 (at least 128)
    a, b, c = L * per_h2, embed_budget, -params
    h_exact = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    h = max(128, round(h_exact / 128) * 128)
    inter = max(1, round(mlp_ratio * h))
    embed = vocab_size * h
    lm_head = vocab_size * h
    body = max(0, params - embed - lm_head)
    layer = body / L
    heads = max(1, h // 128)
    targets = tuple(tuple([LoraTarget("q", h, h), LoraTarget("k", h, h), LoraTarget("v", h, h), LoraTarget("o", h, h)]
                          + _mlp_targets(h, inter, True, False)) for _ in range(L))
    notes = (f"shape assumed from {params:,} parameters: {L} layers, hidden size {h:,}, {heads} heads of 128, "
             f"gated MLP {inter:,} wide, multi-head attention, vocabulary {vocab_size:,}, untied output head",)
    return FinetuneShape(L, h, heads, vocab_size, params, embed, lm_head, (layer,) * L, body, targets, True, notes)


def lora_targets(shape: FinetuneShape, modules: Sequence[str], layer: int) -> tuple[LoraTarget, ...]:
    """The matrices LoRA adapts in one layer for the module names given (see ALL_LORA_MODULES).

    Fused matrices (``qkv``, ``gate_up``) are adapted once when any of their parts is named.
    """
    unknown = [m for m in modules if m not in ALL_LORA_MODULES]
    if unknown:
        raise UserError(f"unknown LoRA module(s) {', '.join(map(repr, unknown))}; choose from "
                        f"{', '.join(ALL_LORA_MODULES)}")
    wanted = set(modules)
    chosen = []
    for t in shape.targets_by_layer[layer]:
        parts = {"qkv": {"q", "k", "v"}, "gate_up": {"gate", "up"}}.get(t.module, {t.module})
        if parts & wanted:
            chosen.append(t)
    is_mla = bool(shape.layer_kinds) and shape.layer_kinds[layer] == MLA
    if wanted & set(_ATTENTION) and is_mla:
        raise UserError("LoRA on the attention of a multi-head latent attention (MLA) layer is not modelled: its "
                        "projections are low-rank pairs, not q/k/v/o matrices",
                        hint="target the MLP modules only (gate, up, down), or give a parameter count instead")
    return tuple(chosen)


def lora_adapter_params(shape: FinetuneShape, rank: int, modules: Sequence[str] = ALL_LORA_MODULES,
                        layers: Sequence[int] | None = None) -> int:
    """Adapter parameters: rank x (d_in + d_out) per adapted matrix, over ``layers`` (all by default).

    Equals PEFT's ``print_trainable_parameters`` count for a LoRA without bias or extra
    trainable modules.
    """
    if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
        raise OutOfRange(f"LoRA rank must be a positive whole number, got {rank!r}")
    chosen = range(shape.num_layers) if layers is None else layers
    return sum(t.params(rank) for i in chosen for t in lora_targets(shape, modules, i))


