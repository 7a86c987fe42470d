"""What a ``vram`` target names when it is an image-diffusion pipeline, and its memory plan.

Three ways in, each with the source of every component's parameter count:

* a catalog entry of kind ``diffusion-image`` whose ``hf_id`` is a pipeline in the bundled
  ``data/diffusion.yaml`` (SD 2.1, SDXL base, SDXL-Lightning), or that Hub id itself;
* a diffusers folder (or its ``model_index.json``): each component is counted exactly from
  the headers of its ``.safetensors`` files (only the JSON header is read, never the
  tensors) or, for CLIP text encoders without weights, from its config.json;
* anything else diffusion-shaped gets a clear "unknown" error rather than a guess.

Reads files; the arithmetic is :mod:`model_scorecard.calc.diffusion`.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from model_scorecard import bundled
from model_scorecard.calc.diffusion import (
    ACTIVATION_BYTES_PER_PIXEL,
    CUDA_CONTEXT_BYTES,
    DENOISER,
    OTHER,
    TEXT_ENCODER,
    VAE,
    Component,
    DiffusionEstimate,
    as_dict,
    clip_text_params,
    estimate_diffusion_memory,
)
from model_scorecard.calc.memory import GIB, PRECISIONS, Precision
from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.units import MAX_PARAMS

VRAM_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Pipeline:
    """A diffusion pipeline to size: its components with sources, and how it runs."""

    label: str
    name: str
    components: tuple[Component, ...]
    resolution: int | None  # native square size, when known
    vae_upcast_in_fp16: bool = False
    sources: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- bundled table

_ROLES = {DENOISER, TEXT_ENCODER, VAE, OTHER}


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, Any]]:
    """Pipelines of data/diffusion.yaml by id, ``same_components_as`` resolved and checked."""
    from model_scorecard.schema.yamlio import load_file

    path = bundled.data_file("diffusion.yaml")
    data = load_file(path).data
    out: dict[str, dict[str, Any]] = {}
    for item in data["pipelines"]:
        out[item["id"]] = dict(item)
    for item in out.values():
        base = item.get("same_components_as")
        if base is not None:
            item["components"] = out[base]["components"]
        for c in item["components"]:
            if c["role"] not in _ROLES or not isinstance(c["params"], int) or not c.get("source"):
                raise InvalidInput.single(str(path), f"pipeline {item['id']}: component {c.get('name')} needs a role, "
                                          "an integer params and a source")
    return out


def pipeline_ids() -> list[str]:
    return list(_table())


def known_hf_ids() -> dict[str, str]:
    """Hub id (lower case) → pipeline id."""
    return {h.lower(): pid for pid, item in _table().items() for h in item.get("hf_ids", ())}


def bundled_pipeline(pid: str, label: str | None = None, via: str | None = None) -> Pipeline:
    item = _table()[pid]
    comps = tuple(Component(c["name"], c["role"], c["class"], c["params"], c["source"]) for c in item["components"])
    sources = [("params", "component parameter counts from the bundled data/diffusion.yaml (sources per component)"),
               ("resolution", f"{item['resolution']}x{item['resolution']}: {item.get('resolution_source', '')}")]
    if via:
        sources.insert(0, ("model", via))
    notes = (item["note"],) if item.get("note") else ()
    return Pipeline(label or pid, item["name"], comps, item["resolution"], bool(item.get("vae_upcast_in_fp16")),
                    tuple(sources), notes)


# --------------------------------------------------------------------------- diffusers folder

_FLOAT_DTYPES = {"F64", "F32", "F16", "BF16", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4"}
_SUBMODULE_ROLES = {"unet": DENOISER, "transformer": DENOISER, "prior": DENOISER, "vae": VAE,
                    "text_encoder": TEXT_ENCODER, "text_encoder_2": TEXT_ENCODER, "text_encoder_3": TEXT_ENCODER}


#: The most images one batch may hold (``--batch``): far beyond any GPU's memory, low enough
#: that no figure computed from it leaves the range of a float.
MAX_IMAGES = 2**20


def safetensors_params(files: list[Path]) -> int:
    """Parameters in ``.safetensors`` files, from their JSON headers alone.

    The format: 8 bytes little-endian header length, then a JSON object of tensor name →
    {dtype, shape, data_offsets}. Floating-point tensors count; integer ones are buffers
    (CLIP's ``position_ids``) and do not. A header is read only from a regular file and up
    to the size cap of every input (``yamlio.MAX_BYTES``); a shape must be a list of
    non-negative integers, and the total at most ``units.MAX_PARAMS``.
    """
    from model_scorecard.schema.yamlio import MAX_BYTES, open_regular
    from model_scorecard.sizing.target import loads_json

    total = 0
    for f in files:
        with open_regular(f) as fh:
            try:
                head = fh.read(8)
                if len(head) < 8:
                    raise ValueError("shorter than its 8-byte header length")
                (n,) = struct.unpack("<Q", head)
                if n > MAX_BYTES:
                    raise ValueError(f"header of {n:,} bytes, above the limit of {MAX_BYTES:,}")
                raw = fh.read(n)
                if len(raw) < n:
                    raise ValueError("header cut short")
                text = raw.decode("utf-8")
            except (OSError, ValueError, struct.error) as exc:  # UnicodeDecodeError is a ValueError
                raise InvalidInput.single(str(f), f"not a readable safetensors file: {exc}") from None
        header = loads_json(text, str(f))
        if not isinstance(header, dict):
            raise InvalidInput.single(str(f), "not a safetensors file: its header is not a JSON object")
        for name, meta in header.items():
            if name == "__metadata__" or not isinstance(meta, dict) or meta.get("dtype") not in _FLOAT_DTYPES:
                continue
            shape = meta.get("shape", [])
            if not isinstance(shape, list) or any(isinstance(d, bool) or not isinstance(d, int) or d < 0
                                                  for d in shape):
                raise InvalidInput.single(str(f), f"tensor {name[:80]!r}: shape must be a list of non-negative "
                                                  "integers")
            count = 1
            for d in shape:
                count *= d
                if count > MAX_PARAMS:
                    break
            total += count
            if total > MAX_PARAMS:
                raise InvalidInput.single(str(f), f"the tensors hold more than {MAX_PARAMS:,} parameters "
                                                  "(is the header corrupt?)")
    return total


def _weight_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.safetensors"))
    # a repo may ship several variants (fp16, non-ema …): count the plain one, else the first variant
    plain = [f for f in files if "." not in f.stem]
    if plain:
        return plain
    by_variant: dict[str, list[Path]] = {}
    for f in files:
        by_variant.setdefault(f.stem.split(".", 1)[1], []).append(f)
    return by_variant[sorted(by_variant)[0]] if by_variant else []


def _role(name: str, class_name: str) -> str:
    if name in _SUBMODULE_ROLES:
        return _SUBMODULE_ROLES[name]
    lowered = class_name.lower()
    if "autoencoder" in lowered:
        return VAE
    if "unet" in lowered or "transformer" in lowered:
        return DENOISER
    if "textmodel" in lowered or "encodermodel" in lowered:
        return TEXT_ENCODER
    return OTHER


def _read_json(path: Path) -> Any:
    from model_scorecard.sizing.target import read_json_file

    return read_json_file(path)


_CLIP_KEYS = ("hidden_size", "intermediate_size", "num_hidden_layers", "vocab_size", "max_position_embeddings")


def _clip_params(config: Any, config_file: Path, with_projection: bool) -> int:
    """A CLIP text encoder's count from its config, every size checked as config.json sizes are."""
    from model_scorecard.calc.architecture import LIMITS

    if not isinstance(config, dict):
        raise InvalidInput.single(str(config_file), "not a CLIP text config: expected a JSON object")
    keys = (*_CLIP_KEYS, *(("projection_dim",) if with_projection and "projection_dim" in config else ()))
    for key in keys:
        if key not in config:
            raise InvalidInput.single(str(config_file), f"not a CLIP text config: missing {key!r}")
        value, limit = config[key], LIMITS.get(key, LIMITS["hidden_size"])
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
            raise InvalidInput.single(str(config_file), f"must be an integer from 1 to {limit:,}, got {shown}",
                                      field=key)
    return clip_text_params(config, with_projection=with_projection)


def pipeline_from_model_index(path: Path) -> Pipeline:
    """A diffusers folder: every model component counted from its weights' headers, or (CLIP
    text encoders) from its config; an error naming the components that cannot be counted."""
    index_file = path / "model_index.json" if path.is_dir() else path
    root = index_file.parent
    index = _read_json(index_file)
    if not isinstance(index, dict):
        raise InvalidInput.single(str(index_file), "not a diffusers model_index.json (expected an object)")
    comps: list[Component] = []
    unknown: list[str] = []
    for name, spec in index.items():
        if name.startswith("_") or not isinstance(spec, list) or len(spec) != 2 or spec[0] is None:
            continue
        library, class_name = spec
        if library not in ("diffusers", "transformers") or "Scheduler" in str(class_name) \
                or "Tokenizer" in str(class_name) or "ImageProcessor" in str(class_name) \
                or "FeatureExtractor" in str(class_name):
            continue
        folder = root / name
        files = _weight_files(folder) if folder.is_dir() else []
        role = _role(name, str(class_name))
        if files:
            where = ", ".join(f.name for f in files)
            comps.append(Component(name, role, str(class_name), safetensors_params(files),
                                   f"exact: tensor shapes in {name}/{where} (safetensors headers)"))
            continue
        config_file = folder / "config.json"
        if class_name in ("CLIPTextModel", "CLIPTextModelWithProjection") and config_file.is_file():
            params = _clip_params(_read_json(config_file), config_file, class_name == "CLIPTextModelWithProjection")
            comps.append(Component(name, role, str(class_name), params, f"exact: {class_name} counted from "
                                   f"{name}/config.json"))
            continue
        unknown.append(f"{name} ({class_name})")
    if unknown:
        raise UserError(f"{index_file}: the size of {', '.join(unknown)} is unknown: no .safetensors weights next to "
                        "their config.json, and no parameter count for that class from its config",
                        hint="put the components' .safetensors files in their folders (only their headers are read), "
                             "or name a bundled pipeline: " + ", ".join(pipeline_ids()))
    if not comps:
        raise UserError(f"{index_file}: no model components (unet, transformer, text encoders, vae) listed")
    resolution = None
    for c in comps:
        if c.role == DENOISER and (folder_cfg := root / c.name / "config.json").is_file():
            cfg = _read_json(folder_cfg)
            sample = cfg.get("sample_size") if isinstance(cfg, dict) else None
            if isinstance(sample, int) and not isinstance(sample, bool) and sample > 0:
                if sample * 8 > _MAX_SIDE:
                    raise InvalidInput.single(str(folder_cfg), f"sample_size {sample:,} makes images of "
                                              f"{sample * 8:,} pixels a side, above the limit of {_MAX_SIDE:,}",
                                              field="sample_size")
                resolution = sample * 8
    shown_class = index.get("_class_name")
    shown_class = shown_class[:200] if isinstance(shown_class, str) else "model_index.json"
    sources = [("model", f"diffusers pipeline {root} ({shown_class})"),
               ("params", "counted from the folder's weights headers and configs")]
    if resolution:
        sources.append(("resolution", f"{resolution}x{resolution}: the denoiser's sample_size x 8 (VAE factor)"))
    class_name = index.get("_class_name")
    class_name = class_name[:200] if isinstance(class_name, str) else None
    upcast = bool(class_name and class_name.startswith("StableDiffusionXL"))
    return Pipeline(root.name, class_name or "diffusers pipeline", tuple(comps), resolution, upcast, tuple(sources))


# --------------------------------------------------------------------------- finding one

def find_pipeline(target: str, catalog: str | Path | None = None) -> Pipeline | None:
    """The diffusion pipeline ``target`` names, or None when it is not one (a language model)."""
    text = target.strip()
    path = Path(text).expanduser()
    if path.is_dir() and (path / "model_index.json").is_file():
        return pipeline_from_model_index(path)
    if path.name == "model_index.json" and path.is_file():
        return pipeline_from_model_index(path)
    if path.exists():
        return None
    known = known_hf_ids()
    if "/" in text and text.lower() in known:
        return bundled_pipeline(known[text.lower()], text, f"Hub id {text}: a pipeline of the bundled table")
    from model_scorecard.schema.load import find_entry

    entry = find_entry(text, catalog)
    if entry is None or entry.kind != "diffusion-image":
        return None
    if entry.hf_id and entry.hf_id.lower() in known:
        return bundled_pipeline(known[entry.hf_id.lower()], entry.id,
                                f"catalog entry {entry.id} (hf_id {entry.hf_id})")
    if "open-weights" not in entry.access:
        raise UserError(f"catalog entry '{entry.id}' is an API image model: there are no weights to size")
    raise UserError(f"catalog entry '{entry.id}' is an image-diffusion model with no sourced component breakdown "
                    f"(denoiser, text encoders, VAE): its memory is unknown",
                    hint="give a diffusers folder with model_index.json and the components' .safetensors files "
                         "(only their headers are read); bundled pipelines: " + ", ".join(pipeline_ids()))


# --------------------------------------------------------------------------- the plan

_RES = re.compile(r"^\s*(\d{1,9})\s*(?:[x×*]\s*(\d{1,9}))?\s*$")
_MAX_SIDE = 16384


def parse_resolution(text: str) -> tuple[int, int]:
    """``1024`` or ``1024x768`` (width x height) → (width, height)."""
    m = _RES.match(text)
    if not m:
        raise UserError(f"--resolution: {text!r} is not WIDTHxHEIGHT (e.g. 1024x768) or one number")
    w = int(m.group(1))
    h = int(m.group(2) or m.group(1))
    if not (8 <= w <= _MAX_SIDE and 8 <= h <= _MAX_SIDE):
        raise UserError(f"--resolution: {w}x{h} is outside 8–{_MAX_SIDE} pixels a side")
    return w, h


@dataclass(frozen=True)
class DiffusionVramResult:
    label: str
    pipeline: Pipeline
    estimate: DiffusionEstimate
    advice: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": VRAM_SCHEMA_VERSION, "model": self.label, **as_dict(self.estimate),
                "advice": list(self.advice)}


