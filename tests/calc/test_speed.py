"""Roofline speed estimates against published measurements, plus properties.

Ground truth (each measured figure must lie inside the estimate's [low, high] band, with
the library's default efficiencies; that band is the tolerance):

* NVIDIA NIM LLM benchmarking guide, "Performance" page (docs.nvidia.com/nim/benchmarking/
  llm/1.0.0/performance), Llama-3.3-70B-Instruct, NIM 1.8.0, 2 x H100 80GB, FP8, TP2,
  concurrency 1: 5000 input / 500 output tokens -> TTFT 406.77 ms, ITL 18.58 ms;
  500 / 2000 -> TTFT 47.77 ms, ITL 18.91 ms. (Same architecture as the Llama-3.1-70B
  config fixture.)
* TensorRT-LLM docs/source/performance.md (github.com/NVIDIA/TensorRT-LLM, v0.5 "Low
  Latency" tables; Llama-2 models per its methodology section), batch 1 first-token
  latency: H100 FP8 7B 128 -> 7 ms, 2048 -> 36 ms; 70B TP4 128 -> 26 ms, 2048 -> 109 ms;
  A100 FP16 7B 128 -> 16 ms, 2048 -> 133 ms; 70B TP4 128 -> 47 ms, 2048 -> 377 ms;
  L40S FP8 7B 128 -> 14 ms, 2048 -> 73 ms.
* Same file, v0.6.1 "Peak Throughput", H100 FP8 (FP8 KV cache, per the build commands),
  128 in / 128 out: LLaMA 7B batch 768 TP1 -> 19,694 output tok/s/GPU; LLaMA 70B batch
  1024 TP2 -> 2,657 output tok/s/GPU (5,314 per replica).
* mlc-ai/llm-perf-bench pull request #1 (2023-08), RTX 4090, Llama-2-7B 4-bit, batch 1
  decode: MLC LLM (q4f16_1, 4.5 bits per weight) 191.0 tok/s; ExLlama (GPTQ 4-bit,
  group 128, ~4.16 bits) 152.56 tok/s.

A calculator assuming 100% of peak would put all of these outside the band: the band's
optimistic end already carries MBU 0.85 / MFU 0.7.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.calc.architecture import Architecture, architecture_from_config
from model_scorecard.calc.ranges import Range
from model_scorecard.calc.speed import (
    DEFAULT_EFFICIENCY,
    Efficiency,
    ModelShape,
    compute_peak_flops,
    estimate_speed,
    experts_touched,
    ridge_point_flop_per_byte,
)
from model_scorecard.tables.gpus import find_gpu, load_gpus

CONFIGS = Path(__file__).parent / "configs"

# config.json of meta-llama/Llama-2-7b-hf and Llama-2-70b-hf (the fields that matter).
LLAMA2_7B = {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
             "num_attention_heads": 32, "num_key_value_heads": 32, "vocab_size": 32000,
             "tie_word_embeddings": False, "max_position_embeddings": 4096, "rms_norm_eps": 1e-5}
LLAMA2_70B = {**LLAMA2_7B, "hidden_size": 8192, "intermediate_size": 28672, "num_hidden_layers": 80,
              "num_attention_heads": 64, "num_key_value_heads": 8}


def _arch(config: dict | str) -> Architecture:
    if isinstance(config, str):
        config = json.loads((CONFIGS / config).read_text())
    return architecture_from_config(config)


def _kv_bytes(arch: Architecture, bytes_per_element: float) -> float:
    return sum(arch.kv_elements_per_token_by_layer) * bytes_per_element


L7, L70 = _arch(LLAMA2_7B), _arch(LLAMA2_70B)
L31_70 = _arch("meta-llama--Llama-3.1-70B-Instruct.json")


def test_reference_architectures_are_the_published_sizes() -> None:
    assert L7.total_params == 6_738_415_616
    assert L70.total_params == 68_976_648_192
    assert L31_70.total_params == 70_553_706_496


@pytest.mark.parametrize(("prompt", "output", "ttft_ms", "itl_ms"), [(5000, 500, 406.77, 18.58), (500, 2000, 47.77, 18.91)])
def test_nim_llama_70b_fp8_tp2_on_h100(prompt: int, output: int, ttft_ms: float, itl_ms: float) -> None:
    est = estimate_speed(L31_70, find_gpu("H100"), weight_bits=8, kv_bytes_per_token=_kv_bytes(L31_70, 1),
                         prompt_tokens=prompt, output_tokens=output, gpu_count=2)
    assert est.tpot_ms.contains(itl_ms), est.tpot_ms
    assert est.ttft_ms.contains(ttft_ms), est.ttft_ms
    # the likely figures are close, not just the band
    assert est.tpot_ms.likely == pytest.approx(itl_ms, rel=0.15)
    assert est.ttft_ms.likely == pytest.approx(ttft_ms, rel=0.15)
    assert est.decode_bound == "memory"


TRT_FIRST_TOKEN = [
    # gpu, weight bits (= KV bytes x 8), model, tensor parallel, prompt, measured ms
    ("H100 SXM", 8, L7, 1, 128, 7), ("H100 SXM", 8, L7, 1, 2048, 36),
    ("H100 SXM", 8, L70, 4, 128, 26), ("H100 SXM", 8, L70, 4, 2048, 109),
    ("A100 80GB SXM", 16, L7, 1, 128, 16), ("A100 80GB SXM", 16, L7, 1, 2048, 133),
    ("A100 80GB SXM", 16, L70, 4, 128, 47), ("A100 80GB SXM", 16, L70, 4, 2048, 377),
    ("L40S", 8, L7, 1, 128, 14), ("L40S", 8, L7, 1, 2048, 73),
]


@pytest.mark.parametrize(("gpu", "bits", "arch", "tp", "prompt", "measured_ms"), TRT_FIRST_TOKEN)
def test_tensorrt_llm_first_token_latency(gpu: str, bits: int, arch: Architecture, tp: int, prompt: int,
                                          measured_ms: float) -> None:
    est = estimate_speed(arch, find_gpu(gpu), weight_bits=bits, kv_bytes_per_token=_kv_bytes(arch, bits / 8),
                         prompt_tokens=prompt, output_tokens=1, gpu_count=tp)
    assert est.ttft_ms.contains(measured_ms), est.ttft_ms


@pytest.mark.parametrize(("arch", "tp", "batch", "per_gpu_tok_s"), [(L7, 1, 768, 19_694), (L70, 2, 1024, 2_657)])
def test_tensorrt_llm_peak_throughput_h100_fp8(arch: Architecture, tp: int, batch: int, per_gpu_tok_s: float) -> None:
    est = estimate_speed(arch, find_gpu("H100"), weight_bits=8, kv_bytes_per_token=_kv_bytes(arch, 1),
                         prompt_tokens=128, output_tokens=128, gpu_count=tp, batch=batch, prefill_batch=batch)
    assert est.static_batch_output_tokens_per_s.contains(per_gpu_tok_s * tp), est.static_batch_output_tokens_per_s


@pytest.mark.parametrize(("bits", "measured"), [(4.5, 191.0), (4.16, 152.56)])
def test_mlc_and_exllama_llama2_7b_int4_on_rtx_4090(bits: float, measured: float) -> None:
    est = estimate_speed(L7, find_gpu("RTX 4090"), weight_bits=bits, kv_bytes_per_token=_kv_bytes(L7, 2),
                         prompt_tokens=128, output_tokens=128)
    assert est.decode_tokens_per_s_per_stream.contains(measured), est.decode_tokens_per_s_per_stream


def test_peak_assumption_would_overestimate() -> None:
    """At 100% of bandwidth, the 70B FP8 TP2 decode would be ~1.8x the NIM measurement."""
    perfect = Efficiency(mbu=Range.point(1.0), link_efficiency=Range.point(1.0),
                         allreduce_latency_s={"nvlink": Range.point(0.0)},
                         decode_step_overhead_s=Range.point(0.0))
    est = estimate_speed(L31_70, find_gpu("H100"), weight_bits=8, kv_bytes_per_token=_kv_bytes(L31_70, 1),
                         prompt_tokens=500, output_tokens=2000, gpu_count=2, efficiency=perfect)
    assert 18.91 / est.tpot_ms.likely > 1.6


def test_ridge_point_and_precision_choice() -> None:
    h100, a100 = find_gpu("H100"), find_gpu("A100")
    assert ridge_point_flop_per_byte(h100) == pytest.approx(295, abs=1)  # docs/domain.md §6
    assert compute_peak_flops(h100, 8) == (1979e12, "fp8")
    assert compute_peak_flops(a100, 8) == (312e12, "bf16")  # no FP8 on Ampere
    assert compute_peak_flops(h100, 4.16) == (989e12, "bf16")  # weight-only int4 dequantises
    assert compute_peak_flops(h100, 16, "int8") == (1979e12, "int8")
    with pytest.raises(ValueError, match="no FP8"):
        compute_peak_flops(a100, 8, "fp8")


def test_result_carries_assumptions_and_inputs() -> None:
    est = estimate_speed(L70, find_gpu("H100 PCIe"), weight_bits=4.16, kv_bytes_per_token=_kv_bytes(L70, 2),
                         prompt_tokens=2000, output_tokens=500, gpu_count=2, batch=8)
    text = "\n".join(est.assumptions)
    assert "MBU" in text and "0.5/0.7/0.85" in text and "tensor parallel" in text and "pcie" in text
    assert "input-embedding" in text
    assert est.inputs["gpu"] == "H100 PCIe" and est.inputs["precision"] == "bf16"
    assert est.inputs["batch"] == 8 and est.inputs["total_params"] == L70.total_params
    assert est.decode_tokens_per_s_aggregate.likely == pytest.approx(8 * est.decode_tokens_per_s_per_stream.likely)
    assert est.request_latency_ms.likely == pytest.approx(est.ttft_ms.likely + 499 * est.tpot_ms.likely)


def test_pcie_scales_worse_than_nvlink() -> None:
    """Same chip bandwidth and compute, PCIe links: the all-reduce share of a step grows."""
    sxm = find_gpu("H100")
    from dataclasses import replace

    pcie = replace(sxm, interconnect="pcie", link_bytes_per_s=64e9)
    args = dict(weight_bits=16, kv_bytes_per_token=_kv_bytes(L70, 2), prompt_tokens=1000, output_tokens=200,
                gpu_count=4, batch=16)
    fast, slow = estimate_speed(L70, sxm, **args), estimate_speed(L70, pcie, **args)
    assert slow.per_step["allreduce_s"] > 3 * fast.per_step["allreduce_s"]
    assert slow.tpot_ms.likely > fast.tpot_ms.likely
    one = estimate_speed(L70, sxm, **{**args, "gpu_count": 1})
    assert one.per_step["allreduce_s"] == 0


def test_moe_decode_reads_only_touched_experts() -> None:
    arch = _arch("mistralai--Mixtral-8x7B-v0.1.json")
    shape = ModelShape.from_architecture(arch)
    assert shape.moe_layers == 32 and shape.num_experts == 8 and shape.experts_per_token == 2
    # batch 1 reads the active parameters (less the input-embedding lookup) ...
    assert shape.params_read(1) == arch.active_params - shape.unread_params
    # ... a large batch nearly all of them
    assert shape.params_read(256) == pytest.approx(arch.total_params - shape.unread_params, rel=1e-6)
    assert experts_touched(8, 2, 1) == pytest.approx(2)
    assert experts_touched(8, 2, 4) == pytest.approx(8 * (1 - 0.75**4))
    kv = _kv_bytes(arch, 2)
    h100 = find_gpu("H100")
    b1 = estimate_speed(arch, h100, weight_bits=16, kv_bytes_per_token=kv, prompt_tokens=100, output_tokens=100,
                        gpu_count=2)
    b32 = estimate_speed(arch, h100, weight_bits=16, kv_bytes_per_token=kv, prompt_tokens=100, output_tokens=100,
                         gpu_count=2, batch=32)
    assert b32.per_step["weight_bytes_read_per_gpu"] > 3 * b1.per_step["weight_bytes_read_per_gpu"]
    assert any("MoE" in a for a in b1.assumptions)


def test_deepseek_mla_cache_is_whole_on_every_gpu() -> None:
    arch = _arch("deepseek-ai--DeepSeek-V3.json")
    shape = ModelShape.from_architecture(arch)
    assert shape.kv_heads is None and shape.v_head_dim == 128 and shape.qk_head_dim == 192
    est = estimate_speed(arch, find_gpu("H200"), weight_bits=8, kv_bytes_per_token=_kv_bytes(arch, 1),
                         prompt_tokens=1000, output_tokens=1000, gpu_count=8, batch=4)
    assert est.per_step["kv_bytes_read_per_gpu"] == pytest.approx(4 * 1500 * 61 * 576)


def test_sliding_window_limits_attention_work() -> None:
    gemma2 = ModelShape.from_architecture(_arch("google--gemma-2-9b.json"))
    assert gemma2.attention_windows.count(4096) == 21 and gemma2.attention_windows.count(None) == 21
    assert gemma2.unread_params == 0  # tied: the output head reads the table


def test_gemma4_global_layers_attend_with_their_wider_heads() -> None:
    """gemma-4-31B: 50 sliding layers of 256-wide heads, 10 global layers of 512 (config.json)."""
    config = json.loads((CONFIGS / "google--gemma-4-31B-it.json").read_text())["text_config"]
    shape = ModelShape.from_architecture(_arch("google--gemma-4-31B-it.json"))
    heads, sliding, wide = config["num_attention_heads"], config["head_dim"], config["global_head_dim"]
    assert shape.layer_head_dims.count(2 * wide) == config["layer_types"].count("full_attention") == 10
    assert shape.layer_head_dims.count(2 * sliding) == 50
    full = 32_768  # tokens of one full-attention prefill pair count, sliding layers capped at the window
    flops = shape.attention_flops(lambda w: full if w is None else 1)
    assert flops == 2 * heads * (10 * 2 * wide * full + 50 * 2 * sliding * 1)
    same = ModelShape.from_architecture(L31_70)
    assert same.layer_head_dims == ()  # one head width: the plain formula


def test_invalid_inputs() -> None:
    h100 = find_gpu("H100")
    kwargs = dict(weight_bits=16, kv_bytes_per_token=1000.0, prompt_tokens=10, output_tokens=10)
    with pytest.raises(ValueError, match="do not split over 3 GPUs"):
        estimate_speed(L7, h100, gpu_count=3, **kwargs)
    with pytest.raises(ValueError, match="encoder"):
        estimate_speed(_arch("google-bert--bert-base-uncased.json"), h100, **kwargs)
    with pytest.raises(ValueError, match="batch"):
        estimate_speed(L7, h100, batch=0, **kwargs)
    with pytest.raises(ValueError, match="weight_bits"):
        estimate_speed(L7, h100, **{**kwargs, "weight_bits": 0})
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        Efficiency(mbu=Range(0.5, 0.7, 1.2))
    with pytest.raises(ValueError, match="low <= likely <= high"):
        Range(2, 1, 3)


def test_range_helpers() -> None:
    r = Range(1, 2, 4)
    assert r.map(lambda v: 1 / v) == Range(0.25, 0.5, 1.0)
    assert r.scale(2) == Range(2, 4, 8) and r.contains(4) and not r.contains(5)
    assert Range.ordered(3, 2, 1) == Range(1, 2, 3) and Range.point(5).as_dict() == {"low": 5, "likely": 5, "high": 5}


# --------------------------------------------------------------------------- properties

H100 = load_gpus()["H100 SXM"]
# the GPUs a roofline can be drawn for: a published BF16 peak, and a link for tensor parallelism
# (those without are tested above: refused, not estimated)
GPUS = [g for g in load_gpus().values() if g.bf16_flops is not None and not g.single_device]


def _dense(layers: int, hidden: int, heads: int = 32, kv_heads: int = 8, extra_params: int = 0) -> ModelShape:
    params = 12 * layers * hidden * hidden + 2 * 32000 * hidden + extra_params
    return ModelShape(total_params=params, active_params=params, num_layers=layers, hidden_size=hidden,
                      num_heads=heads, qk_head_dim=hidden // heads, v_head_dim=hidden // heads, kv_heads=kv_heads,
                      attention_windows=(None,) * layers, unread_params=32000 * hidden, logits_params=32000 * hidden)


shapes = st.builds(_dense, layers=st.integers(1, 100), hidden=st.sampled_from([1024, 2048, 4096, 8192]),
                   extra_params=st.integers(0, 10**9))
workload = st.fixed_dictionaries({
    "weight_bits": st.sampled_from([4.16, 4.5, 8.0, 16.0]),
    "kv_bytes_per_token": st.floats(0, 2e6),
    "prompt_tokens": st.integers(1, 32_000),
    "output_tokens": st.integers(1, 4_000),
    "batch": st.integers(1, 256),
})


@settings(max_examples=60, deadline=None)
@given(shape=shapes, w=workload, more=st.integers(1, 10**10), gpu=st.sampled_from(GPUS))
def test_more_parameters_is_never_faster(shape: ModelShape, w: dict, more: int, gpu) -> None:
    bigger = ModelShape(**{**shape.__dict__, "total_params": shape.total_params + more,
                           "active_params": shape.active_params + more})
    a, b = estimate_speed(shape, gpu, **w), estimate_speed(bigger, gpu, **w)
    assert b.tpot_ms.low >= a.tpot_ms.low and b.tpot_ms.likely >= a.tpot_ms.likely
    assert b.tpot_ms.high >= a.tpot_ms.high and b.ttft_ms.likely >= a.ttft_ms.likely


@settings(max_examples=60, deadline=None)
@given(shape=shapes, w=workload, gpu=st.sampled_from(GPUS))
def test_more_gpus_never_read_more_per_gpu(shape: ModelShape, w: dict, gpu) -> None:
    previous = math.inf
    for t in (1, 2, 4, 8):
        est = estimate_speed(shape, gpu, gpu_count=t, **w)
        assert est.per_step["memory_s"] <= previous * (1 + 1e-12)
        previous = est.per_step["memory_s"]


@settings(max_examples=60, deadline=None)
@given(shape=shapes, w=workload, gpu=st.sampled_from(GPUS), t=st.sampled_from([1, 2, 4, 8]))
def test_bands_are_ordered_positive_and_consistent(shape: ModelShape, w: dict, gpu, t: int) -> None:
    est = estimate_speed(shape, gpu, gpu_count=t, **w)
    for band in (est.tpot_ms, est.ttft_ms, est.decode_tokens_per_s_per_stream, est.decode_tokens_per_s_aggregate,
                 est.prefill_tokens_per_s, est.request_latency_ms, est.static_batch_output_tokens_per_s):
        assert 0 < band.low <= band.likely <= band.high < math.inf
    assert est.decode_tokens_per_s_per_stream.high == pytest.approx(1000 / est.tpot_ms.low)


@settings(max_examples=40, deadline=None)
@given(shape=shapes, w=workload, extra=st.integers(1, 512))
def test_bigger_batch_never_lowers_aggregate_throughput(shape: ModelShape, w: dict, extra: int) -> None:
    small = estimate_speed(shape, H100, **w)
    large = estimate_speed(shape, H100, **{**w, "batch": w["batch"] + extra})
    assert large.decode_tokens_per_s_aggregate.likely >= small.decode_tokens_per_s_aggregate.likely * (1 - 1e-9)
    assert large.tpot_ms.likely >= small.tpot_ms.likely


@settings(max_examples=40, deadline=None)
@given(e=st.integers(2, 256), data=st.data())
def test_experts_touched_grows_from_k_to_e(e: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(1, e))
    b = data.draw(st.integers(1, 10_000))
    touched = experts_touched(e, k, b)
    assert k - 1e-9 <= touched <= e + 1e-9
    assert experts_touched(e, k, b + 1) >= touched - 1e-9


def test_default_efficiency_is_the_domain_band() -> None:
    assert DEFAULT_EFFICIENCY.mbu == Range(0.5, 0.7, 0.85)
    assert DEFAULT_EFFICIENCY.mfu_prefill == Range(0.3, 0.5, 0.7)


def test_chunked_layers_count_their_attention_up_to_the_chunk() -> None:
    import json

    from model_scorecard.calc.architecture import architecture_from_config

    config = json.loads((Path(__file__).parent / "configs" / "meta-llama--Llama-4-Scout-17B-16E.json").read_text())
    arch = architecture_from_config(config)
    shape = ModelShape.from_architecture(arch)
    chunked = arch.layer_types.count("chunked_attention")
    assert chunked and len(shape.attention_windows) == len(arch.layer_types)
    assert shape.attention_windows.count(arch.attention_chunk_size) == chunked


# --------------------------------------------------------------------------- GPUs without a published peak

def test_a_gpu_without_a_published_bf16_peak_gets_no_invented_speed() -> None:
    from dataclasses import replace

    for name in ("A10G", "M4 Max"):
        gpu = find_gpu(name)
        assert gpu.bf16_flops is None
        with pytest.raises(ValueError, match="no published dense BF16"):
            compute_peak_flops(gpu, 16)
        with pytest.raises(ValueError, match="no published dense BF16"):
            estimate_speed(L7, gpu, weight_bits=16, kv_bytes_per_token=_kv_bytes(L7, 2), prompt_tokens=100,
                           output_tokens=10)
        with pytest.raises(ValueError, match="no published dense BF16"):
            ridge_point_flop_per_byte(gpu)
    # a published FP8 peak still serves 8-bit weights; a 16-bit path on the same chip stays unknown
    h100 = find_gpu("H100")
    fp8_only = replace(h100, name="FP8 only", bf16_flops=None)
    assert compute_peak_flops(fp8_only, 8) == (1979e12, "fp8")
    with pytest.raises(ValueError):
        compute_peak_flops(fp8_only, 4.16)


def test_a_single_device_is_never_split_by_tensor_parallelism() -> None:
    from dataclasses import replace

    mac = replace(find_gpu("M3 Ultra"), bf16_flops=100e12)  # a peak given in the user's own file
    one = estimate_speed(L7, mac, weight_bits=16, kv_bytes_per_token=_kv_bytes(L7, 2), prompt_tokens=100,
                         output_tokens=10)
    assert one.tpot_ms.likely > 0 and one.per_step["allreduce_s"] == 0
    with pytest.raises(ValueError, match="single device"):
        estimate_speed(L7, mac, weight_bits=16, kv_bytes_per_token=_kv_bytes(L7, 2), prompt_tokens=100,
                       output_tokens=10, gpu_count=2)
