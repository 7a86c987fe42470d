"""Quantized checkpoints: what a ``quantization_config`` says, and logical parameter counts.

A quantized checkpoint stores several low-bit weights in one element of a wider dtype:
GPTQ, AWQ and compressed-tensors' ``pack-quantized`` format put eight 4-bit values in one
``I32``; bitsandbytes 4-bit, MXFP4 and NVFP4 put two 4-bit values in one ``U8``. Counting
the stored elements (what the Hub's safetensors metadata does) undercounts such a model
8× or 2× on those tensors. :func:`quantization_from_config` reads the packing from the
config, and :func:`logical_params` undoes it.

Pure functions, no I/O. ``scheme_bits_per_weight`` is the storage cost of one quantized
weight with its share of the scales (and zero points) of its group, as each format lays
them out; the formulas are written next to each format below:

* MXFP4 (OCP microscaling; gpt-oss's experts): 32 E2M1 values share one E8M0 scale byte,
  4 + 8/32 = 4.25 bits.
* NVFP4 (ModelOpt ``quant_algo: NVFP4``, compressed-tensors ``nvfp4-pack-quantized``): 16
  E2M1 values share one FP8 E4M3 scale, 4 + 8/16 = 4.5 bits, plus one FP32 scale per
  tensor (32 bits over millions of weights: left out).
* FP8 with block scales (DeepSeek-V3's ``quant_method: fp8``, ``weight_block_size:
  [128, 128]``): one FP32 scale per 128 × 128 block, 8 + 32/16384 = 8.002 bits.

``bits_per_weight`` is what the sizing multiplies every weight by except the token
embeddings and the output head (which :mod:`..sizing` keeps in 16 bit): the scheme's own
figure when the scheme converts every linear layer, or, when the config's exclusion list
(``modules_to_not_convert``, ``ignore``, ``exclude_modules``) keeps whole parts of the model
in 16 bit -- gpt-oss converts only its routed experts; attention and router stay bf16 --
the mix over those weights, from the parameter count of each part. ``assumes`` says in
words what the bytes assume.
"""

from __future__ import annotations

