"""`scorecard estimate`: replicas and utilisation follow the workload's traffic, a setup that does
not fit is never priced, and the batch is capped at what the KV cache holds."""

from __future__ import annotations

import json
import re

import pytest

from model_scorecard.sizing.estimate import plan_estimate
from model_scorecard.tables.gpus import find_gpu

WORKLOAD = """
    name: {name}
    input_tokens: 2000
    output_tokens: 500
    concurrency: 8
    tokens_per_day: {tokens_per_day}
"""


def as_json(cli, *args):
    result = cli("estimate", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def traffic(write):
    """traffic(n) → a workload file of chat-shaped requests at n tokens a day."""
    return lambda n: write(f"w{n}.yaml", WORKLOAD.format(name=f"t{n}", tokens_per_day=n))


def test_ten_million_tokens_a_day_cost_more_per_token_than_a_billion(cli, traffic):
    low = as_json(cli, "8B", "--gpu", "H100", "--workload", traffic(10_000_000))
    high = as_json(cli, "8B", "--gpu", "H100", "--workload", traffic(1_000_000_000))
    for end in ("low", "likely", "high"):
        assert low["usd_per_1k_tokens"][end] > high["usd_per_1k_tokens"][end]
    assert low["utilisation_source"] == high["utilisation_source"] == "traffic"
    assert low["tokens_per_day"] == 10_000_000 and low["replicas"]["likely"] == 1
    assert low["utilisation"]["likely"] < high["utilisation"]["likely"] <= 1
    assert high["replicas"]["likely"] > 1
    # the rent of the replicas over the tokens they serve
    assert high["usd_per_1k_tokens"]["likely"] == pytest.approx(high["usd_per_day"]["likely"] / 1e9 * 1000, rel=1e-4)
    assert low["demand_tokens_per_s"] == pytest.approx(115.741, abs=1e-3)
    assert any("10,000,000 tokens/day" in a for a in low["assumptions"])


def test_the_library_agrees(traffic):
    low = plan_estimate("8B", gpu="H100", workload=str(traffic(10_000_000)))
    high = plan_estimate("8B", gpu="H100", workload=str(traffic(1_000_000_000)))
    assert low.usd_per_1k_tokens.likely > high.usd_per_1k_tokens.likely
    assert low.serving.replicas.likely < high.serving.replicas.likely


def test_the_table_shows_replicas_utilisation_and_rent(cli, traffic):
    result = cli("estimate", "8B", "--gpu", "H100", "--workload", traffic(1_000_000_000))
    assert result.exit_code == 0, result.output
    text = plain(result.stdout)
    for words in ("Serving the traffic (utilisation: traffic)", "Replicas", "Utilisation", "GPU rent",
                  "USD per day", "traffic 1,000,000,000 tokens/day = 11,574.1 tokens/s"):
        assert words in text


def test_a_given_utilisation_still_works_and_wins_over_the_traffic(cli, traffic):
    doc = as_json(cli, "8B", "--gpu", "H100", "--workload", traffic(10_000_000), "--utilisation", "0.5")
    assert doc["utilisation_source"] == "given" and doc["utilisation"] == {"low": 0.5, "likely": 0.5, "high": 0.5}
    assert doc["replicas"] == {"low": 1, "likely": 1, "high": 1} and doc["inputs"]["utilisation"] == 0.5
    derived = as_json(cli, "8B", "--gpu", "H100", "--workload", traffic(10_000_000))
    # ~2.6 % busy at 10M tokens/day: a given 0.5 is far cheaper per token than the traffic allows
    assert doc["usd_per_1k_tokens"]["likely"] < derived["usd_per_1k_tokens"]["likely"] / 10
    assert cli("estimate", "8B", "--utilisation", "1.5").exit_code == 2


def test_a_workload_without_traffic_assumes_one_half(cli, write):
    path = write("w.yaml", "name: plain\ninput_tokens: 2000\noutput_tokens: 500\n")
    doc = as_json(cli, "8B", "--gpu", "H100", "--workload", path)
    assert doc["utilisation_source"] == "assumed" and doc["utilisation"]["likely"] == 0.5
    assert any("utilisation 0.5 assumed" in a for a in doc["assumptions"])


def test_zero_traffic_says_the_cost_per_token_is_undefined(cli, traffic):
    doc = as_json(cli, "8B", "--gpu", "H100", "--workload", traffic(0))
    assert doc["usd_per_1k_tokens"] is None and doc["g_co2e_per_1k_tokens"] is None
    assert "undefined" in doc["usd_per_1k_tokens_undefined"] and doc["usd_per_day"]["likely"] > 0
    assert doc["utilisation"]["likely"] == 0
    result = cli("estimate", "8B", "--gpu", "H100", "--workload", traffic(0))
    assert result.exit_code == 0 and "cost per token is undefined" in plain(result.stdout)


def test_seventy_b_on_one_l4_is_never_priced_on_one_gpu(cli):
    doc = as_json(cli, "70B", "--gpu", "L4", "--gpus", "1")
    assert doc["gpu_count_requested"] == 1 and doc["gpu_count"] == 8
    note = next(a for a in doc["assumptions"] if a.startswith("--gpus 1 does not hold"))
    assert "140 GB of weights" in note and "priced at 8× L4" in note
    # the price is eight GPUs' rent: 8 × the L4's hourly range × 24 h per day
    l4 = find_gpu("L4")
    assert doc["usd_per_day"]["low"] == pytest.approx(8 * l4.usd_per_hour_low * 24) and doc["replicas"]["likely"] == 1
    assert doc["usd_per_day"]["high"] == pytest.approx(8 * l4.usd_per_hour_high * 24)
    table = plain(cli("estimate", "70B", "--gpu", "L4", "--gpus", "1").stdout)
    assert "8× L4" in table and "1× L4" not in table


def test_a_model_that_fits_on_no_count_names_the_memory_it_needs(cli):
    result = cli("estimate", "405B", "--gpu", "L4", "--gpus", "1")
    assert result.exit_code == 2 and "Traceback" not in result.output
    message = plain(result.stderr)
    assert "405B does not fit on 8× L4" in message and "810 GB of weights" in message
    assert "GB per GPU on 8 GPUs" in message


def test_a_given_count_that_fits_is_kept(cli):
    doc = as_json(cli, "8B", "--gpu", "H100", "--gpus", "2")
    assert doc["gpu_count"] == 2 and doc["gpu_count_requested"] == 2
    assert "2× H100 SXM per replica (given)" in doc["assumptions"]


def test_the_batch_is_capped_at_what_the_kv_cache_holds(cli):
    doc = as_json(cli, "70B", "--gpu", "H100", "--precision", "fp8", "--workload", "batch")
    assert doc["batch_requested"] == 64 and doc["batch_capped"]
    assert doc["batch"] == doc["kv_max_sequences"] == 1 and doc["gpu_count"] == 1
    assert doc["gpu_count_for_batch"] == 2
    assert any(a.startswith("batch 64 capped at 1: the KV cache of 1× H100 SXM holds 1") for a in doc["assumptions"])
    table = plain(cli("estimate", "70B", "--gpu", "H100", "--precision", "fp8", "--workload", "batch").stdout)
    assert "batch 64 capped at 1" in table and "--gpus 2" in table
    roomy = as_json(cli, "70B", "--gpu", "H100", "--precision", "fp8", "--workload", "batch", "--gpus", "2")
    assert not roomy["batch_capped"] and roomy["batch"] == 64 and roomy["kv_max_sequences"] >= 64


@pytest.mark.parametrize("gpu", ["A10G", "m4-max"])
def test_no_published_bf16_peak_means_no_speed_estimate_rather_than_an_invented_one(cli, gpu):
    result = cli("estimate", "8B", "--gpu", gpu, "--usd-per-gpu-hour", "1")
    assert result.exit_code == 2 and "Traceback" not in result.output
    message = plain(result.stderr)
    assert "no published dense BF16/FP16 tensor peak" in message and "--gpus-file" in message


def test_a_bf16_peak_from_the_users_own_file_makes_the_estimate(cli, write):
    mine = write("mac.yaml", """
        gpus:
          - name: Apple M4 Max 128GB
            aliases: [m4-max]
            memory_gib: 96
            bandwidth_gb_per_s: 546
            bf16_tflops: 30
            interconnect: none
            source: my own measurement
        """)
    doc = as_json(cli, "8B", "--gpu", "m4 max", "--gpus-file", mine, "--usd-per-gpu-hour", "0.5")
    assert doc["gpu"] == "Apple M4 Max 128GB" and doc["gpu_count"] == 1
    assert 0 < doc["tpot_ms"]["low"] <= doc["tpot_ms"]["high"]
    # one device: no tensor-parallel count is offered or accepted
    result = cli("estimate", "8B", "--gpu", "m4 max", "--gpus-file", mine, "--gpus", "2", "--usd-per-gpu-hour", "1")
    assert result.exit_code == 2 and "single device" in plain(result.stderr)
    result = cli("estimate", "405B", "--gpu", "m4 max", "--gpus-file", mine, "--usd-per-gpu-hour", "1")
    assert result.exit_code == 2 and "does not fit on 1× Apple M4 Max 128GB" in plain(result.stderr)


def test_the_new_data_centre_cards_are_estimated(cli):
    for gpu in ("rtx-6000-ada", "rtx-pro-6000-server"):
        doc = as_json(cli, "8B", "--gpu", gpu, "--usd-per-gpu-hour", "1")
        assert doc["gpu_count"] == 1 and doc["tpot_ms"]["likely"] > 0


def test_a_gpu_without_a_tdp_gets_speed_and_cost_but_no_invented_carbon(cli):
    # TPU v5e's table row has no TDP: energy and carbon stay unknown, said in the assumptions
    doc = as_json(cli, "8B", "--gpu", "tpu-v5e", "--usd-per-gpu-hour", "1")
    assert doc["tpot_ms"]["likely"] > 0 and doc["usd_per_1k_tokens"] is not None
    assert doc["wh_per_1k_tokens"] is None and doc["g_co2e_per_1k_tokens"] is None
    assert any("no power figure (TDP)" in a for a in doc["assumptions"])
