"""Quantized checkpoints: what a ``quantization_config`` says, and logical parameter counts.

A quantized checkpoint stores several low-bit weights in one element of a wider dtype:
GPTQ, AWQ and compressed-tensors' ``pack-quantized`` format put eight 4-bit values in one
``I32``; bitsandbytes 4-bit, MXFP4 and NVFP4 put two 4-bit values in one ``U8``. Counting
the stored elements (what the Hub's safetensors metadata does) undercounts such a model
8× or 2× on those tensors. :func:`quantization_from_config` reads the packing from the
config, and :func:`logical_params` undoes it.

Pure functions, no I/O. ``bits_per_weight`` is the storage cost of one quantized weight
with its share of the scales (and zero points) of its group, as each format lays them
out; the formulas are written next to each format below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "DTYPE_BITS",
    "QUANT_METADATA_SUFFIXES",
    "bytes_from_dtype_counts",
    "is_quant_metadata",
    "logical_params",
    "quantization_from_config",
]

#: Bits per stored element of every safetensors dtype.
DTYPE_BITS: Mapping[str, float] = {
    "F64": 64, "I64": 64, "U64": 64,
    "F32": 32, "I32": 32, "U32": 32,
    "F16": 16, "BF16": 16, "I16": 16, "U16": 16,
    "F8_E4M3": 8, "F8_E5M2": 8, "F8_E8M0": 8, "E8M0": 8, "I8": 8, "U8": 8, "BOOL": 8,
    "F6_E2M3": 6, "F6_E3M2": 6,
    "F4": 4,
}

#: Names (suffixes) of tensors that hold quantization state rather than model weights:
#: scales, zero points, group indices, absmax blocks, shapes.
QUANT_METADATA_SUFFIXES: tuple[str, ...] = (
    ".qzeros", ".scales", ".g_idx", ".absmax", ".quant_map", ".nested_absmax", ".nested_quant_map",
    ".quant_state.bitsandbytes__nf4", ".quant_state.bitsandbytes__fp4", "_scales", ".weight_scale",
    ".weight_scale_inv", ".weight_zero_point", ".weight_global_scale", ".input_global_scale",
    ".input_scale", ".weight_shape", ".weight_g_idx", ".SCB", ".weight_format",
)


def is_quant_metadata(tensor_name: str) -> bool:
    return tensor_name.endswith(QUANT_METADATA_SUFFIXES)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _grouped(method: str, bits: int, group_size: int | None, scale_bits: int, zero_bits: int,
             packed_dtype: str | None, precision: str) -> dict[str, Any]:
    """A weight quantized in groups: each group of ``group_size`` weights shares one scale
    (``scale_bits``) and, for asymmetric formats, one zero point (``zero_bits``)."""
    per_group = scale_bits + zero_bits
    bpw = bits + per_group / group_size if group_size and group_size > 0 else float(bits)
    elem_bits = DTYPE_BITS.get(packed_dtype, 0) if packed_dtype else 0
    return {
        "method": method,
        "precision": precision,
        "bits": bits,
        "group_size": group_size if group_size and group_size > 0 else None,
        "bits_per_weight": round(bpw, 4),
        "packed_dtype": packed_dtype,
        "values_per_element": int(elem_bits // bits) if packed_dtype and elem_bits > bits else 1,
    }


def quantization_from_config(config: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The quantization a ``config.json`` declares, or None for an unquantized model.

    Keys: ``method`` (the config's ``quant_method``), ``precision`` (``int4``, ``nf4``,
    ``mxfp4``, ``fp8`` …), ``bits``, ``group_size``, ``bits_per_weight`` (scales included),
    ``packed_dtype`` (the safetensors dtype that carries packed values, or None) and
    ``values_per_element`` (how many quantized values one such element holds). A method
    this module does not know is returned with what the config states and no packing.
    """
    if not isinstance(config, Mapping):
        return None
    qc = config.get("quantization_config")
    if not isinstance(qc, Mapping):
        return None
    method = str(qc.get("quant_method") or "unknown").lower()

    if method in ("gptq", "awq", "auto-round", "autoround", "gptq_marlin"):
        # Packed into I32 (32 / bits values each); an fp16 scale and a packed zero point per group.
        bits = _int(qc.get("bits")) or _int(qc.get("w_bit")) or 4
        group = _int(qc.get("group_size")) or _int(qc.get("q_group_size"))
        return _grouped(method, bits, group, 16, bits, "I32" if 32 % bits == 0 else None, f"int{bits}")

    if method == "bitsandbytes":
        if qc.get("load_in_4bit") or qc.get("_load_in_4bit"):
            # Two 4-bit values per U8; an fp32 absmax per block of 64 weights, or, with double
            # quantization, an 8-bit absmax per 64 plus an fp32 constant per 256 blocks.
            kind = str(qc.get("bnb_4bit_quant_type") or "fp4").lower()
            info = _grouped(method, 4, 64, 32, 0, "U8", kind)
            if qc.get("bnb_4bit_use_double_quant"):
                info["bits_per_weight"] = round(4 + 8 / 64 + 32 / (64 * 256), 4)
            return info
        if qc.get("load_in_8bit") or qc.get("_load_in_8bit"):
            return _grouped(method, 8, None, 0, 0, None, "int8")
        return {"method": method, "precision": None, "bits": None, "group_size": None,
                "bits_per_weight": None, "packed_dtype": None, "values_per_element": 1}

    if method == "mxfp4":
        # OCP MX: 32 fp4 (e2m1) values share one e8m0 scale byte; two values per U8.
        return _grouped(method, 4, 32, 8, 0, "U8", "mxfp4")

    if method in ("fp8", "fbgemm_fp8", "finegrained_fp8"):
        block = qc.get("weight_block_size")
        group = None
        if isinstance(block, list) and len(block) == 2 and all(_int(b) for b in block):
            group = block[0] * block[1]  # one fp32 scale per block (DeepSeek-V3: 128 × 128)
        return _grouped(method, 8, group, 32, 0, None, "fp8")

    if method == "compressed-tensors":
        return _compressed_tensors(qc)

    bits = _int(qc.get("bits")) or _int(qc.get("nbits")) or _int(qc.get("weight_bits"))
    group = _int(qc.get("group_size"))
    return {"method": method, "precision": f"int{bits}" if bits else None, "bits": bits, "group_size": group,
            "bits_per_weight": float(bits) if bits else None, "packed_dtype": None, "values_per_element": 1}