import re
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
    ``mxfp4``, ``nvfp4``, ``fp8`` …), ``scheme_bits`` and ``scheme_bits_per_weight`` (one
    quantized weight, without and with its scales), ``group_size``, ``bits`` and
    ``bits_per_weight`` (the same, or the mix over every weight but the embeddings and head
    when the scheme leaves whole parts in 16 bit), ``packed_dtype`` (the safetensors dtype
    that carries packed values, or None), ``values_per_element`` (how many quantized values
    one such element holds), ``not_converted`` (the config's exclusion patterns) and
    ``assumes`` (what the bytes assume, in words). A method this module does not know is
    returned with what the config states and no packing.
    """
    if not isinstance(config, Mapping):
        return None
    qc = config.get("quantization_config")
    if not isinstance(qc, Mapping):
        return None
    info = _scheme(qc)
    return _scope(info, qc, config)


def _scheme(qc: Mapping[str, Any]) -> dict[str, Any]:
    """What one quantized weight costs, from the ``quantization_config`` alone."""
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
        return _unknown(method)

    if method == "mxfp4":
        # OCP MX: 32 fp4 (e2m1) values share one e8m0 scale byte; two values per U8.
        return _grouped(method, 4, 32, 8, 0, "U8", "mxfp4")

    if method in ("fp8", "fbgemm_fp8", "finegrained_fp8"):
        block = qc.get("weight_block_size")
        group = None
        if _two_ints(block):
            group = block[0] * block[1]  # one fp32 scale per block (DeepSeek-V3: 128 × 128)
        return _grouped(method, 8, group, 32, 0, None, "fp8")

    if method == "compressed-tensors":
        return _compressed_tensors(qc)

    if method == "modelopt":
        return _modelopt(qc)

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
                fmt = str(group.get("format") or fmt)  # a mixed-precision config names each group's format
                break
    bits = _int(weights.get("num_bits"))
    kind = str(weights.get("type") or "int")
    group = _int(weights.get("group_size"))
    if bits is None:
        return _unknown("compressed-tensors")
    precision = f"fp{bits}" if kind == "float" else f"int{bits}"
    if "nvfp4" in fmt or (kind == "float" and bits == 4 and group == 16):
        # NVFP4: 16 fp4 values share one fp8 scale; two values per U8.
        return _grouped("compressed-tensors", 4, 16, 8, 0, "U8", "nvfp4")
    if "mxfp4" in fmt or (kind == "float" and bits == 4 and group == 32):
        # MXFP4: 32 fp4 values share one e8m0 scale byte; two values per U8.
        return _grouped("compressed-tensors", 4, 32, 8, 0, "U8", "mxfp4")
    block = weights.get("block_structure")
    if str(weights.get("strategy") or "") == "block" and _two_ints(block):
        # one scale per block, in the checkpoint's dtype (bf16) unless the config says otherwise
        scale_bits = 32 if "32" in str(weights.get("scale_dtype") or "") else 16
        return _grouped("compressed-tensors", bits, block[0] * block[1], scale_bits, 0, None, precision)
    packed = "I32" if fmt == "pack-quantized" and 32 % bits == 0 and bits < 8 else None
    zero_bits = 0 if weights.get("symmetric", True) else bits
    return _grouped("compressed-tensors", bits, group, 16, zero_bits, packed, precision)


def _modelopt(qc: Mapping[str, Any]) -> dict[str, Any]:
    """NVIDIA ModelOpt's unified checkpoints (``quant_method: modelopt``; the same fields as
    its ``hf_quant_config.json``, at the top or under ``quantization``)."""
    inner = qc.get("quantization") if isinstance(qc.get("quantization"), Mapping) else qc
    algo = str(inner.get("quant_algo") or qc.get("quant_algo") or "").upper()
    if algo in ("NVFP4", "W4A16_NVFP4", "NVFP4_AWQ"):
        # 16 fp4 (e2m1) values share one fp8 (e4m3) scale; a per-tensor fp32 scale besides
        return _grouped("modelopt", 4, 16, 8, 0, "U8", "nvfp4")
    if algo == "MXFP8":
        return _grouped("modelopt", 8, 32, 8, 0, None, "mxfp8")  # 32 fp8 values share one e8m0 scale
    if algo in ("FP8", "FP8_PER_CHANNEL_PER_TOKEN", "FP8_PB_WO"):
        # per-tensor or per-channel fp32 scales (negligible); FP8_PB_WO: one per 128 x 128 block
        return _grouped("modelopt", 8, 128 * 128 if algo == "FP8_PB_WO" else None, 32, 0, None, "fp8")
    info = _unknown("modelopt")
    info["precision"] = algo.lower() or None
    return info


def _unknown(method: str) -> dict[str, Any]:
    return {"method": method, "precision": None, "bits": None, "group_size": None,
            "bits_per_weight": None, "packed_dtype": None, "values_per_element": 1}


def _two_ints(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(_int(b) for b in value)


# --------------------------------------------------------------------------- what is converted

#: Parts of a model (calc.architecture's breakdown keys) that a weight-only scheme converts
#: unless its exclusion list names them: the linear layers. Routers, norms and biases stay in
#: the checkpoint's 16-bit dtype; embeddings and the output head are sizing's to keep.
CONVERTED_PARTS: tuple[str, ...] = ("attention", "mlp", "shared_experts", "experts")

# exclusion pattern -> part, first match wins (shared experts before experts, gate_proj is not a router)
_PART_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"shared_expert", "shared_experts"),
    (r"expert", "experts"),
    (r"self_attn|\battn|attention|linear_attn", "attention"),
    (r"router|\.gate(?![_a-z])", "router"),
    (r"embed", "embeddings"),
    (r"lm_head", "lm_head"),
    (r"norm", "norms"),
    (r"visual|vision|mtp|multi_modal|mm_projector", "outside the text model"),
    (r"\bmlp\b|feed_forward|ffn", "mlp"),
)
_ONE_LAYER = re.compile(r"layers\\?\.\(?\d")  # "model.layers.0.mlp", "re:model\.layers\.(3|5)\..*"


def _not_converted(qc: Mapping[str, Any]) -> list[str]:
    inner = qc.get("quantization") if isinstance(qc.get("quantization"), Mapping) else {}
    for key in ("modules_to_not_convert", "ignore", "exclude_modules", "ignored_layers"):
        for source in (qc, inner):
            value = source.get(key)
            if isinstance(value, list):
                return [str(v) for v in value]
    return []


def _excluded_parts(patterns: list[str]) -> tuple[set[str], list[str]]:
    """The whole parts the patterns keep out of the scheme, and the patterns that name only
    some layers or nothing known (those are reported, not counted)."""
    parts: set[str] = set()
    partial: list[str] = []
    for pattern in patterns:
        text = pattern.lower()
        part = next((p for rx, p in _PART_PATTERNS if re.search(rx, text)), None)
        if part is None or _ONE_LAYER.search(text):
            partial.append(pattern)
        else:
            parts.add(part)
    return parts, partial


def _gpt_oss_parts(config: Mapping[str, Any]) -> dict[str, int] | None:
    """gpt-oss's parameters by part (``GptOssForCausalLM``): 20,914,757,184 for gpt-oss-20b and
    116,829,156,672 for gpt-oss-120b, the totals OpenAI publishes (and calc.architecture's).
    Kept beside the architecture's breakdown because MXFP4 converts the expert weights only:
    the expert biases, which the breakdown counts with the experts, stay bf16."""
    keys = ("num_hidden_layers", "num_local_experts", "hidden_size", "intermediate_size", "num_attention_heads",
            "num_key_value_heads", "head_dim", "vocab_size")
    values = [_int(config.get(k)) for k in keys]
    if any(v is None or v <= 0 for v in values):
        return None
    layers, experts, hidden, inter, heads, kv_heads, head_dim, vocab = values  # type: ignore[misc]
    q, kv = heads * head_dim, kv_heads * head_dim
    attention = (hidden * q + q) + 2 * (hidden * kv + kv) + (q * hidden + hidden) + heads  # + sinks
    return {
        "embeddings": vocab * hidden,
        "attention": layers * attention,
        "router": layers * (hidden * experts + experts),
        "experts": layers * experts * (hidden * 2 * inter + inter * hidden),
        "expert_biases": layers * experts * (2 * inter + hidden),
        "norms": layers * 2 * hidden + hidden,
        "lm_head": 0 if config.get("tie_word_embeddings") else vocab * hidden,
    }


def _param_parts(config: Mapping[str, Any]) -> dict[str, int] | None:
    from model_scorecard.calc.architecture import architecture_from_config

    if config.get("model_type") == "gpt_oss":
        return _gpt_oss_parts(config)
    try:
        return dict(architecture_from_config(config).param_breakdown)
    except (ValueError, TypeError):  # UnsupportedArchitecture / InvalidArchitectureConfig are ValueErrors
        return None


def _scope(info: dict[str, Any], qc: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """Add what the scheme converts, and the mix when it leaves whole parts in 16 bit."""
    info = {**info, "scheme_bits": info.get("bits"), "scheme_bits_per_weight": info.get("bits_per_weight")}
    patterns = _not_converted(qc)
    info["not_converted"] = patterns
    bpw, bits = info.get("bits_per_weight"), info.get("bits")
    if not bpw or not bits:
        info["assumes"] = "the config states no bits per weight: the weights are not sized from it"
        return info
    name = info.get("precision") or info["method"]
    parts_out, partial = _excluded_parts(patterns)
    skipped = ("; not counted: exclusions naming only some layers or nothing known "
               f"({', '.join(partial)})") if partial else ""
    kept = sorted(parts_out & {*CONVERTED_PARTS, "router"})
    if not kept:
        info["assumes"] = (f"every linear layer but the token embeddings and output head in {name}, "
                           f"{bpw:g} bits per weight with scales; norms and routers counted the same "
                           f"(under 0.1% of a model){skipped}")
        return info
    parts = _param_parts(config)
    if not parts:
        info["assumes"] = (f"every weight but the token embeddings and output head at {bpw:g} bits ({name}): "
                           f"the config keeps {', '.join(kept)} in 16 bit, but its parts could not be counted "
                           f"from this config, so they are counted at {bpw:g} bits too (an underestimate){skipped}")
        return info
    counted = sum(parts.values()) - parts.get("embeddings", 0) - parts.get("lm_head", 0)
    converted = sum(parts.get(p, 0) for p in CONVERTED_PARTS if p not in parts_out)
    if counted <= 0:
        return info
    rest = counted - converted
    info["bits_per_weight"] = round((converted * bpw + rest * 16) / counted, 6)
    info["bits"] = round((converted * bits + rest * 16) / counted, 6)
    info["quantized_params"] = converted
    share = converted / counted
    info["assumes"] = (f"{', '.join(p for p in CONVERTED_PARTS if p not in parts_out and parts.get(p))} in {name} "
                       f"({bpw:g} bits per weight with scales; {share:.1%} of the weights besides embeddings and "
                       f"head); {', '.join(kept)}, norms and biases in 16 bit (bf16), as the config's exclusion "
                       f"list says: {info['bits_per_weight']:.3f} bits per weight on average{skipped}")
    return info


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
