"""calc.quantization: what a quantization_config says, and unpacking stored counts."""

from __future__ import annotations

import pytest

from model_scorecard.calc.quantization import (
    bytes_from_dtype_counts,
    is_quant_metadata,
    logical_params,
    quantization_from_config,
)


def q(**qc):
    return quantization_from_config({"model_type": "llama", "quantization_config": qc})


def test_unquantized():
    assert quantization_from_config({"model_type": "llama"}) is None and quantization_from_config(None) is None


@pytest.mark.parametrize("qc, precision, bits, packed, per, bpw", [
    ({"quant_method": "gptq", "bits": 4, "group_size": 128}, "int4", 4, "I32", 8, 4 + 20 / 128),
    ({"quant_method": "awq", "bits": 4, "group_size": 64}, "int4", 4, "I32", 8, 4 + 20 / 64),
    ({"quant_method": "gptq", "bits": 8, "group_size": -1}, "int8", 8, "I32", 4, 8.0),
    ({"quant_method": "bitsandbytes", "load_in_4bit": True, "bnb_4bit_quant_type": "nf4"}, "nf4", 4, "U8", 2, 4.5),
    ({"quant_method": "bitsandbytes", "load_in_8bit": True}, "int8", 8, None, 1, 8.0),
    ({"quant_method": "mxfp4"}, "mxfp4", 4, "U8", 2, 4.25),
    ({"quant_method": "fp8", "weight_block_size": [128, 128]}, "fp8", 8, None, 1, 8 + 32 / 16384),
    ({"quant_method": "compressed-tensors", "format": "pack-quantized",
      "config_groups": {"group_0": {"weights": {"num_bits": 4, "type": "int", "group_size": 128, "symmetric": True}}}},
     "int4", 4, "I32", 8, 4 + 16 / 128),
    ({"quant_method": "compressed-tensors", "format": "nvfp4-pack-quantized",
      "config_groups": {"group_0": {"weights": {"num_bits": 4, "type": "float", "group_size": 16}}}},
     "nvfp4", 4, "U8", 2, 4.5),
])
def test_formats(qc, precision, bits, packed, per, bpw):
    info = q(**qc)
    assert (info["precision"], info["bits"], info["packed_dtype"], info["values_per_element"]) == (precision, bits, packed, per)
    assert info["bits_per_weight"] == pytest.approx(bpw, abs=1e-3)


def test_unknown_method_is_kept_without_packing():
    info = q(quant_method="hqq", nbits=3)
    assert info["method"] == "hqq" and info["bits"] == 3 and info["packed_dtype"] is None


def test_logical_params_unpacks_and_drops_metadata():
    gptq = q(quant_method="gptq", bits=4, group_size=128)
    assert logical_params({"I32": 100, "F16": 10}, gptq) == 810
    assert logical_params({"I32": 100, "F16": 10}, gptq, {"I32": 20, "F16": 5}) == 80 * 8 + 5
    assert logical_params({"BF16": 10}, None) is None
    assert logical_params({"F8_E4M3": 10}, q(quant_method="fp8")) is None  # nothing packed: stored = logical


def test_metadata_names():
    assert is_quant_metadata("model.layers.0.self_attn.q_proj.scales")
    assert is_quant_metadata("model.layers.0.mlp.experts.gate_up_proj_scales")
    assert not is_quant_metadata("model.layers.0.mlp.experts.gate_up_proj_blocks")
    assert not is_quant_metadata("model.layers.0.self_attn.q_proj.qweight")


def test_bytes_from_counts():
    assert bytes_from_dtype_counts({"BF16": 10, "F32": 1, "I32": 2, "F4": 4}) == 20 + 4 + 8 + 2
    assert bytes_from_dtype_counts({}) is None and bytes_from_dtype_counts({"WEIRD": 1}) is None
