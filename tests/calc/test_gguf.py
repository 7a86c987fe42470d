"""``data/gguf.yaml`` (GGUF types for ``--quant``) against llama.cpp's own numbers.

Two independent sources, transcribed here rather than read from the table under test:

* ggml's block structs: ``ggml/src/ggml-common.h``, each ``block_*`` with a ``static_assert``
  on its size, e.g. ``sizeof(block_q4_K) == 2*sizeof(ggml_half) + K_SCALE_SIZE + QK_K/2``
  (https://github.com/ggml-org/llama.cpp/blob/01243c587feceaa5d6a6c2305535ef2f549c48b8/ggml/src/ggml-common.h),
  which gguf-py restates as ``GGML_QUANT_SIZES`` (block size, bytes per block)
  (https://github.com/ggml-org/llama.cpp/blob/0024aa7417efd50a7c2a79e049dfbbbceb0beaaf/gguf-py/gguf/constants.py).
* the whole-file sizes ``llama-quantize`` prints per file type, "@ Llama-3-8B", in GiB
  (``QUANT_OPTIONS`` in
  https://github.com/ggml-org/llama.cpp/blob/03161a4eb9a2ec66ef97789f347c5a28279f06ea/tools/quantize/quantize.cpp).

A file type such as Q4_K_M is a MIX of block types (Q4_K for most tensors, Q6_K for some), so
its bits per weight is an average that depends on the model: the table must say it is a mix,
and its figure must lie between the cheapest and the dearest block type of the mix.
"""

from __future__ import annotations

import json

import pytest

from model_scorecard import bundled
from model_scorecard.calc.memory import weight_bytes
from model_scorecard.schema.yamlio import load_file
from model_scorecard.sizing.target import gguf_precision, gguf_types

QK_K, K_SCALE_SIZE, HALF = 256, 12, 2  # ggml-common.h: super-block size, 6-bit scales bytes, sizeof(ggml_half)

