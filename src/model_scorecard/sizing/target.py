"""What a ``vram``/``estimate`` target names: a size, a config.json, a catalog entry or a Hub id.

Turns the user's words into an :class:`~model_scorecard.calc.architecture.Architecture` plus
what overrides it, and says where every figure came from. Reads files (and, for a Hub id,
asks :mod:`model_scorecard.hub`); the calculators it feeds stay pure.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from model_scorecard import bundled
from model_scorecard.calc.architecture import (
    Architecture,
    InvalidArchitectureConfig,
    architecture_from_config,
)
from model_scorecard.calc.memory import PRECISIONS, Precision, bits_precision
from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.tables.architectures import (
    nearest_reference,
    reference_architecture,
)
from model_scorecard.units import LOOSE_NUMBER, MAX_PARAMS, parse_params

# a size, well written or not (7,5B is a size written wrong, not a file name: parse_params says why)
_SIZE = re.compile(r"^\s*" + LOOSE_NUMBER + r"\s*[kKmMbBtT]\s*$")


@dataclass(frozen=True)
class Resolved:
    """A model to size: its architecture, the counts that override it, and the provenance."""

    label: str
    arch: Architecture
    params: int | None = None  # overrides arch.total_params (size shorthand, catalog)
    active_params: int | None = None
    precision: Precision | None = None  # what the checkpoint itself is stored in, when known
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    max_context: int | None = None
    warnings: tuple[str, ...] = ()  # about the Hub's answer: gating, a file it refused, packed counts
    # --exact: the bytes of the stored tensors from the safetensors headers, and where they came from;
    # ``exact_is_served`` is False where the checkpoint is stored in fp32 and served in 16 bit
    exact_weight_bytes: int | None = None
    exact_weights_source: str | None = None
    exact_is_served: bool = True


# --------------------------------------------------------------------------- precision

def precision_from_config(config: dict[str, Any]) -> tuple[Precision | None, str | None]:
    """The precision a checkpoint is stored in, from ``quantization_config`` or its dtype."""
    from model_scorecard.calc.quantization import quantization_from_config

    quant = quantization_from_config(config)
    if quant and quant.get("bits_per_weight"):
        return _quant_precision(quant), "config.json quantization_config"
    dtype = config.get("torch_dtype") or config.get("dtype")
    if dtype in ("bfloat16", "float16"):
        p = PRECISIONS["bf16" if dtype == "bfloat16" else "fp16"]
        return p, f"config.json dtype {dtype}"
    if dtype == "float32":
        return PRECISIONS["fp16"], "config.json dtype float32, served in fp16 (vLLM's dtype=auto)"
    return None, None


def _quant_precision(quant: Any, where: str = "config.json") -> Precision:
    """The precision of a parsed ``quantization_config`` (see calc.quantization) that states its bits per weight."""
    name = f"{quant['method']} {quant.get('precision') or ''}".strip()
    bits = float(quant["bits_per_weight"])
    value_bits = float(quant.get("bits") or bits)
    keeps = value_bits < 16
    return Precision(name, bits, value_bits, keeps,
                     f"{name} from {where} quantization_config: {bits:g} bits per weight with scales"
                     + ("; embeddings and head in 16 bit" if keeps else ""))


@lru_cache(maxsize=1)
def gguf_types() -> dict[str, dict[str, Any]]:
    from model_scorecard.schema.yamlio import load_file

    path = bundled.data_file("gguf.yaml")
    if not path.is_file():  # pragma: no cover - shipped with the package
        return {}
    data = load_file(path).data
    table = data.get("types", data) if isinstance(data, dict) else {}
    return {str(k).upper(): v for k, v in table.items() if isinstance(v, dict)}


def gguf_precision(name: str) -> Precision:
    """``Q4_K_M`` and friends: effective bits per weight of real files, from data/gguf.yaml."""
    table = gguf_types()
    entry = table.get(name.strip().upper())
    if entry is None or entry.get("bits_per_weight") is None:
        from model_scorecard.errors import suggest

        raise UserError(f"unknown GGUF type '{name}'{suggest(name.upper(), table)}",
                        hint=f"known: {', '.join(table)}; or give --bits N")
    bits = float(entry["bits_per_weight"])
    note = f"GGUF {name.upper()}: {bits:g} bits per weight on average ({entry.get('source', 'data/gguf.yaml')})"
    return Precision(name.upper(), bits, bits, False, note)


@dataclass(frozen=True)
class PrecisionChoice:
    """The weight precision asked for: at most one of a name (``int4``, ``fp8`` …), a width in
    bits, or a GGUF type. Nothing asked: the checkpoint's own precision, else bf16."""

    name: str | None = None
    bits: float | None = None
    quant: str | None = None

    def resolve(self) -> Precision | None:
        """The :class:`Precision` asked for, or None when none was."""
        given = [x for x in (self.name, self.bits, self.quant) if x is not None]
        if len(given) > 1:
            raise UserError("give one precision: a flag such as --int4, --precision NAME, --bits N or --quant TYPE")
        if self.bits is not None:
            try:
                return bits_precision(self.bits)
            except ValueError as exc:
                raise UserError(f"--bits: {exc}") from None
        if self.quant is not None:
            return gguf_precision(self.quant)
        if self.name is not None and self.name not in PRECISIONS:
            raise UserError(f"unknown precision '{self.name}'; one of {', '.join(PRECISIONS)}")
        return PRECISIONS[self.name] if self.name else None


