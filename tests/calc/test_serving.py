"""Serving economics (calc/serving.py): replicas and utilisation from the traffic, KV capacity,
the batch cap, and $ / carbon per 1k tokens that follow the traffic.

Hand-computed figures are worked out in the comments; the properties are checked with
hypothesis. With whole replicas, $ per 1k tokens is NOT monotone in the traffic: just past
one replica's capacity a second replica is billed and the cost per token nearly doubles
(see ``test_cost_per_token_jumps_when_a_replica_is_added``). What holds, and is checked: it
never rises while the replica count stays the same (in particular up to one replica's
capacity), it never rises when the traffic is multiplied by a whole number, and it is never
below the cost of replicas that are always busy.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model_scorecard.calc.architecture import architecture_from_config
from model_scorecard.calc.carbon import estimate_carbon
from model_scorecard.calc.cost import (
    self_hosted_blended_usd_per_1k_tokens,
    self_hosted_usd_per_1k_tokens,
    self_hosted_usd_per_1k_tokens_range,
)
from model_scorecard.calc.memory import (
    ENGINES,
    PRECISIONS,
    TP_SIZES,
    estimate_memory,
    fit_on_gpu,
    overhead_bytes,
)
from model_scorecard.calc.serving import (
    SECONDS_PER_DAY,
    batch_fit,
    blended_tokens_per_s,
    kv_capacity,
    replicas_for_demand,
    scaled_shape,
    serving_figures,
    usd_per_1k_tokens_for_demand,
    usd_per_day,
)
from model_scorecard.calc.speed import estimate_speed
from model_scorecard.tables.gpus import find_gpu

CONFIGS = Path(__file__).parent / "configs"
REPO = Path(__file__).resolve().parents[2]
H100_MIB = 81_559  # what CUDA reports for an "80 GB" H100 SXM


def arch(name: str):
    return architecture_from_config(json.loads((CONFIGS / f"{name}.json").read_text()))


LLAMA_8B = arch("meta-llama--Meta-Llama-3-8B")
LLAMA_70B = arch("meta-llama--Llama-3.1-70B-Instruct")
H100 = find_gpu("H100")
CONTEXT = 2_500  # the chat preset: 2,000 in + 500 out


def memory_of(a, precision: str = "bf16", batch: int = 8):
    return estimate_memory(a, precision=PRECISIONS[precision], context=CONTEXT, batch=batch,
                           gpus={H100.name: H100.memory_bytes})


MEM_8B = memory_of(LLAMA_8B)
SHAPE_8B = scaled_shape(LLAMA_8B, None, MEM_8B.active_params)


def serve(**kw):
    """serving_figures for Llama-3-8B on one H100, chat-shaped requests, a fixed 2 USD/GPU-hour."""
    args = dict(gpu_count=1, batch=8, input_tokens=2_000, output_tokens=500, grid_g_co2e_per_kwh=214.0, pue=1.1,
                eur_per_t=65.0, usd_per_gpu_hour=2.0)
    args.update(kw)
    return serving_figures(SHAPE_8B, H100, MEM_8B, **args)


# --------------------------------------------------------------------------- demand: hand-computed


def test_one_replica_exactly_busy():
    # 100 tokens/s × 86,400 s = 8,640,000 tokens a day: one replica, always busy
    d = replicas_for_demand(8_640_000, 100.0)
    assert (d.replicas, d.utilisation, d.demand_tokens_per_s) == (1, 1.0, 100.0)


def test_ten_million_tokens_a_day_on_100_tokens_per_s_replicas():
    # 10,000,000 / 86,400 = 115.74 tokens/s > 100: ⌈1.1574⌉ = 2 replicas at 115.74 / 200 = 0.5787
    d = replicas_for_demand(10_000_000, 100.0)
    assert d.replicas == 2
    assert d.demand_tokens_per_s == pytest.approx(115.740741, rel=1e-6)
    assert d.utilisation == pytest.approx(0.578704, rel=1e-5)
    assert d.served_tokens_per_s_capacity == 200.0


def test_low_traffic_still_bills_one_replica():
    # 1,000,000 / 86,400 = 11.574 tokens/s on a 4,000 tokens/s replica: 1 replica at 0.28 %
    d = replicas_for_demand(1_000_000, 4_000.0)
    assert d.replicas == 1 and d.utilisation == pytest.approx(11.574074 / 4_000, rel=1e-6)


def test_exactly_two_replicas_worth_is_two_replicas_not_three():
    # 17,280,000 tokens/day = 200 tokens/s = exactly 2 × 100
    d = replicas_for_demand(17_280_000, 100.0)
    assert (d.replicas, d.utilisation) == (2, 1.0)
    assert replicas_for_demand(17_280_001, 100.0).replicas == 3


def test_zero_traffic_is_utilisation_zero_and_an_undefined_cost_per_token():
    d = replicas_for_demand(0, 100.0)
    assert (d.replicas, d.utilisation, d.demand_tokens_per_s) == (1, 0.0, 0.0)
    assert usd_per_day(2.0, 1, 1) == 48.0  # the replica is still billed
    with pytest.raises(ValueError, match="undefined"):
        usd_per_1k_tokens_for_demand(2.0, 1, 1, 0)


@pytest.mark.parametrize("tokens_per_day, capacity", [(-1, 100.0), (10, 0.0), (10, -5.0), (math.nan, 1.0),
                                                      (10, math.inf), (True, 1.0)])
def test_demand_rejects_nonsense(tokens_per_day, capacity):
    with pytest.raises(ValueError):
        replicas_for_demand(tokens_per_day, capacity)


def test_cost_for_demand_hand_computed():
    # 2 replicas × 4 GPUs × 2.5 USD/h × 24 h = 480 USD/day; over 1e9 tokens = 0.00048 USD per 1k
    assert usd_per_day(2.5, 4, 2) == 480.0
    assert usd_per_1k_tokens_for_demand(2.5, 4, 2, 1_000_000_000) == pytest.approx(0.00048)
    # 1 H100 at 2 USD/h for 10M tokens a day: 48 / 10,000 = 0.0048 USD per 1k
    assert usd_per_1k_tokens_for_demand(2.0, 1, 1, 10_000_000) == pytest.approx(0.0048)


# --------------------------------------------------------------------------- the two cost formulas agree


@settings(max_examples=200, deadline=None)
@given(price=st.floats(0.01, 100), gpus=st.integers(1, 8), capacity=st.floats(1, 1e5),
       share=st.floats(1e-4, 1))
def test_traffic_cost_equals_the_utilisation_formula_with_one_replica(price, gpus, capacity, share):
    """replicas × N × p × 24 / D × 1000 with u = D / (86,400 × T) is calc/cost.py's 1000·N·p / (3600·T·u)."""
    tokens_per_day = share * capacity * SECONDS_PER_DAY  # at most one replica's worth
    d = replicas_for_demand(tokens_per_day, capacity)
    assert d.replicas == 1
    by_traffic = usd_per_1k_tokens_for_demand(price, gpus, 1, tokens_per_day)
    assert by_traffic == pytest.approx(self_hosted_usd_per_1k_tokens(price, gpus, capacity, d.utilisation), rel=1e-9)


