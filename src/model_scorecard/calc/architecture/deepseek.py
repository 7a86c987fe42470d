"""DeepSeek V2/V3: multi-head latent attention and fine-grained MoE."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import (
    MLA,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    decoder_architecture,
    gated_mlp_params,
    linear_params,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
)

# --------------------------------------------------------------------------- deepseek (MLA + MoE)

_DEEPSEEK_V2 = {
    "vocab_size": 102400, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": None, "max_position_embeddings": 2048,
    "tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False, "first_k_dense_replace": 0,
    "kv_lora_rank": 512, "q_lora_rank": 1536, "n_routed_experts": 64, "n_shared_experts": 2,
    "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "num_experts_per_tok": None,
    "moe_intermediate_size": 1407,
}  # fmt: skip
_DEEPSEEK_V3 = {
    **_DEEPSEEK_V2, "vocab_size": 129280, "hidden_size": 7168, "intermediate_size": 18432,
    "moe_intermediate_size": 2048, "num_hidden_layers": 61, "num_attention_heads": 128, "num_key_value_heads": 128,
    "n_shared_experts": 1, "n_routed_experts": 256, "num_experts_per_tok": 8, "first_k_dense_replace": 3,
    "max_position_embeddings": 4096,
}  # fmt: skip
_DEEPSEEK_V32 = {
    **_DEEPSEEK_V3, "max_position_embeddings": 163840, "index_n_heads": 64, "index_head_dim": 128,
}  # fmt: skip


def build_deepseek(config: Mapping[str, Any], model_type: str) -> Architecture:
    """DeepSeek-V2/V3: MLA attention; dense MLP in the first ``first_k_dense_replace`` layers, MoE after.

    transformers makes every layer from ``first_k_dense_replace`` on a MoE layer and does not
    read ``moe_layer_freq`` (1 in every published config).

    DeepSeek-V3.2 (``deepseek_v32``) is V3 with a lightning indexer in every layer's attention:
    ``wq_b`` (q_lora_rank -> index_n_heads * index_head_dim), ``wk`` (hidden -> index_head_dim),
    a LayerNorm (weight and bias) over the key and ``weights_proj`` (hidden -> index_n_heads),
    all bias-free; it caches one ``index_head_dim`` key per token per layer beside the latent.
    """
    v32 = model_type == "deepseek_v32"
    v3 = model_type == "deepseek_v3" or v32
    r = Reader(config, _DEEPSEEK_V32 if v32 else _DEEPSEEK_V3 if v3 else _DEEPSEEK_V2)
    dims = n, h, heads, _, _, vocab, inter, tied = read_decoder_dims(r, head_dim=None)  # MLA: qk_nope + qk_rope
    assert inter is not None
    attn_bias = r.boolean("attention_bias")
    mlp_bias = False if v3 else r.boolean("mlp_bias")
    q_lora = r.opt_integer("q_lora_rank")
    kv_lora = r.integer("kv_lora_rank")
    nope, rope, v_dim = r.integer("qk_nope_head_dim"), r.integer("qk_rope_head_dim"), r.integer("v_head_dim")
    experts_key = ("n_routed_experts", "num_local_experts" if v3 else "num_experts")
    num_experts = r.integer(*experts_key, minimum=0)
    shared = r.integer("n_shared_experts", minimum=0)
    moe_inter = r.integer("moe_intermediate_size")
    first_dense = r.integer("first_k_dense_replace", minimum=0)
    k = r.opt_integer("num_experts_per_tok")
    moe_layers = tuple(range(min(first_dense, n), n))
    if moe_layers and k is None:
        raise InvalidArchitectureConfig("num_experts_per_tok is required for a DeepSeek MoE config",
                                        r.name_of("num_experts_per_tok"))

    qk = nope + rope
    if q_lora is None:
        attention = linear_params(h, heads * qk, False)
        mla_norms = 0
    else:
        attention = linear_params(h, q_lora, attn_bias) + linear_params(q_lora, heads * qk, False)
        mla_norms = q_lora
    attention += linear_params(h, kv_lora + rope, attn_bias) + linear_params(kv_lora, heads * (nope + v_dim), False)
    attention += linear_params(heads * v_dim, h, attn_bias)
    mla_norms += kv_lora
    index_dim = None
    if v32:
        if q_lora is None:
            raise InvalidArchitectureConfig("q_lora_rank is required for DeepSeek-V3.2 (its indexer reads the query "
                                            "latent)", "q_lora_rank")
        index_heads, index_dim = r.integer("index_n_heads"), r.integer("index_head_dim")
        attention += q_lora * index_heads * index_dim + h * index_dim + h * index_heads
        mla_norms += 2 * index_dim  # the indexer's key LayerNorm: weight and bias

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention)
    t.add("norms", n * (2 * h + mla_norms) + h)
    t.add("mlp", (n - len(moe_layers)) * gated_mlp_params(h, inter, mlp_bias))
    per_expert = 3 * h * moe_inter
    t.add("router", len(moe_layers) * num_experts * h)
    t.add("experts", len(moe_layers) * num_experts * per_expert)
    shared_inter = moe_inter * shared
    t.add("shared_experts", len(moe_layers) * gated_mlp_params(h, shared_inter, mlp_bias))
    t.add("lm_head", 0 if tied else vocab * h)
    active = t.total
    if moe_layers:
        assert k is not None  # checked above
        active = moe_active_params(t.total, t, len(moe_layers), k, per_expert)
    moe = moe_fields(moe_layers, num_experts, k, moe_inter, shared=shared,
                     shared_width=shared_inter if shared else None)
    moe["first_dense_layers"] = min(first_dense, n)
    return decoder_architecture(
        r, t, dims, model_type=model_type, family=model_type,
        counted_class="DeepseekV32ForCausalLM" if v32 else "DeepseekV3ForCausalLM" if v3 else "DeepseekV2ForCausalLM",
        head_dim=qk, layer_types=(MLA,) * n, active_params=active, kv_lora_rank=kv_lora, q_lora_rank=q_lora,
        qk_nope_head_dim=nope, qk_rope_head_dim=rope, v_head_dim=v_dim, index_head_dim=index_dim, **moe,
    )