@dataclass(frozen=True)
class ModelSource:
    """Where a model named by id is looked up: a catalog (default: the bundled one) and the Hub.

    ``revision``: a Hub branch, tag or commit; ``offline``: only cached Hub answers (None: the
    environment decides); ``refresh``: ask the Hub again; ``exact``: read the safetensors
    headers for the exact weight bytes (Hub models only)."""

    catalog: str | Path | None = None
    revision: str | None = None
    offline: bool | None = None
    refresh: bool = False
    exact: bool = False


# --------------------------------------------------------------------------- resolution

def _from_config(config: Any, where: str, label: str, text: str | None = None) -> Resolved:
    """``text``: the config.json as read from a local file ``where``, to locate a fault in it."""
    try:
        arch = architecture_from_config(config)
    except InvalidArchitectureConfig as exc:
        if text is None:
            raise
        raise _located(exc, where, text) from None
    precision, why = precision_from_config(config)
    how = "approximate" if arch.approximate else "exact"
    sources = {"architecture": where, "params": f"{how} count from {where} ({arch.counted_class})"}
    if why:
        sources["precision"] = why
    notes = tuple(f"{name} not in {where}: the transformers default was used" for name in arch.defaults_used[:5])
    return Resolved(label, arch, precision=precision, sources=sources, assumptions=notes,
                    max_context=arch.max_position_embeddings)


def _located(exc: InvalidArchitectureConfig, file: str, text: str) -> InvalidInput:
    """A config.json's fault as an InvalidInput at the line of the key at fault (when there is one)."""
    line = column = None
    if exc.field:
        key = exc.field.rsplit(".", 1)[-1]
        m = re.search(r'"' + re.escape(key) + r'"\s*:', text)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return InvalidInput.single(file, exc.message, line, column)


def _from_size(params: int, label: str, active: int | None = None, why: str = "the size given") -> Resolved:
    for name, n in (("params", params), ("active params", active)):
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 0 < n <= MAX_PARAMS):
            shown = f"{n:,}" if isinstance(n, int) and n.bit_length() <= 200 else "out of range"
            raise UserError(f"cannot size {label}: {name} {shown} ({why}) is not a parameter count from 1 to "
                            f"{MAX_PARAMS:,}")
    ref = nearest_reference(params, active)
    arch = reference_architecture(ref.file)
    return Resolved(label, arch, params=params, active_params=active,
                    sources={"params": why, "architecture": f"reference architecture {ref.hf_id} (bundled config.json)"},
                    assumptions=(f"layers, heads and KV cache from {ref.hf_id} ({ref.params / 1e9:.1f}B), the bundled "
                                 "reference nearest in size: give a config.json or Hub id for the model's own",))