def plan_diffusion(pipe: Pipeline, precision: Precision | None, *, resolution: str | None = None, batch: int = 1,
                   gpus: Mapping[str, int] | None = None) -> DiffusionVramResult:
    """Memory of ``batch`` images from ``pipe`` at a resolution, and which GPUs hold it."""
    if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= MAX_IMAGES:
        raise UserError(f"--batch: {batch if isinstance(batch, int) and batch.bit_length() < 200 else 'the value'} "
                        f"is not a number of images from 1 to {MAX_IMAGES:,}")
    sources = dict(pipe.sources)
    if precision is None:
        precision = PRECISIONS["bf16"]
        sources["precision"] = "default bf16 (give --fp16, --fp32, --fp8 … to change)"
    else:
        sources["precision"] = "command line"
    if resolution is not None:
        width, height = parse_resolution(resolution)
        sources["resolution"] = "command line"
    elif pipe.resolution:
        width = height = pipe.resolution
    else:
        raise UserError(f"{pipe.label}: its native resolution is unknown", hint="give --resolution WIDTHxHEIGHT")
    fp32_decode = precision.name == "fp32" or (precision.name == "fp16" and pipe.vae_upcast_in_fp16)
    per_pixel = ACTIVATION_BYTES_PER_PIXEL["fp32" if fp32_decode else "16-bit"]
    notes = [precision.note or f"{precision.name} weights",
             f"activation peak {per_pixel:,.0f} bytes per output pixel per image: the VAE decoding at full "
             "resolution, measured with diffusers on SDXL and SD 1.5 (huggingface/diffusion-fast, "
             "torch.cuda.max_memory_allocated); vae slicing/tiling lower it",
             "every component on the GPU at once (pipe.to('cuda')); enable_model_cpu_offload() keeps only the "
             "running one there",
             f"CUDA context and cuBLAS workspace {CUDA_CONTEXT_BYTES / GIB:.1f} GiB outside PyTorch's allocator "
             "(measured 0.68 GiB on an H100, torch 2.11, CUDA 13: docs/accuracy.md)",
             "no KV cache: image diffusion keeps none"]
    if precision.name == "fp16" and pipe.vae_upcast_in_fp16:
        notes.append("fp16: the SDXL pipeline upcasts its VAE to fp32 to decode (force_upcast)")
    if precision.bits < 16:
        notes.append("the VAE stays in 16 bit; the denoiser and text encoders take the chosen precision")
    notes.extend(pipe.notes)
    est = estimate_diffusion_memory(pipe.components, precision=precision, width=width, height=height, batch=batch,
                                    bytes_per_pixel=per_pixel, gpus=gpus, label=pipe.label, pipeline=pipe.name,
                                    sources=sources, assumptions=notes)
    advice = []
    misfits = [f for f in est.fits if not f.fits]
    if misfits and len(misfits) == len(est.fits):
        for f in misfits[:3]:
            tip = (f"{f.max_images} image(s) per batch" if f.max_images else
                   "enable_model_cpu_offload(), or fewer bits for the denoiser (--fp8, --int8)")
            advice.append(f"{batch} image(s) at {width}x{height} do not fit on one {f.gpu}; try {tip}")
    return DiffusionVramResult(pipe.label, pipe, est, advice)