def test_traffic_cost_equals_the_blended_formula_on_a_real_replica():
    """On Llama-3-8B: the traffic's cost at each end is cost.py's blended formula at that end's utilisation."""
    served = serve(tokens_per_day=10_000_000)
    assert served.utilisation_source == "traffic" and served.replicas.high == 1
    fast, likely, slow = served.demands
    s = served.speed
    for end, demand, (pre, dec) in (("low", fast, (s.prefill_tokens_per_s.high, s.decode_tokens_per_s_aggregate.high)),
                                    ("likely", likely, (s.prefill_tokens_per_s.likely,
                                                        s.decode_tokens_per_s_aggregate.likely)),
                                    ("high", slow, (s.prefill_tokens_per_s.low, s.decode_tokens_per_s_aggregate.low))):
        expected = self_hosted_blended_usd_per_1k_tokens(2.0, 1, pre, dec, demand.utilisation, 2_000, 500)
        assert getattr(served.usd_per_1k_tokens, end) == pytest.approx(expected, rel=1e-9)
    # the same as rent per day over the traffic: 48 USD / 10M tokens
    assert served.usd_per_1k_tokens.likely == pytest.approx(0.0048)


# --------------------------------------------------------------------------- cost against traffic: properties


def cost(tokens_per_day: float, capacity: float = 1_000.0, price: float = 2.0, gpus: int = 1) -> float:
    return usd_per_1k_tokens_for_demand(price, gpus, replicas_for_demand(tokens_per_day, capacity).replicas,
                                        tokens_per_day)


traffic = st.integers(1, 10**11)


