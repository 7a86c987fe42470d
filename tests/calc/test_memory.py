"""Memory arithmetic: weights, KV cache, engine overhead and GPU fit, against published figures."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.calc.architecture import architecture_from_config
from model_scorecard.calc.memory import (
    ENGINES,
    MAX_ESTIMATE_BYTES,
    PRECISIONS,
    as_dict,
    bits_precision,
    blocks_tokens,
    estimate_memory,
    fit_on_gpu,
    kv_bytes_per_token,
    kv_cache_bytes,
    kv_heads_per_gpu,
    weight_bytes,
)
from model_scorecard.units import MAX_BATCH, MAX_TOKENS, OutOfRange

CONFIGS = Path(__file__).parent / "configs"
H100 = 81_559 * 2**20  # what CUDA reports for an "80 GB" H100 SXM


def arch(name: str):
    return architecture_from_config(json.loads((CONFIGS / f"{name}.json").read_text()))


def half_up(x: float) -> int:
    return int(Decimal(repr(x)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# The table of the "Foundation Model Overview" seed document ("approximate", docs/domain.md §2):
# weights of 7B/13B/70B at FP16/INT8/INT4 in GB.
SEED_TABLE = {7: (14, 7, 4), 13: (26, 13, 7), 70: (140, 70, 35)}


@pytest.mark.parametrize("billions", SEED_TABLE)
def test_seed_vram_table_is_reproduced_within_its_rounding(billions):
    params = billions * 10**9
    fp16, int8, int4 = (weight_bytes(params, PRECISIONS[p]) for p in ("fp16", "int8", "int4"))
    # the table counts the values alone, rounded to whole GB
    assert tuple(half_up(w.values_bytes / 1e9) for w in (fp16, int8, int4)) == SEED_TABLE[billions]
    # what a real int4 checkpoint adds: group-128 scales and zeros (+3.9%)
    assert int4.metadata_bytes / int4.values_bytes == pytest.approx(0.039, abs=0.001)


def test_int4_keeps_embeddings_in_16_bit_like_real_awq_checkpoints():
    a = arch("meta-llama--Llama-3.1-70B-Instruct")
    embed = a.param_breakdown["embeddings"] + a.param_breakdown["lm_head"]
    assert embed == 2 * 128_256 * 8_192
    w = weight_bytes(a.total_params, PRECISIONS["int4"], embed)
    # linear layers at 4 bits + (fp16 scale + 4-bit zero) / 128; embeddings and head at 16 bits
    assert w.total_bytes == pytest.approx((a.total_params - embed) * (4 + 20 / 128) / 8 + embed * 2)
    assert w.kept_16bit_params == embed and 39.5e9 < w.total_bytes < 40e9
    assert weight_bytes(a.total_params, PRECISIONS["bf16"], embed).total_bytes == a.total_params * 2


def test_kv_bytes_per_token_reference_figures():
    # 2 (K and V) × layers × KV heads × head dim × 2 bytes
    assert kv_bytes_per_token(arch("meta-llama--Llama-3.1-70B-Instruct"), 2) == 2 * 80 * 8 * 128 * 2 == 327_680
    assert kv_bytes_per_token(arch("meta-llama--Meta-Llama-3-8B"), 2) == 131_072
    # MLA as vLLM caches it: one latent of 512 + 64 per layer, 61 layers (docs/domain.md §3: ≈70 KB, not 1.75 MB)
    assert kv_bytes_per_token(arch("deepseek-ai--DeepSeek-V3"), 2) == 61 * 576 * 2
    # fp8 halves it
    assert kv_bytes_per_token(arch("meta-llama--Meta-Llama-3-8B"), 1) == 65_536


def test_sliding_window_layers_stop_growing_at_the_window():
    mistral = arch("mistralai--Mistral-7B-v0.1")  # every layer slides over 4,096 tokens
    assert kv_cache_bytes(mistral, 32_768, 1, 2) == kv_cache_bytes(mistral, 8_192, 1, 2)
    gemma2 = arch("google--gemma-2-9b")  # alternates local 4,096 and global layers
    short, long = kv_cache_bytes(gemma2, 4_096, 1, 2), kv_cache_bytes(gemma2, 8_192, 1, 2)
    assert short < long < 2 * short


def test_blocks_and_tensor_parallel_replication():
    assert blocks_tokens(1) == 16 and blocks_tokens(16) == 16 and blocks_tokens(17) == 32
    llama = arch("meta-llama--Llama-3.1-70B-Instruct")  # 8 KV heads: split up to 8 GPUs
    assert kv_bytes_per_token(llama, 2, 8) == kv_bytes_per_token(llama, 2) / 8
    qwen = arch("Qwen--Qwen2-7B-Instruct")  # 4 KV heads: beyond 4 GPUs each keeps one head
    assert kv_heads_per_gpu(4, 8) == 1
    assert kv_bytes_per_token(qwen, 2, 8) == kv_bytes_per_token(qwen, 2) / 4
    v3 = arch("deepseek-ai--DeepSeek-V3")  # MLA latents are whole on every GPU
    assert kv_bytes_per_token(v3, 2, 8) == kv_bytes_per_token(v3, 2)


def test_gpu_fit_picks_the_smallest_tensor_parallel_size():
    llama = arch("meta-llama--Llama-3.1-70B-Instruct")
    bf16 = llama.total_params * 2  # 141 GB: needs 2 H100s at 4k context
    fit = fit_on_gpu(llama, bf16, "H100", H100, context=4096, batch=1, kv_bytes=2, engine=ENGINES["vllm"])
    assert fit.fits and fit.count == 2 and fit.max_concurrency > 1
    one_token = kv_bytes_per_token(llama, 2, 2)
    assert fit.kv_capacity_tokens == pytest.approx(fit.per_gpu_kv_budget_bytes / one_token, abs=16)
    v3 = arch("deepseek-ai--DeepSeek-V3")  # 671 GB in fp8 does not fit 8 × 80 GB
    miss = fit_on_gpu(v3, v3.total_params * 1.0, "H100", H100, context=4096, batch=1, kv_bytes=2,
                      engine=ENGINES["vllm"])
    assert not miss.fits and miss.count is None


def test_estimate_names_its_inputs():
    est = estimate_memory(arch("meta-llama--Meta-Llama-3-8B"), precision=PRECISIONS["bf16"], context=8192,
                          gpus={"H100": H100})
    assert est.params == 8_030_261_248 and est.weights_bytes == 2 * 8_030_261_248
    assert est.total_bytes == est.weights_bytes + est.kv_cache_bytes + est.overhead_bytes
    assert any("gpu-memory-utilization 0.9" in a for a in est.assumptions)


@settings(max_examples=60, deadline=None)
@given(params=st.integers(10**8, 10**12), bits=st.floats(1, 32), context=st.integers(1, 1 << 20),
       batch=st.integers(1, 256))
def test_memory_grows_with_params_bits_context_and_batch(params, bits, context, batch):
    a = arch("meta-llama--Meta-Llama-3-8B")

    def total(p=params, b=bits, c=context, n=batch):
        return estimate_memory(a, params=p, precision=bits_precision(b), context=c, batch=n).total_bytes

    base = total()
    assert base > 0
    assert total(p=params * 2) > base
    assert total(b=min(32.0, bits + 1)) >= base
    assert total(c=context + 16) > base
    assert total(n=batch + 1) > base


# --- figures beyond what a float or a 64-bit integer holds (issue 14) ------------------



@pytest.mark.parametrize("context, batch", [(0, 1), (MAX_TOKENS + 1, 1), (4096, 0), (4096, MAX_BATCH + 1),
                                            (10**400, 1), (4096, 10**400), (True, 1), (4096.0, 1)])
def test_a_context_or_batch_out_of_range_is_refused_as_bad_input(context, batch):
    with pytest.raises(OutOfRange) as info:
        estimate_memory(arch("meta-llama--Meta-Llama-3-8B"), precision=PRECISIONS["bf16"], context=context,
                        batch=batch)
    assert info.value.exit_code == 2 and len(str(info.value)) < 300


def test_an_estimate_beyond_64_bits_is_refused_and_one_within_is_exact_json():
    big = arch("meta-llama--Llama-3.1-70B-Instruct")
    with pytest.raises(OutOfRange, match="64-bit"):  # each input within its bound, the product beyond
        estimate_memory(big, precision=PRECISIONS["fp32"], context=MAX_TOKENS, batch=MAX_BATCH, kv_dtype="fp32",
                        gpus={"H100": H100})
    est = estimate_memory(big, precision=PRECISIONS["fp32"], context=MAX_TOKENS, batch=1, gpus={"H100": H100})
    doc = as_dict(est)
    assert 0 < doc["total_bytes"] <= MAX_ESTIMATE_BYTES and isinstance(doc["total_bytes"], int)
    assert all(isinstance(g["kv_capacity_tokens"], int) for g in doc["gpus"])


def test_a_single_device_is_sized_on_one_of_it_only() -> None:
    # 70B in bf16 (140 GB) needs two 96 GiB devices; one that stands alone (no interconnect)
    # is never offered as two: it does not fit, and the fit says 1 was the most tried.
    llama70 = arch("meta-llama--Llama-3.1-70B-Instruct")
    gpus = {"Linked": 96 * 1024**3, "Alone": 96 * 1024**3}
    est = estimate_memory(llama70, precision=PRECISIONS["bf16"], context=4096, gpus=gpus, single_device={"Alone"})
    linked, alone = est.fits
    assert linked.fits and linked.count == 2 and linked.most_gpus == 8
    assert not alone.fits and alone.count is None and alone.most_gpus == 1
    assert any("Alone: one device with no interconnect" in note for note in est.assumptions)
    # where one device holds the model, the fit is the same as a linked GPU's
    small = estimate_memory(arch("meta-llama--Meta-Llama-3-8B"), precision=PRECISIONS["bf16"], context=4096,
                            gpus=gpus, single_device={"Alone"})
    assert small.fits[0].count == small.fits[1].count == 1
    assert small.fits[0].kv_capacity_tokens == small.fits[1].kv_capacity_tokens
