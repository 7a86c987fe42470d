"""Check the diffusion component parameter counts in ``data/diffusion.yaml`` against the
real diffusers/transformers classes.

For every component config in ``tests/calc/configs/diffusion/`` this

1. checks the file's SHA-256 and size against ``tests/calc/configs/diffusion/SOURCES.md``
   (the SD 2.1 and SDXL base files are byte-identical to the Hub files named there);
2. builds the class the pipeline's ``model_index.json`` names -- ``UNet2DConditionModel``,
   ``AutoencoderKL`` (diffusers), ``CLIPTextModel``, ``CLIPTextModelWithProjection``
   (transformers) -- from the config on the ``meta`` device (no weights, no memory, no
   network) and counts ``sum(p.numel() for p in model.parameters())``. Buffers such as CLIP's
   ``position_ids`` are not parameters;
3. compares the count with the component's ``params`` in ``data/diffusion.yaml``, CLIP text
   encoders also with ``model_scorecard.calc.diffusion.clip_text_params``, and the UNet's
   ``sample_size`` x 8 with the pipeline's ``resolution``.

SD 1.5 is not a bundled pipeline; its counts are compared with the constants
``tests/calc/test_diffusion.py`` uses for its activation cross-check (``SD15_COUNTS`` below).

It is not run in CI (it needs torch, diffusers and transformers). To re-check, use a
separate virtual environment outside the repository::

    python3 -m venv /tmp/dfvenv
    /tmp/dfvenv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
    /tmp/dfvenv/bin/pip install diffusers transformers accelerate pyyaml
    PYTHONPATH=src /tmp/dfvenv/bin/python benchmarks/verify_diffusion_counts.py

The counts in ``data/diffusion.yaml`` were verified with torch 2.13.0 (CPU wheel),
diffusers 0.42.1 and transformers 5.23.0.

Exit status: 0 when every file and count matches, 1 otherwise.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "tests" / "calc" / "configs" / "diffusion"
TABLE = ROOT / "src" / "model_scorecard" / "data" / "diffusion.yaml"

#: fixture folder -> pipeline id in data/diffusion.yaml (None: not bundled)
PIPELINES = {
    "stabilityai--stable-diffusion-2-1": "stable-diffusion-2.1",
    "stabilityai--stable-diffusion-xl-base-1.0": "sdxl-1.0-base",
    "runwayml--stable-diffusion-v1-5": None,
}

#: SD 1.5 component counts that tests/calc/test_diffusion.py uses (SD15)
SD15_COUNTS = {"unet": 859_520_964, "text_encoder": 123_060_480, "vae": 83_653_863}

#: class of each component folder, as in the pipelines' model_index.json
CLASSES = {"unet": "UNet2DConditionModel", "vae": "AutoencoderKL", "text_encoder": "CLIPTextModel",
           "text_encoder_2": "CLIPTextModelWithProjection"}

_ROW = re.compile(r"^\| `(?P<path>[^`]+/config\.json)` \| (?P<bytes>\d+) \| `(?P<sha>[0-9a-f]{64})` \|", re.M)


def pinned_hashes() -> dict[str, tuple[int, str]]:
    """Fixture path (relative to the diffusion folder) -> (bytes, SHA-256) from SOURCES.md."""
    text = (CONFIGS / "SOURCES.md").read_text(encoding="utf-8")
    return {m["path"]: (int(m["bytes"]), m["sha"]) for m in _ROW.finditer(text)}


def build(class_name: str, config: dict):
    import torch

    with torch.device("meta"):
        if class_name == "UNet2DConditionModel":
            from diffusers import UNet2DConditionModel

            return UNet2DConditionModel.from_config(config)
        if class_name == "AutoencoderKL":
            from diffusers import AutoencoderKL

            return AutoencoderKL.from_config(config)
        from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

        cls = CLIPTextModelWithProjection if class_name == "CLIPTextModelWithProjection" else CLIPTextModel
        return cls(CLIPTextConfig.from_dict(config))


def main() -> int:
    import diffusers
    import torch
    import transformers
    import yaml

    try:
        from model_scorecard.calc.diffusion import clip_text_params
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
        from model_scorecard.calc.diffusion import clip_text_params

    print(f"torch {torch.__version__}, diffusers {diffusers.__version__}, transformers {transformers.__version__}")
    table = {p["id"]: p for p in yaml.safe_load(TABLE.read_text(encoding="utf-8"))["pipelines"]}
    pins = pinned_hashes()
    ok = True
    seen: set[str] = set()
    for folder, pid in PIPELINES.items():
        expected = SD15_COUNTS if pid is None else {c["name"]: c["params"] for c in table[pid]["components"]}
        print(f"\n{folder}  ->  {pid or 'tests only (SD15 in tests/calc/test_diffusion.py)'}")
        for component in sorted(expected):
            rel = f"{folder}/{component}/config.json"
            seen.add(rel)
            path = CONFIGS / rel
            raw = path.read_bytes()
            sha = hashlib.sha256(raw).hexdigest()
            problems = []
            if rel not in pins:
                problems.append("not listed in SOURCES.md")
            elif pins[rel] != (len(raw), sha):
                problems.append(f"file is {len(raw)} bytes, sha256 {sha}; "
                                f"SOURCES.md says {pins[rel][0]} bytes, {pins[rel][1]}")
            config = json.loads(raw)
            class_name = CLASSES[component]
            if pid is not None:
                listed = next(c["class"] for c in table[pid]["components"] if c["name"] == component)
                if listed != class_name:
                    problems.append(f"diffusion.yaml says class {listed}")
            counted = sum(p.numel() for p in build(class_name, config).parameters())
            if counted != expected[component]:
                problems.append(f"diffusion.yaml/tests say {expected[component]:,}")
            if class_name.startswith("CLIPText"):
                ours = clip_text_params(config, with_projection=class_name.endswith("WithProjection"))
                if ours != counted:
                    problems.append(f"clip_text_params says {ours:,}")
            if component == "unet" and pid is not None and config["sample_size"] * 8 != table[pid]["resolution"]:
                problems.append(f"sample_size {config['sample_size']} x 8 != resolution {table[pid]['resolution']}")
            if component == "vae" and pid is not None \
                    and bool(config.get("force_upcast")) != bool(table[pid].get("vae_upcast_in_fp16")):
                problems.append("force_upcast disagrees with vae_upcast_in_fp16")
            ok &= not problems
            status = "ok" if not problems else "MISMATCH: " + "; ".join(problems)
            print(f"  {component:15s} {class_name:28s} {counted:>15,}  sha256 {sha[:12]}…  {status}")
    unlisted = sorted(set(pins) - seen)
    if unlisted:
        ok = False
        print("\nMISMATCH: SOURCES.md lists files no pipeline checks:", ", ".join(unlisted))
    print("\nall counts agree" if ok else "\nMISMATCHES above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
