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

__all__ = ["ALL_LORA_MODULES", "FinetuneShape", "LoraTarget", "lora_adapter_params", "lora_targets",
           "shape_from_architecture", "shape_from_params"]

#: The module names LoRA may target: attention q/k/v/o and MLP gate/up/down.
ALL_LORA_MODULES: tuple[str, ...] = ("q", "k", "v", "o", "gate", "up", "down")
_ATTENTION = ("q", "k", "v", "o")
#: Families whose q/k/v projections are one fused matrix (PEFT then adapts that one matrix).
_FUSED_QKV = frozenset({"gpt2", "gpt_neox", "falcon", "phi3"})
#: Families whose MLP gate and up projections are one fused matrix.
_FUSED_GATE_UP = frozenset({"phi3"})


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


def _mlp_targets(hidden: int, width: int, gated: bool, fused_gate_up: bool, copies: int = 1) -> list[LoraTarget]:
    if not gated:  # plain MLP: the first linear counts as "up", the second as "down"
        return [LoraTarget("up", hidden, width, copies), LoraTarget("down", width, hidden, copies)]
    if fused_gate_up:
        return [LoraTarget("gate_up", hidden, 2 * width, copies), LoraTarget("down", width, hidden, copies)]
    return [LoraTarget("gate", hidden, width, copies), LoraTarget("up", hidden, width, copies),
            LoraTarget("down", width, hidden, copies)]


def shape_from_architecture(arch: Architecture) -> FinetuneShape:
    """The fine-tuning view of an exact :class:`Architecture` (per-layer widths from its config)."""
    L, h = arch.num_layers, arch.hidden_size
    if L <= 0:
        raise UserError(f"{arch.model_type}: no transformer layers to fine-tune")
    pb = arch.param_breakdown
    moe_layers = set(arch.moe_layer_indices)
    dense_layers = L - len(moe_layers)
    shared = (pb["attention"] + pb["norms"]) / L
    moe_each = (pb["experts"] + pb["router"] + pb["shared_experts"]) / len(moe_layers) if moe_layers else 0.0
    dense_each = pb["mlp"] / dense_layers if dense_layers else 0.0
    layer_params = tuple(shared + (moe_each if i in moe_layers else dense_each) for i in range(L))
    q_out, kv_out = arch.num_heads * arch.head_dim, arch.num_kv_heads * arch.head_dim
    fused_qkv = arch.family in _FUSED_QKV
    fused_gu = arch.family in _FUSED_GATE_UP
    targets: list[tuple[LoraTarget, ...]] = []
    for i, kind in enumerate(arch.layer_types):
        layer: list[LoraTarget] = []
        if kind == MLA:
            pass  # MLA's low-rank projections are not q/k/v/o matrices: see lora_targets()
        elif fused_qkv:
            layer.append(LoraTarget("qkv", h, q_out + 2 * kv_out))
        else:
            layer += [LoraTarget("q", h, q_out), LoraTarget("k", h, kv_out), LoraTarget("v", h, kv_out)]
        if kind != MLA:
            layer.append(LoraTarget("o", q_out, h))
        if i in moe_layers:
            assert arch.num_experts and arch.moe_intermediate_size
            layer += _mlp_targets(h, arch.moe_intermediate_size, arch.gated_mlp, fused_gu, arch.num_experts)
            if arch.shared_expert_intermediate_size:
                layer += _mlp_targets(h, arch.shared_expert_intermediate_size, arch.gated_mlp, fused_gu)
        elif arch.intermediate_size:
            layer += _mlp_targets(h, arch.intermediate_size, arch.gated_mlp, fused_gu)
        targets.append(tuple(layer))
    non_linear = pb["embeddings"] + pb["lm_head"] + pb["norms"] + pb["pooler"]
    notes = []
    if fused_qkv:
        notes.append(f"{arch.family}: q, k and v are one fused matrix; adapting any of them adapts that matrix")
    if fused_gu:
        notes.append(f"{arch.family}: gate and up are one fused matrix")
    if moe_layers:
        notes.append("MoE: an MLP adapter is one per routed expert (and one on the shared expert), as PEFT adds "
                     "them when the expert projections are targeted")
    return FinetuneShape(L, h, arch.num_heads, arch.vocab_size, arch.total_params, pb["embeddings"], pb["lm_head"],
                         layer_params, arch.total_params - non_linear, tuple(targets), False, tuple(notes))


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
    has_attention = any(t.module in ("q", "k", "v", "o", "qkv") for t in shape.targets_by_layer[layer])
    if wanted & set(_ATTENTION) and not has_attention:
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