# type -> (weights per block, bytes per block), each spelled as in ggml-common.h's static_asserts
GGML_BLOCKS: dict[str, tuple[int, int]] = {
    "F64": (1, 8),
    "F32": (1, 4),
    "F16": (1, 2),
    "BF16": (1, 2),
    "Q8_0": (32, HALF + 32),                                   # d + qs[QK8_0]
    "Q6_K": (QK_K, HALF + QK_K // 16 + 3 * QK_K // 4),         # ql + qh + scales + d
    "Q5_1": (32, 2 * HALF + 4 + 32 // 2),                      # d, m + qh[4] + qs
    "Q5_K": (QK_K, 2 * HALF + K_SCALE_SIZE + QK_K // 2 + QK_K // 8),
    "Q5_0": (32, HALF + 4 + 32 // 2),                          # d + qh[4] + qs
    "Q4_1": (32, 2 * HALF + 32 // 2),                          # d, m + qs
    "Q4_K": (QK_K, 2 * HALF + K_SCALE_SIZE + QK_K // 2),
    "Q4_0": (32, HALF + 32 // 2),
    "IQ4_NL": (32, HALF + 32 // 2),
    "NVFP4": (64, 64 // 16 + 64 // 2),                         # d[4] (UE4M3, one per 16) + qs
    "IQ4_XS": (QK_K, HALF + 2 + QK_K // 64 + QK_K // 2),       # d + scales_h + scales_l + qs
    "MXFP4": (32, 1 + 32 // 2),                                # e (E8M0) + qs
    "Q3_K": (QK_K, HALF + QK_K // 4 + QK_K // 8 + 12),         # d + qs + hmask + scales
    "IQ3_S": (QK_K, HALF + QK_K // 4 + QK_K // 32 + QK_K // 8 + QK_K // 64),  # d + qs + qh + signs + scales
    "IQ3_XXS": (QK_K, HALF + 3 * (QK_K // 8)),
    "Q2_K": (QK_K, 2 * HALF + QK_K // 16 + QK_K // 4),         # d, dmin + scales + qs
    "IQ2_S": (QK_K, HALF + QK_K // 4 + QK_K // 32 + QK_K // 32),  # d + qs + qh + scales
    "IQ2_XS": (QK_K, HALF + QK_K // 8 * 2 + QK_K // 32),       # d + qs (uint16) + scales
    "IQ2_XXS": (QK_K, HALF + QK_K // 8 * 2),                   # d + qs (uint16)
    "TQ2_0": (QK_K, QK_K // 4 + HALF),                         # qs + d
    "IQ1_M": (QK_K, QK_K // 8 + QK_K // 16 + QK_K // 32),      # qs + qh + scales (no separate d)
    "TQ1_0": (QK_K, (QK_K - 4 * QK_K // 64) // 5 + QK_K // 64 + HALF),  # qs (5 trits/byte) + qh + d
    "IQ1_S": (QK_K, HALF + QK_K // 8 + QK_K // 32 * 2),        # d + qs + qh (uint16)
    "Q1_0": (128, HALF + 128 // 8),                            # d + one sign bit per weight
}

# gguf-py types we leave out on purpose, with the reason. Everything else gguf-py lists must be ours.
GGUF_PY_ABSENT: dict[str, str] = {
    "I8": "plain integer tensor (indices, token types), not a weight format",
    "I16": "plain integer tensor, not a weight format",
    "I32": "plain integer tensor, not a weight format",
    "I64": "plain integer tensor, not a weight format",
    "Q8_1": "activation-side type of ggml's dot products, never stored as weights; gguf-py's (32, 40) also "
            "predates ggml-common.h's 36-byte struct (a half2 d, s + 32 int8)",
    "Q8_K": "activation-side type of the K-quant dot products (fp32 d + 256 int8 + 16 int16 sums), never "
            "stored as weights",
}

# The bits per weight the task names, from those sizes (bytes x 8 / weights).
EXPECTED_BLOCK_BITS = {"Q4_0": 4.5, "Q8_0": 8.5, "Q4_K": 4.5, "Q6_K": 6.5625, "Q5_K": 5.5, "Q3_K": 3.4375,
                       "Q2_K": 2.625, "IQ4_XS": 4.25, "MXFP4": 4.25, "NVFP4": 4.5}

# quantize.cpp QUANT_OPTIONS: file size in GiB "@ Llama-3-8B" (8,030,261,248 parameters).
LLAMA3_8B = 8_030_261_248
QUANTIZE_GIB_AT_LLAMA3_8B = {"Q2_K": 2.96, "Q3_K_S": 3.41, "Q3_K_M": 3.74, "Q3_K_L": 4.03, "Q4_0": 4.34,
                             "Q4_1": 4.78, "Q5_1": 5.65, "Q4_K_S": 4.37, "Q4_K_M": 4.58, "Q5_0": 5.21, "Q5_K_S": 5.21, "Q5_K_M": 5.33,
                             "Q6_K": 6.14, "Q8_0": 7.96}

# The block types each file-type recipe may use (src/llama-quant.cpp, llama_tensor_get_type):
# the main type, the types some tensors are raised to, and Q6_K for output.weight.
MIXES = {"Q2_K": ("Q2_K", "Q6_K"), "Q3_K_S": ("Q3_K", "Q6_K"), "Q3_K_M": ("Q3_K", "Q6_K"),
         "Q3_K_L": ("Q3_K", "Q6_K"), "Q4_0": ("Q4_0", "Q6_K"), "Q4_K_S": ("Q4_K", "Q6_K"),
         "Q4_K_M": ("Q4_K", "Q6_K"), "Q5_0": ("Q5_0", "Q6_K"), "Q5_K_S": ("Q5_K", "Q6_K"),
         "Q5_K_M": ("Q5_K", "Q6_K"), "IQ4_XS": ("IQ4_XS", "Q6_K"), "Q4_1": ("Q4_1", "Q6_K"),
         "Q5_1": ("Q5_1", "Q6_K")}
SINGLE_TYPE = {"F16", "BF16", "Q8_0", "Q6_K"}  # every 2-D weight in one block type


def table() -> dict:
    data = load_file(bundled.data_file("gguf.yaml")).data
    assert data["schema_version"] == 1
    return data


def test_block_types_match_ggml_struct_sizes() -> None:
    blocks = table()["block_types"]
    assert set(blocks) == set(GGML_BLOCKS)
    for name, (weights, size) in GGML_BLOCKS.items():
        row = blocks[name]
        assert (row["weights_per_block"], row["bytes_per_block"]) == (weights, size), name
        assert row["block_bits"] == size * 8 / weights, name
        assert row["layout"], name
    for name, bits in EXPECTED_BLOCK_BITS.items():
        assert blocks[name]["block_bits"] == bits, name


def test_block_table_matches_gguf_py_both_ways() -> None:
    """Every block type of ours has gguf-py's (weights, bytes); every gguf-py type is ours or
    deliberately absent (GGUF_PY_ABSENT says why). A gguf release with a new type fails here
    until the table (or the absent list) says what to do with it."""
    from gguf.constants import (
        GGML_QUANT_SIZES,  # test-only dependency (pyproject's test extra)
    )

    theirs = {t.name: tuple(sizes) for t, sizes in GGML_QUANT_SIZES.items()}
    blocks = table()["block_types"]
    for name, row in blocks.items():
        assert name in theirs, f"{name}: not a ggml type gguf-py knows"
        assert (row["weights_per_block"], row["bytes_per_block"]) == theirs[name], name
    unexplained = set(theirs) - set(blocks) - set(GGUF_PY_ABSENT)
    assert not unexplained, f"gguf-py types neither in data/gguf.yaml nor listed as absent: {sorted(unexplained)}"
    assert not set(GGUF_PY_ABSENT) & set(blocks), "a type is both in the table and listed as absent"
    assert set(GGUF_PY_ABSENT) <= set(theirs), "the absent list names a type gguf-py does not have"


def test_every_file_type_names_a_real_block_type_and_a_source() -> None:
    data = table()
    for name, row in data["types"].items():
        block = data["block_types"][row["block_type"]]
        assert row["block_bits"] == block["block_bits"], name
        assert row["source"] and row["note"], name
        assert name in MIXES or name in SINGLE_TYPE, f"{name}: say which block types its recipe mixes"


@pytest.mark.parametrize("name", sorted(SINGLE_TYPE))
def test_single_type_files_cost_their_block_bits(name: str) -> None:
    row = table()["types"][name]
    # whole-file figures add F32 norms and metadata: a hundredth of a bit at most
    assert row["block_bits"] <= row["bits_per_weight"] <= row["block_bits"] + 0.01


@pytest.mark.parametrize("name", sorted(MIXES))
def test_mixes_are_labelled_and_lie_between_their_block_types(name: str) -> None:
    data = table()
    row = data["types"][name]
    low, high = (data["block_types"][t]["block_bits"] for t in MIXES[name])
    assert low < row["bits_per_weight"] < high, (name, low, row["bits_per_weight"], high)
    # the note says which tensors are raised, i.e. that this is an average over a mix
    assert "Q6_K" in row["note"] and "output.weight" in row["note"], name


@pytest.mark.parametrize("name", sorted(QUANTIZE_GIB_AT_LLAMA3_8B))
def test_effective_bits_agree_with_llama_quantize_sizes(name: str) -> None:
    """GiB @ Llama-3-8B -> bits per parameter, within the rounding of the printed size (0.005
    GiB = 0.005 bit) plus the file's non-tensor bytes (tokenizer, metadata: ~0.01 bit)."""
    from_quantize = QUANTIZE_GIB_AT_LLAMA3_8B[name] * 2**30 * 8 / LLAMA3_8B
    assert table()["types"][name]["bits_per_weight"] == pytest.approx(from_quantize, abs=0.02)


def test_gguf_precision_reads_the_table_case_insensitively() -> None:
    p = gguf_precision("q4_k_m")
    assert p.name == "Q4_K_M" and p.bits == p.value_bits == 4.90 and not p.keeps_embeddings_16bit
    assert "4.9 bits per weight on average" in p.note
    # weights of an 8B model at Q4_K_M: what llama.cpp reports for the file (4.58 GiB), within 1%
    assert weight_bytes(LLAMA3_8B, p).total_bytes / 2**30 == pytest.approx(4.58, rel=0.01)
    assert set(gguf_types()) == set(table()["types"])


def test_types_without_a_sourced_file_figure_are_refused() -> None:
    from model_scorecard.errors import UserError

    # block types only: no whole-file figure
    for name in ("IQ4_NL", "IQ3_XXS", "IQ2_XS", "IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_S", "IQ3_S", "TQ1_0", "TQ2_0",
                 "MXFP4", "NVFP4", "Q1_0"):
        with pytest.raises(UserError, match="unknown GGUF type"):
            gguf_precision(name)


# --------------------------------------------------------------------------- the CLI

def test_vram_7b_q4_k_m_end_to_end(cli) -> None:
    result = cli("vram", "7B", "--quant", "Q4_K_M", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["precision"] == "Q4_K_M" and doc["bits_per_weight"] == 4.9
    assert doc["params"] == 7 * 10**9
    assert doc["weights_bytes"] == round(7e9 * 4.9 / 8)  # 4.29 GB: no 16-bit embeddings in a GGUF mix
    assert doc["weights"]["kept_16bit_bytes"] == 0 and doc["weights"]["quantisation_metadata_bytes"] == 0
    assert doc["total_bytes"] == doc["weights_bytes"] + doc["kv_cache_bytes"] + doc["overhead_bytes"]
    assert any("GGUF Q4_K_M" in a for a in doc["assumptions"])
    table_out = cli("vram", "7B", "--quant", "Q4_K_M")
    assert table_out.exit_code == 0 and "Q4_K_M" in table_out.stdout and "4.29 GB" in table_out.stdout


def test_vram_unknown_quant_exits_2_and_lists_the_known_names(cli) -> None:
    result = cli("vram", "7B", "--quant", "Q4_K_XL")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "unknown GGUF type 'Q4_K_XL'" in result.stderr
    known = result.stderr.split("known:", 1)[1]
    for name in table()["types"]:
        assert name in known
    assert "--bits N" in known