@settings(max_examples=300, deadline=None)
@given(a=traffic, b=traffic, capacity=st.floats(1, 1e5))
def test_cost_per_token_never_rises_while_the_replica_count_stays(a, b, capacity):
    low, high = sorted((a, b))
    assume(replicas_for_demand(low, capacity).replicas == replicas_for_demand(high, capacity).replicas)
    assert cost(high, capacity) <= cost(low, capacity) * (1 + 1e-12)


@settings(max_examples=300, deadline=None)
@given(a=traffic, b=traffic, capacity=st.floats(1, 1e5))
def test_cost_per_token_never_rises_with_traffic_up_to_one_replica(a, b, capacity):
    one_replica = capacity * SECONDS_PER_DAY
    low, high = sorted((a, b))
    assume(high <= one_replica)
    assert cost(high, capacity) <= cost(low, capacity) * (1 + 1e-12)


@settings(max_examples=300, deadline=None)
@given(day=traffic, k=st.integers(1, 1000), capacity=st.floats(1, 1e5))
def test_cost_per_token_never_rises_when_the_traffic_is_multiplied(day, k, capacity):
    # ⌈k·x⌉ ≤ k·⌈x⌉: k times the traffic never needs more than k times the replicas
    assert cost(k * day, capacity) <= cost(day, capacity) * (1 + 1e-12)


@settings(max_examples=300, deadline=None)
@given(day=traffic, capacity=st.floats(1, 1e5), price=st.floats(0.01, 50), gpus=st.integers(1, 8))
def test_cost_per_token_is_between_always_busy_and_one_spare_replica(day, capacity, price, gpus):
    busy = self_hosted_usd_per_1k_tokens(price, gpus, capacity, 1.0)  # replicas serving all the time
    c = cost(day, capacity, price, gpus)
    assert busy * (1 - 1e-12) <= c <= busy * (1 + capacity * SECONDS_PER_DAY / day) * (1 + 1e-12)


def test_cost_per_token_jumps_when_a_replica_is_added():
    """The property 'more traffic never costs more per token' is false with whole replicas."""
    full = 1_000 * SECONDS_PER_DAY  # one 1,000 tokens/s replica, always busy
    assert cost(full) == pytest.approx(2.0 * 24 / full * 1000)
    assert cost(full + 1) == pytest.approx(2 * cost(full), rel=1e-6)  # a second replica, almost idle


@settings(max_examples=25, deadline=None)
@given(a=st.integers(1, 10**9), b=st.integers(1, 10**9))
def test_self_hosted_cost_never_rises_with_traffic_on_one_replica(a, b):
    """serving_figures on Llama-3-8B × 1 H100: while every end needs one replica (≤ ~240M tokens/day here),
    each end of the $ per 1k band falls or stays as the traffic grows; it always does for a multiple."""
    low, high = sorted((a, b))
    x, y = serve(tokens_per_day=low), serve(tokens_per_day=high)
    if y.replicas.high == 1:
        for end in ("low", "likely", "high"):
            assert getattr(y.usd_per_1k_tokens, end) <= getattr(x.usd_per_1k_tokens, end) * (1 + 1e-12)
    z = serve(tokens_per_day=3 * low)
    for end in ("low", "likely", "high"):
        assert getattr(z.usd_per_1k_tokens, end) <= getattr(x.usd_per_1k_tokens, end) * (1 + 1e-12)


# --------------------------------------------------------------------------- serving_figures


def test_ten_million_tokens_a_day_cost_more_per_token_than_a_billion():
    chat, batch = serve(tokens_per_day=10_000_000), serve(tokens_per_day=1_000_000_000)
    assert chat.usd_per_1k_tokens.likely > batch.usd_per_1k_tokens.likely
    assert chat.utilisation.likely < 0.1 < 0.5 < batch.utilisation.likely <= 1
    assert chat.replicas.likely == 1 < batch.replicas.likely
    # a billion tokens: ⌈11,574 tokens/s / replica throughput⌉ replicas, paid around the clock
    expected = math.ceil(1e9 / SECONDS_PER_DAY / batch.replica_tokens_per_s.likely)
    assert batch.replicas.likely == expected
    assert batch.usd_per_1k_tokens.likely == pytest.approx(expected * 2.0 * 24 / 1e9 * 1000)
    assert batch.usd_per_day.likely == expected * 48.0
    assert chat.tokens_per_day == 10_000_000
    assert chat.demand_tokens_per_s == pytest.approx(10_000_000 / SECONDS_PER_DAY)