def _compressed_tensors(qc: Mapping[str, Any]) -> dict[str, Any]:
    fmt = str(qc.get("format") or "")
    weights: Mapping[str, Any] = {}
    groups = qc.get("config_groups")
    if isinstance(groups, Mapping):
        for group in groups.values():
            if isinstance(group, Mapping) and isinstance(group.get("weights"), Mapping):
                weights = group["weights"]
                break
    bits = _int(weights.get("num_bits"))
    kind = str(weights.get("type") or "int")
    group = _int(weights.get("group_size"))
    if bits is None:
        return {"method": "compressed-tensors", "precision": None, "bits": None, "group_size": None,
                "bits_per_weight": None, "packed_dtype": None, "values_per_element": 1}
    precision = f"fp{bits}" if kind == "float" else f"int{bits}"
    if "nvfp4" in fmt:
        # NVFP4: 16 fp4 values share one fp8 scale; two values per U8.
        return _grouped("compressed-tensors", 4, 16, 8, 0, "U8", "nvfp4")
    packed = "I32" if fmt == "pack-quantized" and 32 % bits == 0 and bits < 8 else None
    zero_bits = 0 if weights.get("symmetric", True) else bits
    return _grouped("compressed-tensors", bits, group, 16, zero_bits, packed, precision)


def logical_params(params_by_dtype: Mapping[str, int], quantization: Mapping[str, Any] | None,
                   metadata_by_dtype: Mapping[str, int] | None = None) -> int | None:
    """Parameters as the unquantized model counts them, from stored element counts.

    ``params_by_dtype`` counts stored elements per safetensors dtype. Elements of the
    packed dtype are multiplied by ``values_per_element``. ``metadata_by_dtype`` counts the
    elements of quantization-state tensors (scales, zero points …; see
    :func:`is_quant_metadata`) and is subtracted when known, which makes the result exact;
    without it those small tensors are counted as if they were weights. Returns None when
    nothing is packed (the stored count already is the logical count) or when nothing is known.
    """
    if not params_by_dtype or not quantization or not quantization.get("packed_dtype"):
        return None
    packed = quantization["packed_dtype"]
    factor = int(quantization.get("values_per_element") or 1)
    meta = metadata_by_dtype or {}
    total = 0
    for dtype, count in params_by_dtype.items():
        n = max(0, count - meta.get(dtype, 0))
        total += n * factor if dtype == packed else n
    return total


def bytes_from_dtype_counts(params_by_dtype: Mapping[str, int]) -> int | None:
    """Bytes of the stored tensors: elements × the size of their dtype (headers not counted)."""
    if not params_by_dtype:
        return None
    total_bits = 0.0
    for dtype, count in params_by_dtype.items():
        bits = DTYPE_BITS.get(dtype.upper())
        if bits is None:
            return None
        total_bits += count * bits
    return int(round(total_bits / 8))