def read_json_file(path: str | Path, display: str | None = None) -> Any:
    """A JSON document read from a file given by a user: the size cap of YAML inputs
    (``yamlio.MAX_BYTES``) applied before reading, anything but a regular file refused (a
    device such as ``/dev/zero`` would be read until memory runs out, a pipe would wait for
    a writer), and every fault an :class:`InvalidInput` that locates it. NaN and infinite
    numbers are refused: JSON has none, and no figure read from a file may be one."""
    name = display or str(path)
    return loads_json(read_text_file(path, name), name)


def read_text_file(path: str | Path, display: str | None = None) -> str:
    """The UTF-8 text of a regular file of at most ``yamlio.MAX_BYTES``; InvalidInput otherwise.

    Read through ``yamlio.read_input``, the one reader of input files (the cap, located OS
    errors, anything but a regular file refused without reading or waiting on it, the path
    noted as an input no ``-o`` may replace)."""
    from model_scorecard.schema.yamlio import MAX_BYTES, read_input

    name = display or str(path)
    raw = read_input(path, MAX_BYTES, name, setting="SCORECARD_MAX_YAML_BYTES")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput.single(name, f"not UTF-8 text (byte {exc.start:,})") from None


class _NotFinite(ValueError):
    pass


def _not_finite(token: str) -> Any:
    raise _NotFinite(token)


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NotFinite(token)
    return value


# a string (skipped), or a token that may be non-finite: NaN, Infinity, a number with a fraction or exponent
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(NaN|-?Infinity|-?[0-9]+(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+))')


