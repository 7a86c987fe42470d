"""Older families with their own layouts: Falcon, GPT-2, GPT-NeoX and BERT."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import (
    BIDIRECTIONAL,
    FULL_ATTENTION,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    DecoderDims,
    Reader,
    Tally,
    decoder_architecture,
    linear_params,
    read_kv_heads,
)

# --------------------------------------------------------------------------- falcon

_FALCON = {
    "vocab_size": 65024, "hidden_size": 4544, "num_hidden_layers": 32, "num_attention_heads": 71,
    "num_kv_heads": None, "new_decoder_architecture": False, "multi_query": True, "parallel_attn": True,
    "bias": False, "max_position_embeddings": 2048, "ffn_hidden_size": None, "tie_word_embeddings": True,
    "num_ln_in_parallel_attn": None,
}  # fmt: skip


def _split_heads(r: Reader, h: int, heads: int) -> int:
    """hidden_size // num_attention_heads: these classes read no head_dim."""
    if h % heads:
        raise InvalidArchitectureConfig(f"hidden_size {h} is not a multiple of num_attention_heads {heads}",
                                        r.name_of("num_attention_heads", ("n_head",)))
    return h // heads


def _encoder_dims(r: Reader) -> tuple[int, int, int, int, int]:
    """GPT-NeoX's and BERT's layers, width, heads, vocabulary and MLP width, in that order."""
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    _split_heads(r, h, heads)
    return n, h, heads, r.integer("vocab_size"), r.integer("intermediate_size")


def build_falcon(config: Mapping[str, Any], model_type: str) -> Architecture:
    defaults = dict(_FALCON)
    if model_type == "RefinedWeb":  # falcon-40b's remote code: always the new decoder block
        defaults["new_decoder_architecture"] = True
    r = Reader(config, defaults)
    n = r.integer("num_hidden_layers", "n_layer")
    h = r.integer("hidden_size", "n_embed")
    heads = r.integer("num_attention_heads", "n_head")
    d = _split_heads(r, h, heads)  # FalconAttention ignores any head_dim key
    vocab = r.integer("vocab_size")
    new_decoder = r.boolean("new_decoder_architecture")
    multi_query = r.boolean("multi_query")
    parallel = r.boolean("parallel_attn")
    bias = r.boolean("bias")
    ffn = r.opt_integer("ffn_hidden_size") or 4 * h
    tied = r.boolean("tie_word_embeddings")
    if new_decoder:
        kv = read_kv_heads(r, heads, "num_kv_heads", "n_head_kv")
        qkv_out = (2 * kv + heads) * d
    elif multi_query:
        kv, qkv_out = 1, h + 2 * d
    else:
        kv, qkv_out = heads, 3 * h
    n_ln = r.opt_integer("num_ln_in_parallel_attn") or (2 if new_decoder else None)
    norms_per_layer = 2 if (not parallel or n_ln == 2) else 1

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (linear_params(h, qkv_out, bias) + linear_params(h, h, bias)))
    t.add("mlp", n * (linear_params(h, ffn, bias) + linear_params(ffn, h, bias)))
    t.add("norms", n * norms_per_layer * 2 * h + 2 * h)
    t.add("lm_head", 0 if tied else vocab * h)
    return ungated_dense(r, t, model_type=model_type, family="falcon", counted_class="FalconForCausalLM",
                          layers=n, hidden=h, heads=heads, intermediate=ffn, vocab=vocab, tied=tied,
                          positions=r.opt_integer("max_position_embeddings"), kv_heads=kv, head_dim=d)


# --------------------------------------------------------------------------- gpt2, gpt-neox

_GPT2 = {
    "vocab_size": 50257, "n_positions": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12, "n_inner": None,
    "tie_word_embeddings": True, "add_cross_attention": False,
}  # fmt: skip


def build_gpt2(config: Mapping[str, Any], model_type: str) -> Architecture:
    r = Reader(config, _GPT2)
    n = r.integer("n_layer", "num_hidden_layers")
    h = r.integer("n_embd", "hidden_size")
    heads = r.integer("n_head", "num_attention_heads")
    if h % heads:
        raise InvalidArchitectureConfig(f"n_embd {h} is not a multiple of n_head {heads}",
                                        r.name_of("n_head", ("num_attention_heads",)))
    positions = r.integer("n_positions", "max_position_embeddings")
    vocab = r.integer("vocab_size")
    inner = r.opt_integer("n_inner") or 4 * h
    tied = r.boolean("tie_word_embeddings")
    cross = r.boolean("add_cross_attention")

    t = Tally()
    t.add("embeddings", vocab * h + positions * h)
    attention = linear_params(h, 3 * h, True) + linear_params(h, h, True)
    if cross:  # GPT2Attention(is_cross_attention=True): c_attn 2h, q_attn, c_proj
        attention += linear_params(h, 2 * h, True) + linear_params(h, h, True) + linear_params(h, h, True)
    t.add("attention", n * attention)
    t.add("mlp", n * (linear_params(h, inner, True) + linear_params(inner, h, True)))
    t.add("norms", n * (2 + int(cross)) * 2 * h + 2 * h)
    t.add("lm_head", 0 if tied else vocab * h)
    return ungated_dense(r, t, model_type=model_type, family="gpt2", counted_class="GPT2LMHeadModel", layers=n,
                          hidden=h, heads=heads, intermediate=inner, vocab=vocab, tied=tied, positions=positions)