def test_more_throughput_needs_as_many_or_fewer_replicas_and_costs_less():
    s = serve(tokens_per_day=1_000_000_000, usd_per_gpu_hour=None)  # the table's price range
    fast, likely, slow = s.demands
    assert fast.replica_tokens_per_s > likely.replica_tokens_per_s > slow.replica_tokens_per_s
    assert fast.replicas <= likely.replicas <= slow.replicas
    assert (s.replicas.low, s.replicas.likely, s.replicas.high) == (fast.replicas, likely.replicas, slow.replicas)
    assert s.utilisation.low <= s.utilisation.likely <= s.utilisation.high
    low, high = H100.usd_per_hour_low, H100.usd_per_hour_high
    assert s.usd_per_day.low == pytest.approx(fast.replicas * low * 24)
    assert s.usd_per_day.high == pytest.approx(slow.replicas * high * 24)


def test_an_explicit_utilisation_wins_over_the_traffic_and_gives_the_old_formula():
    s = serve(utilisation=0.7, tokens_per_day=10_000_000)
    assert s.utilisation_source == "given" and s.tokens_per_day is None and s.demands == ()
    assert (s.replicas.likely, s.utilisation.low, s.utilisation.high) == (1, 0.7, 0.7)
    expected = self_hosted_usd_per_1k_tokens_range(2.0, 1, s.speed.prefill_tokens_per_s,
                                                   s.speed.decode_tokens_per_s_aggregate, 0.7, 2_000, 500)
    assert s.usd_per_1k_tokens == expected
    assert any("utilisation 0.7 (given)" in a and "tokens_per_day not used" in a for a in s.assumptions)


def test_no_utilisation_and_no_traffic_assume_one_half_and_say_so():
    s = serve()
    assert s.utilisation_source == "assumed" and s.utilisation.likely == 0.5
    assert any("utilisation 0.5 assumed" in a for a in s.assumptions)
    assert s.usd_per_1k_tokens == serve(utilisation=0.5).usd_per_1k_tokens


def test_zero_traffic_says_the_cost_per_token_is_undefined():
    s = serve(tokens_per_day=0)
    assert s.usd_per_1k_tokens is None and s.carbon is None
    assert s.utilisation.high == 0.0 and s.replicas.likely == 1
    assert s.usd_per_day.likely == 48.0  # one replica is still billed
    assert "undefined" in s.undefined_note and s.undefined_note in s.assumptions


def test_carbon_uses_the_utilisation_the_traffic_gives():
    s = serve(tokens_per_day=10_000_000)
    fast, likely, slow = s.demands
    alone = estimate_carbon(H100, 1, s.replica_tokens_per_s.likely, utilisation=likely.utilisation, pue=1.1,
                            grid_g_co2e_per_kwh=214.0, eur_per_t=65.0)
    assert s.carbon.wh_per_1k_tokens.likely == pytest.approx(alone.wh_per_1k_tokens.likely)
    assert s.carbon.inputs["utilisation"]["likely"] == likely.utilisation
    # at 2.6 % utilisation the idle draw dominates: over 4× the energy per token of an assumed 0.5
    assert s.carbon.wh_per_1k_tokens.likely > 4 * serve().carbon.wh_per_1k_tokens.likely
    busy = serve(tokens_per_day=1_000_000_000)
    assert busy.carbon.g_co2e_per_1k_tokens.likely < s.carbon.g_co2e_per_1k_tokens.likely


def test_the_batch_is_capped_at_the_kv_capacity_and_says_so():
    s = serve(batch=64, kv_max_sequences=10, tokens_per_day=10_000_000)
    assert (s.batch_requested, s.batch, s.batch_capped, s.kv_max_sequences) == (64, 10, True, 10)
    ten = estimate_speed(SHAPE_8B, H100, weight_bits=16, kv_bytes_per_token=MEM_8B.kv_bytes_per_token,
                         prompt_tokens=2_000, output_tokens=500, batch=10)
    assert s.speed.decode_tokens_per_s_aggregate == ten.decode_tokens_per_s_aggregate
    assert s.replica_tokens_per_s == blended_tokens_per_s(ten, 2_000, 500)
    assert any("batch 64 capped at 10" in a and "2,500 tokens" in a for a in s.assumptions)
    roomy = serve(batch=8, kv_max_sequences=100)
    assert (roomy.batch, roomy.batch_capped) == (8, False)
    unchecked = serve(batch=8)
    assert any("KV cache was not checked" in a for a in unchecked.assumptions)


