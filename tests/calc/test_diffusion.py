"""Image-diffusion memory by component: the calculator, the bundled pipelines, diffusers
folders and ``scorecard vram`` on a diffusion catalog entry.

Published figures the bundled counts are checked against (see ``data/diffusion.yaml`` for the
exact counts' sources):

* arXiv:2307.01952 ("SDXL"), Table 1: UNet 860M (SD 1.x), 865M (SD 2.x), 2.6B (SDXL).
* The components' config.json files in ``tests/calc/configs/diffusion/`` (byte-identical to
  the Hub files of stabilityai/stable-diffusion-2-1 and stabilityai/stable-diffusion-xl-base-1.0;
  where each copy came from and its SHA-256 are in that folder's SOURCES.md). The CLIP text
  encoders are counted from them with ``clip_text_params``. Every component count, UNets and
  VAEs too, was counted from the same files with the diffusers/transformers classes by
  ``benchmarks/verify_diffusion_counts.py`` (not run in CI: it needs torch).
* Measured peaks (``torch.cuda.max_memory_allocated``, GiB) from huggingface/diffusion-fast,
  batch 1, 30 steps, SDPA: SDXL bf16 1024² 8.958, SDXL fp32 16.827
  (https://huggingface.co/datasets/sayakpaul/sample-datasets/blob/8285f7668326f13af8d213cd8087218cd7f97483/collated_results_sdxl.csv),
  SD 1.5 fp32 512² 4.948 (.../blob/248dad0ae880465530c71da583c68f533dc94d13/sdv1-5_new_results/collated_results.csv).
* Memory outside PyTorch's allocator: 0.68 GiB measured on an H100 with torch 2.11 and CUDA 13
  (docs/accuracy.md); the estimate adds 0.7 GiB.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.calc.diffusion import (
    ACTIVATION_BYTES_PER_PIXEL,
    CUDA_CONTEXT_BYTES,
    DENOISER,
    TEXT_ENCODER,
    VAE,
    Component,
    activation_bytes,
    clip_text_params,
    component_weights,
    estimate_diffusion_memory,
)
from model_scorecard.calc.memory import PRECISIONS, bits_precision
from model_scorecard.errors import UserError
from model_scorecard.sizing.diffusion import (
    bundled_pipeline,
    find_pipeline,
    parse_resolution,
    pipeline_from_model_index,
    pipeline_ids,
    plan_diffusion,
    safetensors_params,
)
from tests.conftest import REPO

GIB = 2**30

# the components' config.json files (tests/calc/configs/diffusion/SOURCES.md says where each came from)
DIFFUSION_CONFIGS = Path(__file__).parent / "configs" / "diffusion"
SD21, SDXL, SD15_DIR = ("stabilityai--stable-diffusion-2-1", "stabilityai--stable-diffusion-xl-base-1.0",
                        "runwayml--stable-diffusion-v1-5")


def config(repo: str, component: str) -> dict:
    return json.loads((DIFFUSION_CONFIGS / repo / component / "config.json").read_text(encoding="utf-8"))


SD21_TEXT = config(SD21, "text_encoder")
SDXL_TEXT = config(SDXL, "text_encoder")
SDXL_TEXT_2 = config(SDXL, "text_encoder_2")

# SD 1.5 (runwayml/stable-diffusion-v1-5), only for the activation cross-check: UNet and VAE
# counted from its configs by benchmarks/verify_diffusion_counts.py (SD15_COUNTS there), the
# CLIP ViT-L text encoder by clip_text_params below.
_SD15_SOURCE = "tests/calc/configs/diffusion/runwayml--stable-diffusion-v1-5, benchmarks/verify_diffusion_counts.py"
SD15 = (Component("unet", DENOISER, "UNet2DConditionModel", 859_520_964, _SD15_SOURCE),
        Component("text_encoder", TEXT_ENCODER, "CLIPTextModel", clip_text_params(config(SD15_DIR, "text_encoder")),
                  _SD15_SOURCE),
        Component("vae", VAE, "AutoencoderKL", 83_653_863, _SD15_SOURCE))


def components(pid: str) -> dict[str, Component]:
    return {c.name: c for c in bundled_pipeline(pid).components}


# --------------------------------------------------------------------------- counts

def test_diffusion_fixture_configs_are_the_files_sources_md_names() -> None:
    """Every config file is listed in SOURCES.md with its size and SHA-256, and matches them
    (the SD 2.1 and SDXL hashes are those of the Hub files)."""
    table = (DIFFUSION_CONFIGS / "SOURCES.md").read_text(encoding="utf-8")
    pinned = {m[1]: (int(m[2]), m[3]) for m in
              re.finditer(r"^\| `([^`]+/config\.json)` \| (\d+) \| `([0-9a-f]{64})` \|", table, re.M)}
    files = {f.relative_to(DIFFUSION_CONFIGS).as_posix(): f.read_bytes()
             for f in DIFFUSION_CONFIGS.glob("*/*/config.json")}
    assert len(files) == 10 and set(pinned) == set(files)
    for rel, raw in files.items():
        assert pinned[rel] == (len(raw), hashlib.sha256(raw).hexdigest()), rel


def test_fixture_configs_agree_with_the_bundled_pipelines() -> None:
    """The UNet's sample_size x 8 is the native resolution; SDXL's VAE asks for the fp32 upcast."""
    for repo, pid in ((SD21, "stable-diffusion-2.1"), (SDXL, "sdxl-1.0-base")):
        pipe = bundled_pipeline(pid)
        assert config(repo, "unet")["sample_size"] * 8 == pipe.resolution
        assert bool(config(repo, "vae").get("force_upcast")) == pipe.vae_upcast_in_fp16
        folders = {f.parent.name for f in (DIFFUSION_CONFIGS / repo).glob("*/config.json")}
        assert {c.name for c in pipe.components} == folders


def test_clip_text_encoders_counted_from_their_configs_match_the_table() -> None:
    sd21, sdxl = components("stable-diffusion-2.1"), components("sdxl-1.0-base")
    assert SD21_TEXT["num_hidden_layers"] == 23 and SDXL_TEXT_2["architectures"] == ["CLIPTextModelWithProjection"]
    assert clip_text_params(SD21_TEXT) == sd21["text_encoder"].params == 340_387_840
    assert clip_text_params(SDXL_TEXT) == sdxl["text_encoder"].params == 123_060_480
    assert clip_text_params(SDXL_TEXT_2, with_projection=True) == sdxl["text_encoder_2"].params == 694_659_840
    assert sdxl["text_encoder"].params + sdxl["text_encoder_2"].params == 817_720_320
    assert SD15[1].params == 123_060_480  # SD 1.5 uses the same CLIP ViT-L/14 text model as SDXL's first encoder
    # the full 24-layer OpenCLIP ViT-H text tower with its projection is the 354M often quoted for SD 2
    full_tower = clip_text_params({**SD21_TEXT, "num_hidden_layers": 24, "projection_dim": 1024},
                                  with_projection=True)
    assert round(full_tower / 1e6) == 354


def test_bundled_counts_agree_with_the_published_rounded_figures() -> None:
    sd21, sdxl = components("stable-diffusion-2.1"), components("sdxl-1.0-base")
    assert round(sd21["unet"].params / 1e6) == 866 and abs(sd21["unet"].params - 865e6) < 1e6  # "865M"
    assert round(sdxl["unet"].params / 1e8) / 10 == 2.6  # "2.6B"
    assert sd21["vae"].params == sdxl["vae"].params == 83_653_863
    assert round(sdxl["text_encoder_2"].params / 1e6) == 695  # OpenCLIP ViT-bigG text, "695M"
    # SDXL base is "3.5B parameters" in its card and Hugging Face's blog: UNet + both encoders + VAE
    assert round(sum(c.params for c in sdxl.values()) / 1e8) / 10 == 3.5
    # the variants share their base's components; every component names a source
    assert components("stable-diffusion-2.1-base") == sd21 and components("sdxl-lightning") == sdxl
    for pid in pipeline_ids():
        assert all(c.source for c in bundled_pipeline(pid).components)


# --------------------------------------------------------------------------- activation model

@pytest.mark.parametrize("comps, precision, side, measured_gib", [
    (tuple(components("sdxl-1.0-base").values()), "bf16", 1024, 8.958),
    (tuple(components("sdxl-1.0-base").values()), "fp32", 1024, 16.827),
    (SD15, "fp32", 512, 4.948),
])
def test_estimate_reproduces_measured_peaks(comps, precision, side, measured_gib) -> None:
    per_pixel = ACTIVATION_BYTES_PER_PIXEL["fp32" if precision == "fp32" else "16-bit"]
    est = estimate_diffusion_memory(comps, precision=PRECISIONS[precision], width=side, height=side,
                                    bytes_per_pixel=per_pixel, context_bytes=0)  # the allocator's view
    assert est.total_bytes / GIB == pytest.approx(measured_gib, rel=0.01)


def test_json_weight_parts_add_up() -> None:
    from model_scorecard.calc.diffusion import as_dict

    for name in ("bf16", "int4", "fp8", "fp32"):
        est = plan_diffusion(bundled_pipeline("stable-diffusion-2.1"), PRECISIONS[name]).estimate
        parts = as_dict(est)["weights"]
        total = parts["values_bytes"] + parts["quantisation_metadata_bytes"] + parts["kept_16bit_bytes"]
        assert abs(total - est.weights_bytes) <= 2, name
        assert (parts["kept_16bit_params"] == 83_653_863) == (PRECISIONS[name].bits < 16), name


def test_weights_by_component_and_the_vae_stays_16_bit() -> None:
    comps = bundled_pipeline("sdxl-1.0-base").components
    bf16 = component_weights(comps, PRECISIONS["bf16"])
    assert [w.bytes for w in bf16] == [c.params * 2 for c in comps]
    int4 = {w.component.name: w for w in component_weights(comps, PRECISIONS["int4"])}
    assert int4["vae"].bits == 16 and int4["unet"].bits == PRECISIONS["int4"].bits
    fp32 = component_weights(comps, PRECISIONS["fp32"])
    assert all(w.bits == 32 for w in fp32)


comp_st = st.builds(Component, name=st.sampled_from(["unet", "text_encoder", "vae"]),
                    role=st.sampled_from([DENOISER, TEXT_ENCODER, VAE]), class_name=st.just("X"),
                    params=st.integers(1, 10**10), source=st.just("test"))


@settings(max_examples=100, deadline=None)
@given(comps=st.lists(comp_st, min_size=1, max_size=4), bits=st.floats(1, 31), w=st.integers(8, 4096),
       h=st.integers(8, 4096), n=st.integers(1, 16), per_pixel=st.floats(1, 10_000))
def test_diffusion_memory_grows_with_params_bits_pixels_and_batch(comps, bits, w, h, n, per_pixel) -> None:
    def total(cs=tuple(comps), b=bits, width=w, height=h, batch=n) -> float:
        return estimate_diffusion_memory(cs, precision=bits_precision(b), width=width, height=height, batch=batch,
                                         bytes_per_pixel=per_pixel).total_bytes

    base = total()
    assert base > 0
    bigger = (Component(comps[0].name, comps[0].role, "X", comps[0].params + 1, "test"), *comps[1:])
    assert total(cs=bigger) > base
    assert total(width=w + 8) > base and total(height=h + 8) > base and total(batch=n + 1) > base
    # more bits: strictly more unless every component is a VAE held at 16 bit anyway
    if any(c.role != VAE for c in comps) or bits >= 16:
        assert total(b=bits + 1) > base
    else:
        assert total(b=bits + 1) >= base


@settings(max_examples=100, deadline=None)
@given(side=st.integers(64, 2048), n=st.integers(1, 8), mem=st.integers(1, 200).map(lambda g: g * GIB))
def test_max_images_is_exactly_what_fits(side, n, mem) -> None:
    comps = bundled_pipeline("sdxl-1.0-base").components
    per_pixel = ACTIVATION_BYTES_PER_PIXEL["16-bit"]
    est = estimate_diffusion_memory(comps, precision=PRECISIONS["bf16"], width=side, height=side, batch=n,
                                    bytes_per_pixel=per_pixel, gpus={"gpu": mem})
    fit = est.fits[0]
    assert fit.fits == (est.total_bytes <= mem) and fit.count == (1 if fit.fits else None)
    assert fit.fits == (fit.max_images >= n)
    per_image = activation_bytes(side, side, 1, per_pixel)
    assert est.weights_bytes + CUDA_CONTEXT_BYTES + fit.max_images * per_image <= mem or fit.max_images == 0
    assert est.weights_bytes + CUDA_CONTEXT_BYTES + (fit.max_images + 1) * per_image > mem


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError):
        Component("x", "decoder", "X", 1, "s")
    with pytest.raises(ValueError):
        Component("x", VAE, "X", -1, "s")
    with pytest.raises(ValueError):
        activation_bytes(0, 512, 1, 2560)
    with pytest.raises(ValueError):
        estimate_diffusion_memory((), precision=PRECISIONS["bf16"], width=8, height=8, bytes_per_pixel=1)
    with pytest.raises(UserError):
        parse_resolution("big")
    assert parse_resolution("1024") == (1024, 1024) and parse_resolution("1024x768") == (1024, 768)


# --------------------------------------------------------------------------- finding pipelines

def test_catalog_entries_and_hub_ids_find_their_pipelines() -> None:
    assert find_pipeline("stable-diffusion-2.1").resolution == 768
    assert find_pipeline("sdxl-1.0-base").name == "Stable Diffusion XL 1.0 base"
    lightning = find_pipeline("sdxl-lightning")
    assert lightning.components == bundled_pipeline("sdxl-1.0-base").components and lightning.notes
    assert find_pipeline("stabilityai/stable-diffusion-xl-base-1.0").label == "stabilityai/stable-diffusion-xl-base-1.0"
    assert find_pipeline("llama-3.1-70b") is None and find_pipeline("meta-llama/Llama-3.1-8B") is None


def test_diffusion_entries_without_a_sourced_breakdown_are_unknown_not_guessed() -> None:
    with pytest.raises(UserError, match="no sourced component breakdown.*unknown"):
        find_pipeline("sana-1.6b")
    with pytest.raises(UserError, match="API image model"):
        find_pipeline("dall-e-3")


def write_safetensors(path: Path, tensors: dict[str, tuple[str, list[int]]]) -> None:
    """A .safetensors file whose header describes ``tensors`` (dtype, shape); data zero-filled."""
    header, offset = {}, 0
    sizes = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8}
    for name, (dtype, shape) in tensors.items():
        n = sizes[dtype]
        for d in shape:
            n *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + bytes(offset))


def diffusers_folder(root: Path, *, unet_weights: bool = True) -> Path:
    (root).mkdir(parents=True, exist_ok=True)
    (root / "model_index.json").write_text(json.dumps({
        "_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "scheduler": ["diffusers", "PNDMScheduler"], "tokenizer": ["transformers", "CLIPTokenizer"],
        "feature_extractor": [None, None], "safety_checker": [None, None],
        "text_encoder": ["transformers", "CLIPTextModel"], "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"]}))
    (root / "unet").mkdir()
    (root / "unet" / "config.json").write_text(json.dumps({"_class_name": "UNet2DConditionModel", "sample_size": 96}))
    if unet_weights:
        # two variants: the plain file is counted, not the fp16 copy
        write_safetensors(root / "unet" / "diffusion_pytorch_model.safetensors",
                          {"conv_in.weight": ("F32", [320, 4, 3, 3]), "conv_in.bias": ("F32", [320])})
        write_safetensors(root / "unet" / "diffusion_pytorch_model.fp16.safetensors",
                          {"conv_in.weight": ("F16", [320, 4, 3, 3]), "conv_in.bias": ("F16", [320])})
    write_safetensors(root / "vae" / "diffusion_pytorch_model.fp16.safetensors",
                      {"decoder.conv_out.weight": ("F16", [3, 128, 3, 3])})
    (root / "text_encoder").mkdir()
    (root / "text_encoder" / "config.json").write_text(json.dumps(SD21_TEXT))
    return root


def test_diffusers_folder_is_counted_from_headers_and_configs(tmp_path) -> None:
    pipe = pipeline_from_model_index(diffusers_folder(tmp_path / "sd"))
    counts = {c.name: c.params for c in pipe.components}
    assert counts == {"unet": 320 * 4 * 9 + 320, "vae": 3 * 128 * 9, "text_encoder": 340_387_840}
    assert {c.name: c.role for c in pipe.components} == {"unet": DENOISER, "vae": VAE, "text_encoder": TEXT_ENCODER}
    assert pipe.resolution == 768  # sample_size 96 × 8
    assert "headers" in next(c.source for c in pipe.components if c.name == "unet")
    # integer tensors are buffers (CLIP's position_ids), not parameters
    f = tmp_path / "te.safetensors"
    write_safetensors(f, {"w": ("F16", [10, 10]), "text_model.embeddings.position_ids": ("I64", [1, 77])})
    assert safetensors_params([f]) == 100
    # the model_index.json itself names the folder too
    assert pipeline_from_model_index(tmp_path / "sd" / "model_index.json").components == pipe.components


def test_diffusers_folder_without_weights_names_the_unknown_components(tmp_path) -> None:
    root = diffusers_folder(tmp_path / "bare", unet_weights=False)
    with pytest.raises(UserError, match=r"unet \(UNet2DConditionModel\) is unknown"):
        pipeline_from_model_index(root)
    bad = tmp_path / "bad" / "vae"
    bad.mkdir(parents=True)
    (bad / "x.safetensors").write_bytes(b"\x01")
    (tmp_path / "bad" / "model_index.json").write_text(json.dumps({"vae": ["diffusers", "AutoencoderKL"]}))
    with pytest.raises(UserError, match="not a readable safetensors file"):
        pipeline_from_model_index(tmp_path / "bad")


def test_plan_uses_the_native_resolution_and_fp16_sdxl_decodes_in_fp32() -> None:
    sdxl = bundled_pipeline("sdxl-1.0-base")
    bf16 = plan_diffusion(sdxl, None, gpus={"L4": 24 * GIB}).estimate
    fp16 = plan_diffusion(sdxl, PRECISIONS["fp16"]).estimate
    assert (bf16.width, bf16.height) == (1024, 1024) and bf16.precision.name == "bf16"
    assert fp16.bytes_per_pixel == ACTIVATION_BYTES_PER_PIXEL["fp32"] > bf16.bytes_per_pixel
    assert any("upcasts its VAE" in a for a in fp16.assumptions)
    tall = plan_diffusion(sdxl, None, resolution="768x1344").estimate
    assert (tall.width, tall.height) == (768, 1344)


# --------------------------------------------------------------------------- the CLI

REQUIRED = ("params", "active_params", "precision", "weights_bytes", "kv_bytes_per_token", "kv_cache_bytes",
            "overhead_bytes", "total_bytes", "context", "batch", "gpus", "assumptions")


def test_vram_on_a_diffusion_catalog_entry_json(cli) -> None:
    result = cli("vram", "stable-diffusion-2.1", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in REQUIRED:
        assert key in doc
    assert doc["kind"] == "diffusion-image" and doc["model"] == "stable-diffusion-2.1"
    assert doc["kv_bytes_per_token"] == 0 and doc["kv_cache_bytes"] == 0 and doc["kv_dtype"] is None
    assert doc["context"] is None and doc["resolution"] == {"width": 768, "height": 768}
    names = [c["name"] for c in doc["components"]]
    assert names == ["unet", "text_encoder", "vae"]
    assert doc["params"] == sum(c["params"] for c in doc["components"]) == 1_289_952_427
    assert doc["weights_bytes"] == sum(c["bytes"] for c in doc["components"]) == 2 * 1_289_952_427
    assert doc["total_bytes"] == doc["weights_bytes"] + doc["overhead_bytes"]
    # besides the activations, 0.7 GiB outside PyTorch's allocator (0.68 GiB measured: docs/accuracy.md)
    assert CUDA_CONTEXT_BYTES == 0.7 * GIB
    assert abs(doc["overhead_bytes"] - doc["activation_bytes"] - 0.7 * GIB) <= 1
    assert any("0.7 GiB" in a and "docs/accuracy.md" in a for a in doc["assumptions"])
    for gpu in doc["gpus"]:
        assert set(gpu) >= {"name", "count", "fits", "kv_capacity_tokens", "max_concurrency"}
        assert gpu["kv_capacity_tokens"] is None and gpu["count"] in (1, None)
    assert next(g for g in doc["gpus"] if g["name"] == "L4")["fits"]


def test_vram_on_a_diffusion_entry_table_resolution_and_batch(cli) -> None:
    result = cli("vram", "sdxl-1.0-base", "--gpu", "L4", "--batch", "2", "--resolution", "1024x768")
    assert result.exit_code == 0, result.output
    for text in ("Denoiser (unet)", "Text encoder (text_encoder_2)", "VAE (vae)", "Activations", "1024×768",
                 "Max images per batch"):
        assert text in result.stdout
    one = json.loads(cli("vram", "sdxl-1.0-base", "-f", "json").stdout)
    two = json.loads(cli("vram", "sdxl-1.0-base", "-f", "json", "--batch", "2").stdout)
    assert two["weights_bytes"] == one["weights_bytes"] and two["activation_bytes"] == 2 * one["activation_bytes"]


def test_vram_on_a_diffusers_folder(cli, tmp_path) -> None:
    root = diffusers_folder(tmp_path / "sd")
    doc = json.loads(cli("vram", str(root), "--fp32", "-f", "json").stdout)
    sources = {c["name"]: c["source"] for c in doc["components"]}
    assert sources["unet"].startswith("exact: tensor shapes") and "config.json" in sources["text_encoder"]
    assert doc["weights_bytes"] == 4 * doc["params"]


@pytest.mark.parametrize("args, message", [
    (["sana-1.6b"], "no sourced component breakdown"),
    (["dall-e-3"], "no weights to size"),
    (["70B", "--resolution", "1024"], "--resolution applies to image-diffusion pipelines only"),
    (["sdxl-1.0-base", "--resolution", "huge"], "--resolution"),
])
def test_diffusion_errors_exit_2(cli, args, message) -> None:
    result = cli("vram", *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_estimate_on_an_image_pipeline_says_why_not(cli) -> None:
    result = cli("estimate", "sdxl-1.0-base", "--gpu", "H100")
    assert result.exit_code == 2 and "image-diffusion pipeline" in result.stderr


def test_the_size_shorthand_does_not_load_the_diffusion_code() -> None:
    code = ("import sys; sys.argv = ['scorecard', 'vram', '70B', '--int4']\n"
            "from model_scorecard.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "assert 'model_scorecard.sizing.diffusion' not in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