_GPT_NEOX = {
    "vocab_size": 50432, "hidden_size": 6144, "num_hidden_layers": 44, "num_attention_heads": 64,
    "intermediate_size": 24576, "max_position_embeddings": 2048, "tie_word_embeddings": False,
    "attention_bias": True,
}  # fmt: skip


def build_gpt_neox(config: Mapping[str, Any], model_type: str) -> Architecture:
    r = Reader(config, _GPT_NEOX)
    n, h, heads, vocab, inter = _encoder_dims(r)
    tied = r.boolean("tie_word_embeddings")
    bias = r.boolean("attention_bias")

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (linear_params(h, 3 * h, bias) + linear_params(h, h, bias)))
    t.add("mlp", n * (linear_params(h, inter, True) + linear_params(inter, h, True)))
    t.add("norms", n * 2 * 2 * h + 2 * h)
    t.add("lm_head", 0 if tied else vocab * h)
    return ungated_dense(r, t, model_type=model_type, family="gpt_neox", counted_class="GPTNeoXForCausalLM",
                          layers=n, hidden=h, heads=heads, intermediate=inter, vocab=vocab, tied=tied,
                          positions=r.opt_integer("max_position_embeddings"))


def ungated_dense(r: Reader, t: Tally, *, model_type: str, family: str, counted_class: str, layers: int,
                   hidden: int, heads: int, intermediate: int, vocab: int, tied: bool, positions: int | None,
                   kv_heads: int | None = None, head_dim: int | None = None, layer_kind: str = FULL_ATTENTION,
                   is_encoder: bool = False) -> Architecture:
    """A dense model with a plain (ungated) MLP and no sliding window: falcon, gpt2, gpt_neox,
    bert. Every parameter is active; KV heads default to one per query head."""
    dims = DecoderDims(layers, hidden, heads, heads if kv_heads is None else kv_heads,
                       hidden // heads if head_dim is None else head_dim, vocab, intermediate, tied)
    return decoder_architecture(r, t, dims, model_type=model_type, family=family, counted_class=counted_class,
                                gated_mlp=False, max_position_embeddings=positions, layer_types=(layer_kind,) * layers,
                                is_encoder=is_encoder)


# --------------------------------------------------------------------------- bert

_BERT = {
    "vocab_size": 30522, "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
    "intermediate_size": 3072, "max_position_embeddings": 512, "type_vocab_size": 2, "is_decoder": False,
    "add_cross_attention": False, "tie_word_embeddings": True,
}  # fmt: skip


def build_bert(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``BertModel`` with its pooler; no masked-LM, next-sentence or classification head."""
    r = Reader(config, _BERT)
    n, h, heads, vocab, inter = _encoder_dims(r)
    positions = r.integer("max_position_embeddings")
    token_types = r.integer("type_vocab_size", minimum=0)
    cross = r.boolean("add_cross_attention")
    if cross and not r.boolean("is_decoder"):
        raise InvalidArchitectureConfig("add_cross_attention needs is_decoder: BertModel refuses the combination",
                                        r.name_of("add_cross_attention"))

    t = Tally()
    t.add("embeddings", (vocab + positions + token_types) * h)
    attention_block = 4 * linear_params(h, h, True)  # query, key, value, output dense
    t.add("attention", n * attention_block * (2 if cross else 1))
    t.add("mlp", n * (linear_params(h, inter, True) + linear_params(inter, h, True)))
    t.add("norms", 2 * h + n * (3 if cross else 2) * 2 * h)  # embeddings LN + per-layer LNs
    t.add("pooler", linear_params(h, h, True))
    tied = r.boolean("tie_word_embeddings")  # BertModel has no output head; the flag is the config's
    # an encoder: no KV cache between steps
    return ungated_dense(r, t, model_type=model_type, family="bert", counted_class="BertModel (with pooler)",
                          layers=n, hidden=h, heads=heads, intermediate=inter, vocab=vocab, tied=tied,
                          positions=positions, layer_kind=BIDIRECTIONAL, is_encoder=True)