def test_no_gpu_price_gives_speed_replicas_and_no_cost():
    from dataclasses import replace

    from model_scorecard.calc.serving import gpu_price

    unpriced = replace(H100, usd_per_hour_low=None, usd_per_hour_high=None)
    assert gpu_price(unpriced, None) is None
    assert gpu_price(unpriced, 3.0) == (3.0, "GPU price 3 USD/hour (given)")
    assert gpu_price(H100, None)[0] == (H100.usd_per_hour_low, H100.usd_per_hour_high)
    s = serving_figures(SHAPE_8B, unpriced, MEM_8B, gpu_count=1, batch=8, input_tokens=2_000, output_tokens=500,
                        grid_g_co2e_per_kwh=214.0, pue=1.1, eur_per_t=65.0, usd_per_gpu_hour=None,
                        tokens_per_day=1_000_000_000)
    assert s.price is None and s.usd_per_1k_tokens is None and s.usd_per_day is None and s.carbon is None
    assert s.undefined_note == "no GPU price" and s.replicas.likely > 1 and s.speed is not None


@pytest.mark.parametrize("kw", [{"utilisation": 0.0}, {"utilisation": 1.5}, {"tokens_per_day": -1},
                                {"kv_max_sequences": 0}, {"batch": 0}, {"gpu_count": 0}])
def test_serving_figures_rejects_nonsense(kw):
    with pytest.raises(ValueError):
        serve(**kw)


# --------------------------------------------------------------------------- KV capacity


def test_kv_capacity_of_llama_3_8b_on_an_h100_hand_computed():
    # usable 81,559 MiB × 0.9 = 76.97 GB; weights 2 × 8,030,261,248 = 16.06 GB;
    # vLLM overhead 0.75 + 0.5 GiB + activations 8,192 tokens × (2·4096 + 48·128 + 3·14336) × 2 B
    #   + logits 256 × 128,256 × 4 B = 2.413 GB; budget 58.50 GB;
    # one 4,096-token sequence: 32 layers × 2 × 8 heads × 128 × 2 B × 4,096 = 536,870,912 B → 108.96 → 108
    cap = kv_capacity(LLAMA_8B, weights_total_bytes=2 * 8_030_261_248, gpu_memory_bytes=H100_MIB * 2**20,
                      tensor_parallel=1, context_tokens=4_096, kv_bytes_per_element=2, engine=ENGINES["vllm"])
    assert cap.overhead_bytes_per_gpu == 1.25 * 2**30 + 8_192 * 114_688 + 256 * 128_256 * 4
    assert cap.sequence_kv_bytes_per_gpu == 536_870_912
    assert cap.kv_budget_bytes_per_gpu == pytest.approx(58_495_170_969.6)
    assert cap.max_sequences == 108 and cap.fits
    assert "holds 108 sequence(s)" in cap.describe()


def test_seventy_b_in_fp8_on_one_h100_holds_one_chat_request():
    """The computed figures used to cost batch 64 here."""
    mem = memory_of(LLAMA_70B, "fp8", batch=64)
    cap = kv_capacity(LLAMA_70B, weights_total_bytes=mem.weights_bytes, gpu_memory_bytes=H100.memory_bytes,
                      tensor_parallel=1, context_tokens=CONTEXT, kv_bytes_per_element=2, engine=ENGINES["vllm"])
    assert cap.max_sequences == 1
    fit = batch_fit(LLAMA_70B, gpu=H100.name, weights_total_bytes=mem.weights_bytes,
                    gpu_memory_bytes=H100.memory_bytes, gpu_count=1, batch=64, context_tokens=CONTEXT,
                    kv_bytes_per_element=2, engine=ENGINES["vllm"])
    assert not fit.fits and fit.max_sequences == 1 and fit.gpu_count_for_batch == 2
    two = kv_capacity(LLAMA_70B, weights_total_bytes=mem.weights_bytes, gpu_memory_bytes=H100.memory_bytes,
                      tensor_parallel=2, context_tokens=CONTEXT, kv_bytes_per_element=2, engine=ENGINES["vllm"])
    assert two.max_sequences >= 64