def loads_json(text: str, name: str) -> Any:
    """Parse JSON text from ``name``; InvalidInput, located, for anything it cannot hold."""
    try:
        return json.loads(text, parse_constant=_not_finite, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise InvalidInput.single(name, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except _NotFinite as exc:
        line = column = None
        for m in _JSON_TOKEN.finditer(text):  # where it is: the first such number outside a string
            if m.group(1) is not None and (m.group(1) == str(exc) or not math.isfinite(float(m.group(1)))):
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                break
        token = str(exc) if len(str(exc)) <= 40 else str(exc)[:37] + "..."
        raise InvalidInput.single(name, f"{token} is not a finite number: NaN and infinity are refused",
                                  line, column) from None
    except RecursionError:
        raise InvalidInput.single(name, "not JSON that can be read: nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise InvalidInput.single(name, "a number has too many digits") from None


def hub_warnings(model: Any) -> tuple[str, ...]:
    """What a user must know about a Hub answer (a :class:`~model_scorecard.hub.model.HubModel`):
    gating, a config.json it would not give, packed counts it corrected, a stale cache."""
    out = list(model.warnings)
    if model.is_gated:
        how = {"manual": "the authors approve each access request",
               "auto": "access is granted on request"}.get(str(model.gated), "access must be requested")
        out.append(f"{model.repo_id} is gated ({how}): downloading its weights needs granted access and HF_TOKEN")
    if model.config_error:
        out.append(model.config_error)
    quant = model.quantization
    if quant and model.corrected_params is not None and model.safetensors_total is not None:
        out.append(f"packed {quant.get('precision') or quant.get('method')} weights: the Hub's safetensors count "
                   f"({model.safetensors_total:,} stored elements) holds {quant.get('values_per_element')} values per "
                   f"{quant.get('packed_dtype')} element; unpacked, about {model.corrected_params:,} parameters")
    return tuple(dict.fromkeys(out))


def _stored_in_fp32(model: Any) -> bool:
    """Whether a Hub checkpoint is stored in fp32 (served in 16 bit: its stored bytes are not what is served)."""
    config = model.config or {}
    if (config.get("torch_dtype") or config.get("dtype")) == "float32":
        return True
    counts = model.safetensors_params_by_dtype or {}
    wide = sum(n for dtype, n in counts.items() if dtype in ("F32", "F64"))
    return bool(counts) and wide * 2 > sum(counts.values())


def exact_weights(model: Any, at: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The :class:`Resolved` fields of ``--exact`` for a Hub answer, and the warnings when it gave none."""
    if model.weight_bytes is not None:
        n = model.weight_bytes
        files = model.sources.get("weight_bytes", "").removeprefix("safetensors headers of ")
        source = f"safetensors headers of {at}: {n:,} bytes as stored" + (f" ({files})" if files else "")
        return {"exact_weight_bytes": n, "exact_weights_source": source,
                "exact_is_served": not _stored_in_fp32(model)}, ()
    fallback = "weights computed from the parameter count and bits per weight instead"
    if model.exact_error:
        return {}, (f"--exact: no exact weight bytes for {at}: {model.exact_error}; {fallback}",)
    if any("exact weight bytes" in w for w in model.warnings):  # offline, not cached: the Hub's warning says so
        return {}, (f"--exact: {fallback}",)
    return {}, (f"--exact: the Hub gave no safetensors headers for {at}; {fallback}",)


def _from_hub(repo_id: str, revision: str | None, offline: bool | None, refresh: bool,
              model: Any = None, exact: bool = False) -> Resolved:
    """A Hub id: its config.json, or, where the Hub would not give it (gated, missing), its
    parameter count on a reference architecture, with a warning. With ``exact``, also the
    exact bytes of the stored weights from the safetensors headers."""
    from model_scorecard.hub import client as hub

    if model is None:
        model = hub.fetch_model(repo_id, revision, offline=offline, refresh=refresh, exact=exact)
    at = f"{repo_id}@{model.sha[:12]}" if getattr(model, "sha", None) else repo_id
    warnings = hub_warnings(model)
    readable = model.config is not None and not model.architecture_error
    if not readable:
        why = (f"config.json: {model.architecture_error}" if model.config is not None
               else model.config_error or "the Hub gave no config.json")
        if model.params is None:
            raise UserError(f"cannot size {repo_id} from the Hub: {why}",
                            hint="download config.json yourself and pass its path, or give the size (e.g. 8B)")
        resolved = _from_size(model.params, repo_id, model.active_params,
                              f"{model.sources.get('params', 'Hub metadata')}, {at} on the Hugging Face Hub")
        precision = None
        if model.quantization and model.quantization.get("bits_per_weight"):
            precision = _quant_precision(model.quantization, "the Hub's")
        if model.config is not None:
            warnings = (*warnings, why)
        warnings = (*warnings, "config.json could not be used: layers, heads and KV cache are a reference "
                               "architecture's, not the model's")
        assumptions = tuple(a.replace(": give a config.json or Hub id for the model's own", "")
                            for a in resolved.assumptions)
    else:
        resolved = _from_config(model.config, f"config.json of {at} on the Hugging Face Hub", repo_id)
        precision, assumptions = resolved.precision, resolved.assumptions
    sources = dict(resolved.sources)
    if precision is not None and not readable:
        sources["precision"] = "quantization_config in the Hub's config.json or config summary"
    if model.from_cache:
        sources["hub"] = f"cached answer from {model.fetched_at}"
    measured: dict[str, Any] = {}
    if exact:
        measured, exact_warnings = exact_weights(model, at)
        warnings = (*warnings, *exact_warnings)
    return Resolved(resolved.label, resolved.arch, resolved.params, resolved.active_params, precision, sources,
                    assumptions, resolved.max_context or model.context_window, warnings, **measured)


EXACT_HINT = "--exact reads the safetensors headers of a Hugging Face Hub model: give its id (ORG/NAME)"


def resolve(target: str, source: ModelSource = ModelSource()) -> Resolved:
    """What ``target`` names, tried in order: a size (``70B``), a config.json file or model
    folder, a catalog entry's id, a Hugging Face Hub id (``ORG/NAME``).

    ``exact`` (Hub ids and catalog entries with an ``hf_id`` only) also reads the exact bytes
    of the stored weights from the safetensors headers; ``refresh`` asks the Hub again."""
    catalog, revision, offline, refresh, exact = (source.catalog, source.revision, source.offline, source.refresh,
                                                  source.exact)
    text = target.strip()
    if _SIZE.match(text):
        if exact:
            raise UserError(f"--exact needs a Hub model, and '{text}' is a size", hint=EXACT_HINT)
        try:
            params = parse_params(text)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        return _from_size(params, text)
    path = Path(text).expanduser()
    if path.exists():
        if exact:
            raise UserError(f"--exact needs a Hub model, and '{text}' is a local file or folder",
                            hint=EXACT_HINT + " (the local .safetensors files are not read)")
        file = str(path / "config.json" if path.is_dir() else path)
        text = read_text_file(file)
        return _from_config(loads_json(text, file), file, path.stem, text)
    entry = _catalog_entry(text, catalog)
    if entry is not None:
        return _from_catalog(entry, revision, offline, refresh, exact)
    from model_scorecard.hub.ids import is_hub_id

    if is_hub_id(text):
        return _from_hub(text, revision, offline, refresh, exact=exact)
    raise UserError(f"'{target}' is not a size, a config.json, a model in the catalog or a Hub id",
                    hint="examples: 70B, path/to/config.json, llama-3.1-70b (catalog id), meta-llama/Llama-3.1-8B")


def _catalog_entry(model_id: str, catalog: str | Path | None) -> Any:
    from model_scorecard.schema.load import find_entry

    return find_entry(model_id, catalog)


def _from_catalog(entry: Any, revision: str | None, offline: bool | None, refresh: bool,
                  exact: bool = False) -> Resolved:
    """A catalog entry: its Hub config.json when cached (or ``refresh`` or ``exact``: then the
    Hub is asked), else its stated params."""
    hub_note: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    measured: dict[str, Any] = {}
    if exact and not entry.hf_id:
        raise UserError(f"--exact needs a Hub model, and catalog entry '{entry.id}' has no hf_id",
                        hint=EXACT_HINT + ", or add hf_id to the entry")
    if entry.hf_id:
        from model_scorecard.errors import HubUnavailable
        from model_scorecard.hub import client as hub

        try:
            model = hub.fetch_model(entry.hf_id, revision, offline=offline if refresh or exact else True,
                                    refresh=refresh, exact=exact)
        except HubUnavailable as exc:
            hub_note = (f"no cached Hub answer for {entry.hf_id}: sized from the catalog's params "
                        f"(run `scorecard hub info {entry.hf_id}` once to use its config.json)",)
            if exact:
                warnings = (f"--exact: no exact weight bytes for {entry.hf_id}: {exc}; weights computed from the "
                            "catalog's params and bits per weight instead",)
        else:
            if (model.config is None or model.architecture_error) and entry.params is not None:
                warnings = hub_warnings(model)  # the catalog's count beats the Hub's stored one
                hub_note = (f"no usable config.json from the Hub for {entry.hf_id}: sized from the catalog's params",)
                if exact:
                    at = f"{entry.hf_id}@{model.sha[:12]}" if model.sha else entry.hf_id
                    measured, exact_warnings = exact_weights(model, at)
                    warnings = (*warnings, *exact_warnings)
            else:
                resolved = _from_hub(entry.hf_id, revision, offline, refresh, model=model, exact=exact)
                return replace(resolved, label=entry.id,
                               sources={**resolved.sources, "model": f"catalog entry {entry.id} (hf_id {entry.hf_id})"})
    if entry.params is None:
        raise UserError(f"catalog entry '{entry.id}' states neither hf_id nor params, so its size is unknown",
                        hint="add params (e.g. params: 70B) or hf_id to the entry")
    active = entry.active_params.value if entry.active_params else None
    src = entry.params.source or entry.source or "the catalog"
    resolved = _from_size(entry.params.value, entry.id, active, f"catalog entry {entry.id}: params from {src}")
    ctx = entry.context_window.value if entry.context_window else None
    return Resolved(resolved.label, resolved.arch, resolved.params, resolved.active_params, None, resolved.sources,
                    (*resolved.assumptions, *hub_note), ctx, warnings, **measured)