def test_weights_that_do_not_fit_hold_no_sequence():
    cap = kv_capacity(LLAMA_70B, weights_total_bytes=141e9, gpu_memory_bytes=24 * 10**9, tensor_parallel=1,
                      context_tokens=CONTEXT, kv_bytes_per_element=2, engine=ENGINES["vllm"])
    assert cap.max_sequences == 0 and not cap.fits and cap.kv_budget_bytes_per_gpu < 0
    assert cap.needed_bytes_per_gpu > 141e9


@settings(max_examples=80, deadline=None)
@given(context=st.integers(1, 1 << 16), engine=st.sampled_from(sorted(ENGINES)),
       name=st.sampled_from(["meta-llama--Meta-Llama-3-8B", "mistralai--Mistral-7B-v0.1", "google--gemma-2-9b",
                             "deepseek-ai--DeepSeek-V2-Lite", "Qwen--Qwen2-7B-Instruct"]),
       t=st.sampled_from(TP_SIZES), gib=st.sampled_from([24, 48, 80, 141]))
def test_kv_capacity_is_the_largest_batch_that_fits(context, engine, name, t, gib):
    """max_sequences sequences fit the budget at that batch, one more do not; and it agrees with fit_on_gpu."""
    a, e = arch(name), ENGINES[engine]
    weights = a.total_params * 2.0
    cap = kv_capacity(a, weights_total_bytes=weights, gpu_memory_bytes=gib * 2**30, tensor_parallel=t,
                      context_tokens=context, kv_bytes_per_element=2, engine=e)

    def fits(batch: int) -> bool:
        budget = gib * 2**30 * e.gpu_memory_utilization - weights / t - overhead_bytes(a, e, t, batch, context)
        return budget >= e.kv_cache_bytes(a, context, batch, 2, t)

    m = cap.max_sequences
    assert m is not None and m >= 0
    if m:
        assert fits(m)
    assert not fits(m + 1)
    assert cap.fits == (m >= 1)
    assert cap.sequence_kv_bytes_per_gpu == e.kv_cache_bytes(a, context, 1, 2, t)
    if engine == "vllm":  # batch-independent overhead: the floor of fit_on_gpu's concurrency at t
        fit = fit_on_gpu(a, weights, "x", gib * 2**30, context=context, batch=1, kv_bytes=2, engine=e,
                         tp_sizes=(t,))
        if fit.fits:
            assert m == math.floor(fit.max_concurrency)


def test_batch_fit_agrees_with_the_memory_estimates_batch_fits():
    gpus = {g.name: g.memory_bytes for g in (H100, find_gpu("L4"), find_gpu("A100 40GB"))}
    for batch in (1, 8, 64, 256):
        mem = estimate_memory(LLAMA_8B, precision=PRECISIONS["bf16"], context=8_192, batch=batch, gpus=gpus)
        for f in mem.fits:
            b = batch_fit(LLAMA_8B, gpu=f.gpu, weights_total_bytes=mem.weights_bytes,
                          gpu_memory_bytes=f.gpu_memory_bytes, gpu_count=f.count, batch=batch, context_tokens=8_192,
                          kv_bytes_per_element=2, engine=ENGINES["vllm"])
            assert b.fits == f.batch_fits and b.gpu_count == f.count
            if b.fits:
                assert b.gpu_count_for_batch == f.count and b.max_sequences >= batch
            if b.gpu_count_for_batch is not None:  # the size named does hold the batch
                bigger = kv_capacity(LLAMA_8B, weights_total_bytes=mem.weights_bytes,
                                     gpu_memory_bytes=f.gpu_memory_bytes, tensor_parallel=b.gpu_count_for_batch,
                                     context_tokens=8_192, kv_bytes_per_element=2, engine=ENGINES["vllm"])
                assert bigger.max_sequences >= batch and b.gpu_count_for_batch >= f.count


# --------------------------------------------------------------------------- where things live


def test_estimate_re_exports_the_moved_helpers():
    import model_scorecard.calc.serving as serving
    import model_scorecard.sizing.estimate as estimate

    for name in ("scaled_shape", "gpu_price", "blended_tokens_per_s", "serving_figures", "Serving"):
        assert getattr(estimate, name) is getattr(serving, name)


def test_calc_serving_imports_no_yaml_pydantic_or_other_package_modules():
    code = ("import sys, model_scorecard.calc.serving\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic', 'ruamel')\n"
            "       or (m.startswith('model_scorecard.') and not m.startswith('model_scorecard.calc')\n"
            "           and m not in ('model_scorecard.errors', 'model_scorecard.units', 'model_scorecard._version'))]\n"
            "assert not bad, bad")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
