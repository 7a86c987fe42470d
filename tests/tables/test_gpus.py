"""The GPU table: bundled figures against the data sheets (docs/domain.md §5), lookups, user GPU files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from model_scorecard.calc.gpus import GPU, normalise_gpu_name
from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.tables.gpus import find_gpu, load_gpus

MIB, GIB = 1024**2, 1024**3

# The first twelve rows of data/gpus.yaml, from the data sheets named on each row (docs/domain.md §5),
# in file order: memory (marketing), bandwidth GB/s, dense BF16 TFLOPS,
# dense FP8 TFLOPS, INT8 TOPS, TDP W.
DOMAIN_TABLE = [
    ("A10", 24, 600, 125, None, 250, 150),
    ("L4", 24, 300, 121, 242, 242, 72),
    ("L40S", 48, 864, 362, 733, 733, 350),
    ("RTX 4090", 24, 1008, 165, 330, 661, 450),
    ("A100 40GB SXM", 40, 1555, 312, None, 624, 400),
    ("A100 80GB SXM", 80, 2039, 312, None, 624, 400),
    ("H100 SXM", 80, 3350, 989, 1979, 1979, 700),
    ("H100 PCIe", 80, 2000, 756, 1513, 1513, 350),
    ("H200 SXM", 141, 4800, 989, 1979, 1979, 700),
    ("B200", 180, 8000, 2250, 4500, 4500, 1000),
    ("MI300X", 192, 5300, 1307, 2615, 2615, 750),
    ("TPU v5e", 16, 819, 197, None, 394, None),
]


# Rows added beyond those twelve for issue 13, in file order: (name, marketed GB, bandwidth GB/s,
# dense BF16 TFLOPS, dense FP8, dense INT8, TDP W, the data sheet's sparse 16-bit headline or
# None where the source printed none). Transcribed from the sources named on each row of
# data/gpus.yaml, so a typo in either place fails here.
ADDED_ROWS = [
    ("T4", 16, 320, 65, None, 130, 70, None),  # Turing: no structured sparsity; FP16 in the bf16 slot
    ("RTX 5090", 32, 1792, 209.5, None, None, 575, 419),
    ("H100 NVL", 94, 3900, 835, None, None, 400, None),
    ("H20", 96, 4000, 148, None, 296, 400, 296),
    ("B300", 288, 7700, 2250, 4500, None, 1100, None),
    ("GB200", 187.5, 7700, 2250, 4500, 4500, 1200, None),
    ("MI325X", 256, 6000, 1307.4, 2614.9, None, 1000, None),
    ("MI355X", 288, 8000, 2500, 5000, None, 1400, None),
    # issue 13, item 8: GPUs people run on
    ("RTX 3090", 24, 936, 71.16, None, None, 350, None),  # no FP8 (Ampere); INT8 source unlabelled
    ("L20", 48, 864, 119.5, None, 239, 275, None),
    ("RTX PRO 6000 Blackwell", 96, 1792, 503.8, 1010, 1010, 600, None),  # sparse below (rounded)
    ("A10G", 24, 600, None, None, None, 300, None),  # no published dense BF16: null, not the A10's
    ("RTX 6000 Ada", 48, 960, 364, 728.5, 728, 300, 728),
    ("RTX PRO 6000 Blackwell Server Edition", 96, 1597, 500, 1000, None, 600, 1000),
]
ADDED_SPARSE_FP8 = {"MI325X": 5229.8, "RTX 6000 Ada": 1457.0,  # data sheet FP8 with sparsity
                    "RTX PRO 6000 Blackwell Server Edition": 2000}
# Apple M-series, one SoC each, in file order: (name, GiB the GPU may use by default, unified
# memory GB of the configuration, bandwidth GB/s).
APPLE_ROWS = [
    ("Apple M4 Max 128GB", 96, 128, 546),
    ("Apple M3 Ultra 512GB", 464, 512, 819),
    ("Apple M4 Pro 64GB", 48, 64, 273),
]


def test_bundled_table_matches_domain_section_5_in_order() -> None:
    gpus = load_gpus()
    assert list(gpus) == ([row[0] for row in DOMAIN_TABLE] + [row[0] for row in ADDED_ROWS]
                          + [row[0] for row in APPLE_ROWS])
    for name, memory_gb, bandwidth, bf16, fp8, int8, tdp in DOMAIN_TABLE:
        gpu = gpus[name]
        assert gpu.bandwidth_bytes_per_s == bandwidth * 1e9
        assert gpu.bf16_flops == bf16 * 1e12
        assert gpu.fp8_flops == (None if fp8 is None else fp8 * 1e12)
        assert gpu.int8_ops == int8 * 1e12
        assert gpu.tdp_w == tdp
        # What software sees is within 7% below the marketing figure: never above it
        # read as GiB, and never the 2x-sparse compute or a GB/GiB mix-up.
        assert 0.93 * memory_gb * GIB <= gpu.memory_bytes <= memory_gb * GIB * 1.0001, name
        assert gpu.source and gpu.interconnect in ("nvlink", "pcie", "infinity-fabric", "ici")


def test_memory_is_in_bytes_as_software_reports_it() -> None:
    gpus = load_gpus()
    # nvidia-smi memory.total: an "80 GB" H100 shows 81,559 MiB (docs/domain.md §5).
    assert gpus["H100 SXM"].memory_bytes == 81_559 * MIB
    assert gpus["A100 80GB SXM"].memory_bytes == 80 * GIB
    assert gpus["TPU v5e"].memory_bytes == 16 * GIB
    assert all(isinstance(g.memory_bytes, int) for g in gpus.values())


def test_prices_and_embodied_from_domain_sections_7_and_8() -> None:
    gpus = load_gpus()
    assert (gpus["H100 SXM"].usd_per_hour_low, gpus["H100 SXM"].usd_per_hour_high) == (1.99, 7.00)
    assert (gpus["A100 80GB SXM"].usd_per_hour_low, gpus["A100 80GB SXM"].usd_per_hour_high) == (0.80, 3.00)
    assert (gpus["H200 SXM"].usd_per_hour_low, gpus["L4"].usd_per_hour_high) == (2.50, 1.10)
    assert gpus["H100 SXM"].embodied_kg_co2e == 164
    assert gpus["B200"].usd_per_hour_low is None  # unknown stays unknown, never 0


def test_load_gpus_is_cached_but_returns_a_fresh_dict() -> None:
    a, b = load_gpus(), load_gpus()
    assert a == b and a is not b
    a.pop("A10")
    assert "A10" in load_gpus()


@pytest.mark.parametrize(("query", "name"), [
    ("H100", "H100 SXM"), ("h100-sxm", "H100 SXM"), ("NVIDIA H100 80GB HBM3", "H100 SXM"),
    ("h100 pcie", "H100 PCIe"), ("H100_PCIe", "H100 PCIe"), ("a100", "A100 80GB SXM"),
    ("A100-SXM4-40GB", "A100 40GB SXM"), ("NVIDIA GeForce RTX 4090", "RTX 4090"), ("4090", "RTX 4090"),
    ("tpu-v5e", "TPU v5e"), ("v5e", "TPU v5e"), ("AMD MI300X", "MI300X"), ("l40s", "L40S"), ("  L4 ", "L4"),
])
def test_find_gpu_ignores_case_spaces_hyphens_and_vendor(query: str, name: str) -> None:
    assert find_gpu(query).name == name


def test_unknown_gpu_names_the_known_ones_and_suggests() -> None:
    with pytest.raises(UserError) as err:
        find_gpu("H10")
    assert "did you mean 'H100 SXM'" in err.value.message
    assert "A10, L4, L40S" in (err.value.hint or "")
    assert err.value.exit_code == 2
    with pytest.raises(UserError) as err:
        find_gpu("zzz")
    assert err.value.message == "unknown GPU 'zzz'"  # no far-fetched suggestion


def test_find_gpu_in_a_given_table() -> None:
    table = {"Mine": GPU("Mine", ("m1",), 1, 1.0, 1.0, None, None, None, None, "pcie", None, None, None, None, "me")}
    assert find_gpu("M1", table).name == "Mine"
    with pytest.raises(UserError):
        find_gpu("h100", table)


def test_normalise_gpu_name() -> None:
    assert normalise_gpu_name("NVIDIA H100-SXM") == normalise_gpu_name("h100 sxm") == "h100sxm"


USER_FILE = """\
schema_version: 1
gpus:
  - name: Lab H100
    aliases: [lab-h100-94gb, H100]
    memory_gb: 94
    memory_basis: data sheet
    bandwidth_gb_per_s: 3900
    bf16_tflops: 835
    fp8_tflops: 1670
    interconnect: nvlink
    link_gb_per_s: 300
    usd_per_hour: [2.0, 4.0]
    source: my lab's card
  - name: a10
    memory_mib: 23028
    bandwidth_gb_per_s: 600
    bf16_tflops: 125
    tdp_w: 150
    interconnect: pcie
    usd_per_hour: [0.5, 0.9]
    source: my cloud's price list, 2026-01
"""


def test_user_file_adds_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "gpus.yaml"
    path.write_text(USER_FILE)
    gpus = load_gpus(path)
    assert list(gpus)[0] == "a10"  # replaced in place (names match case-insensitively)
    assert "A10" not in gpus and gpus["a10"].usd_per_hour_low == 0.5
    assert list(gpus)[-1] == "Lab H100"
    assert gpus["Lab H100"].memory_bytes == 94_000_000_000
    assert gpus["Lab H100"].usd_per_hour_high == 4.0
    # the user's alias wins; the bundled GPU keeps its name and other aliases
    assert find_gpu("h100", gpus).name == "Lab H100"
    assert find_gpu("H100 SXM", gpus).name == "H100 SXM"
    assert find_gpu("h100-80gb", gpus).name == "H100 SXM"
    assert "h100" not in gpus["H100 SXM"].aliases
    assert "h100" in load_gpus()["H100 SXM"].aliases  # the cached bundled table is untouched


def _problems(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as err:
        load_gpus(path)
    assert err.value.exit_code == 2
    return [str(p) for p in err.value.problems]


def test_user_file_errors_carry_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent("""\
        gpus:
          - name: My Card
            memory_gib: 32
            bandwidth_gb_per_s: -5
            bf16_tflops: 100
            interconnect: pcie-x
            source: me
            colour: red
          - name: Two Memories
            memory_gib: 32
            memory_mib: 32768
            bandwidth_gb_per_s: 1
            bf16_tflops: 1
            interconnect: pcie
            usd_per_hour: [3, 1]
            source: me
        """))
    problems = _problems(path)
    text = "\n".join(problems)
    assert f"{path}:4:25: gpus[0].bandwidth_gb_per_s: must be more than 0" in text
    assert f"{path}:6:19: gpus[0].interconnect: must be one of" in text
    assert f"{path}:8:5: gpus[0].colour: unknown field 'colour'" in text
    assert f"{path}:9:5: gpus[1]: give exactly one of memory_mib, memory_gib, memory_gb, memory_bytes" in text
    assert len(problems) == 4  # all at once; the usd_per_hour order is checked after memory


def test_user_file_price_order_and_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("gpus:\n  - name: X\n    memory_gib: 1\n    bandwidth_gb_per_s: 1\n    bf16_tflops: 1\n"
                    "    interconnect: pcie\n    usd_per_hour: [3, 1]\n    source: me\n  - name: Y\n")
    text = "\n".join(_problems(path))
    assert f"{path}:2:5: gpus[0]: usd_per_hour is [low, high]" in text
    assert f"{path}:9:5: gpus[1].bandwidth_gb_per_s: required field is missing" in text


def test_user_file_name_collisions_are_located(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(textwrap.dedent("""\
        gpus:
          - name: Card A
            aliases: [shared]
            memory_gib: 8
            bandwidth_gb_per_s: 100
            bf16_tflops: 10
            interconnect: pcie
            source: me
          - name: card-a
            aliases: [Shared]
            memory_gib: 8
            bandwidth_gb_per_s: 100
            bf16_tflops: 10
            interconnect: pcie
            source: me
        """))
    problems = _problems(path)
    assert problems == [
        f"{path}:9:11: gpus[1].name: 'card-a' already names GPU 'Card A' in this file",
        f"{path}:10:15: gpus[1].aliases[0]: 'shared' already names GPU 'Card A' in this file",
    ]


def test_not_a_gpu_file(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    assert _problems(path) == [f"{path}:1:1: expected a mapping with a `gpus:` list"]


def test_importing_speed_and_gpus_stays_light() -> None:
    code = ("import sys, model_scorecard.calc.speed, model_scorecard.calc.gpus, model_scorecard.calc.cost; "
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('pandas', 'huggingface_hub', 'torch', 'numpy')]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _typed(gpus) -> list[list[tuple[type, object]]]:
    from dataclasses import astuple

    return [[(type(v), v) for v in astuple(g)] for g in gpus]


def test_bundled_file_passes_the_strict_model_and_both_paths_agree() -> None:
    # `scorecard vram` reads the bundled table without pydantic; a user's file goes through
    # the strict GPUFile model. The bundled file must pass that model, and the two paths
    # must give identical GPUs (values and types), so the fast path cannot drift.
    from model_scorecard import bundled
    from model_scorecard.schema.yamlio import load_file
    from model_scorecard.tables import gpus as gpus_module
    from model_scorecard.tables.gpu_file import GPUFile

    path = bundled.data_file("gpus.yaml")
    parsed = GPUFile.model_validate(load_file(path).data)
    strict = [spec.to_gpu() for spec in parsed.gpus]
    fast = gpus_module._bundled_fast()
    assert _typed(fast) == _typed(strict)
    assert _typed(gpus_module._bundled()) == _typed(strict)
    assert [g for g, _ in gpus_module._parse(path)] == strict  # no name or alias collisions either


def test_fast_row_conversion_matches_the_strict_model_for_every_memory_key() -> None:
    from model_scorecard.calc.gpus import gpu_from_row
    from model_scorecard.tables.gpu_file import GPUSpec

    base = {"name": " My Card ", "aliases": ["Mine", "mine", " M-1 "], "bandwidth_gb_per_s": 100, "bf16_tflops": 10,
            "interconnect": "pcie", "source": "me", "tdp_w": 300, "idle_w": 0, "usd_per_hour": [1, 2.5],
            "link_gb_per_s": 64, "embodied_kg_co2e": 150, "fp8_tflops": 20, "int8_tops": 20.5}
    for memory in ({"memory_mib": 8192}, {"memory_gib": 7.5}, {"memory_gb": 24}, {"memory_bytes": 10**10}):
        row = {**base, **memory}
        assert _typed([gpu_from_row(row)]) == _typed([GPUSpec.model_validate(row).to_gpu()])
    sparse = {"name": "X", "memory_gib": 1, "bandwidth_gb_per_s": 1.5, "bf16_tflops": 1, "interconnect": "ici",
              "source": "me"}
    assert _typed([gpu_from_row(sparse)]) == _typed([GPUSpec.model_validate(sparse).to_gpu()])


def test_bundled_yaml_reads_as_yamlio_reads_it() -> None:
    # data_yaml() uses PyYAML's safe loader (YAML 1.1) for start-up speed; on the files it
    # reads, it must give what yamlio (YAML 1.2 core schema) gives, types included.
    from model_scorecard import bundled
    from model_scorecard.schema.yamlio import load_file

    def typed(value: object) -> object:
        if isinstance(value, dict):
            return {typed(k): typed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [typed(v) for v in value]
        return (type(value), value)

    for name in ("gpus.yaml", "reference/index.yaml"):
        assert typed(bundled.data_yaml(name)) == typed(load_file(bundled.data_file(name)).data), name


def test_bundled_table_is_read_without_pydantic_models() -> None:
    code = ("import sys; from model_scorecard.tables.gpus import load_gpus; load_gpus(); "
            "print(sorted(m for m in ('pydantic.main', 'model_scorecard.schema.catalog', 'model_scorecard.tables.gpu_file', "
            "'model_scorecard.schema.yamlio') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_user_file_is_parsed_once_while_unchanged(tmp_path: Path, monkeypatch) -> None:
    """`estimate --gpus-file` looks the GPU up and sizes memory: one parse, unless the file changes."""
    import model_scorecard.tables.gpus as gpus_mod

    path = tmp_path / "gpus.yaml"
    row = ("gpus:\n  - {name: Lab Card, memory_gib: %d, bandwidth_gb_per_s: 1000, bf16_tflops: 100, "
           "tdp_w: 300, interconnect: pcie, source: https://example.org/lab-card}\n")
    path.write_text(row % 40)
    calls = []
    real = gpus_mod._parse
    monkeypatch.setattr(gpus_mod, "_parse", lambda p: calls.append(p) or real(p))
    first = load_gpus(path)["Lab Card"]
    assert load_gpus(path)["Lab Card"] == first and len(calls) == 1
    path.write_text(row % 48)  # a different size: parsed again
    assert load_gpus(path)["Lab Card"].memory_bytes == 48 * 1024**3 and len(calls) == 2


# --------------------------------------------------------------------------- issue 13 rows

@pytest.mark.parametrize("row", ADDED_ROWS, ids=[r[0] for r in ADDED_ROWS])
def test_added_rows_match_their_sources(row) -> None:
    name, memory_gb, bandwidth, bf16, fp8, int8, tdp, sparse16 = row
    gpu = load_gpus()[name]
    assert gpu.bandwidth_bytes_per_s == bandwidth * 1e9 > 0
    assert gpu.bf16_flops == (None if bf16 is None else bf16 * 1e12)
    assert gpu.fp8_flops == (None if fp8 is None else fp8 * 1e12)
    assert gpu.int8_ops == (None if int8 is None else int8 * 1e12)
    assert gpu.tdp_w == tdp
    # never more than the marketed capacity, never a GB/GiB slip (at most ~7% below it)
    assert 0.86 * memory_gb * 1e9 <= gpu.memory_bytes <= memory_gb * GIB * 1.0001, name
    # dense, not the 2:4-sparse headline: the data sheet's sparse figure is exactly twice ours
    if sparse16 is not None:
        assert gpu.bf16_flops * 2 == pytest.approx(sparse16 * 1e12), name
    if name in ADDED_SPARSE_FP8:
        assert gpu.fp8_flops * 2 == pytest.approx(ADDED_SPARSE_FP8[name] * 1e12), name


@pytest.mark.parametrize("name", [r[0] for r in ADDED_ROWS])
def test_added_rows_are_dense_plausible_and_cite_a_dated_source(name: str) -> None:
    gpu = load_gpus()[name]
    if gpu.bf16_flops is not None:
        # lower precision is never slower than bf16 on the same chip
        for faster in (gpu.fp8_flops, gpu.int8_ops):
            assert faster is None or faster >= gpu.bf16_flops, name
        # no more than 16-bit FLOPs per byte than any GPU of DOMAIN_TABLE (the sparse figure would double it)
        domain_max = max(load_gpus()[r[0]].bf16_flops / load_gpus()[r[0]].bandwidth_bytes_per_s
                         for r in DOMAIN_TABLE)
        assert gpu.bf16_flops / gpu.bandwidth_bytes_per_s <= domain_max, name
    else:  # unknown, and the row says so
        assert "not published" in gpu.source.lower() or "no published" in gpu.source.lower(), name
    assert "http" in gpu.source and "2026-12-05" in gpu.source, name
    assert gpu.usd_per_hour_low is None and gpu.embodied_kg_co2e is None  # no price without a source


def test_added_rows_are_found_by_their_usual_names() -> None:
    assert find_gpu("Tesla T4").name == "T4"
    assert find_gpu("NVIDIA GeForce RTX 5090").name == "RTX 5090"
    assert find_gpu("NVIDIA H100 NVL").name == "H100 NVL"
    assert find_gpu("h100").name == "H100 SXM"  # unchanged
    assert find_gpu("AMD Instinct MI325X").name == "MI325X" and find_gpu("mi355x").name == "MI355X"
    assert find_gpu("hgx-b300").name == "B300" and find_gpu("GB200").name == "GB200" and find_gpu("H20").name == "H20"


# --------------------------------------------------------------------------- issue 13, item 8

# The sparse figures printed by the sources of the item-8 rows, by mode. The RTX PRO 6000
# database prints them rounded to three figures ("1.01 PFLOPS"), hence the tolerance.
ITEM8_SPARSE = {
    "RTX PRO 6000 Blackwell": {"bf16": 1010, "fp8": 2020, "int8": 2020},
    "RTX 6000 Ada": {"bf16": 728, "fp8": 1457.0, "int8": 1457},  # data sheet: "effective FP8 ... sparsity"
    "RTX PRO 6000 Blackwell Server Edition": {"bf16": 1000, "fp8": 2000},  # NVIDIA's page: 1 / 2 PFLOPS
}
ITEM8 = ["RTX 3090", "L20", "RTX PRO 6000 Blackwell", "A10G", "RTX 6000 Ada", "RTX PRO 6000 Blackwell Server Edition"]


@pytest.mark.parametrize("name", ITEM8)
def test_item8_rows_are_dense_and_ordered(name: str) -> None:
    gpu = load_gpus()[name]
    dense = {"bf16": gpu.bf16_flops, "fp8": gpu.fp8_flops, "int8": gpu.int8_ops}
    for mode, sparse in ITEM8_SPARSE.get(name, {}).items():
        assert dense[mode] is not None and dense[mode] <= sparse * 1e12, (name, mode)
        # the stored figure is the dense one: half the sparse, not the sparse itself
        assert dense[mode] * 2 == pytest.approx(sparse * 1e12, rel=0.01), (name, mode)
    for faster in (gpu.fp8_flops, gpu.int8_ops):
        assert faster is None or gpu.bf16_flops is None or faster >= gpu.bf16_flops, name
    assert gpu.interconnect == "pcie" and not gpu.single_device
    assert gpu.idle_w is None and gpu.usd_per_hour_low is None and gpu.embodied_kg_co2e is None


def test_item8_memory_as_software_sees_it() -> None:
    gpus = load_gpus()
    # nvidia-smi memory.total on an RTX PRO 6000 Blackwell Workstation Edition
    assert gpus["RTX PRO 6000 Blackwell"].memory_bytes == 97_887 * MIB
    assert gpus["RTX 3090"].memory_bytes == 24 * 10**9  # marketed GB: no nvidia-smi total sourced
    assert gpus["L20"].memory_bytes == 48 * 10**9
    # link: PCIe Gen4 x16 (L20), Gen5 x16 (RTX PRO 6000); not sourced for the RTX 3090
    assert gpus["L20"].link_bytes_per_s == 32e9
    assert gpus["RTX PRO 6000 Blackwell"].link_bytes_per_s == 64e9
    assert gpus["RTX 3090"].link_bytes_per_s is None


@pytest.mark.parametrize(("query", "name"), [
    ("rtx-3090", "RTX 3090"), ("NVIDIA GeForce RTX 3090", "RTX 3090"), ("3090", "RTX 3090"),
    ("l20", "L20"), ("NVIDIA L20", "L20"),
    ("rtx pro 6000", "RTX PRO 6000 Blackwell"), ("RTX-PRO-6000-Blackwell", "RTX PRO 6000 Blackwell"),
    ("NVIDIA RTX PRO 6000 Blackwell Workstation Edition", "RTX PRO 6000 Blackwell"),
    ("4090", "RTX 4090"), ("a10", "A10"),  # neighbours unchanged
])
def test_item8_rows_are_found_by_their_usual_names(query: str, name: str) -> None:
    assert find_gpu(query).name == name


@pytest.mark.parametrize(("query", "name"), [
    ("a10g", "A10G"), ("NVIDIA A10G", "A10G"), ("aws-a10g", "A10G"), ("a10", "A10"),
    ("6000 ada", "RTX 6000 Ada"), ("RTX 6000 Ada Generation", "RTX 6000 Ada"), ("rtx6000ada", "RTX 6000 Ada"),
    ("NVIDIA RTX 6000 Ada Generation", "RTX 6000 Ada"), ("rtx-6000-ada", "RTX 6000 Ada"),
    ("RTX PRO 6000 Blackwell Server Edition", "RTX PRO 6000 Blackwell Server Edition"),
    ("NVIDIA RTX PRO 6000 Blackwell Server Edition", "RTX PRO 6000 Blackwell Server Edition"),
    ("rtx-pro-6000-server", "RTX PRO 6000 Blackwell Server Edition"),
    ("rtx pro 6000", "RTX PRO 6000 Blackwell"),  # the Workstation Edition keeps the short name
    ("M4 Max", "Apple M4 Max 128GB"), ("m4-max", "Apple M4 Max 128GB"), ("apple m4 max", "Apple M4 Max 128GB"),
    ("M3 Ultra", "Apple M3 Ultra 512GB"), ("mac-studio-m3-ultra", "Apple M3 Ultra 512GB"),
    ("m4 pro", "Apple M4 Pro 64GB"),
])
def test_item8_newer_rows_are_found_by_the_names_people_type(query: str, name: str) -> None:
    assert find_gpu(query).name == name


def test_item8_neighbours_are_not_copied_into_each_other() -> None:
    gpus = load_gpus()
    # an A10G is not sized or timed as an A10: same memory, its own (unknown) tensor peak
    assert gpus["A10G"].bandwidth_bytes_per_s == gpus["A10"].bandwidth_bytes_per_s
    assert gpus["A10G"].bf16_flops is None and gpus["A10"].bf16_flops == 125e12
    assert gpus["A10G"].memory_bytes == 23_028 * MIB  # nvidia-smi on a g5
    # the Server Edition's memory bandwidth is its own, below the Workstation Edition's
    server, workstation = gpus["RTX PRO 6000 Blackwell Server Edition"], gpus["RTX PRO 6000 Blackwell"]
    assert server.bandwidth_bytes_per_s == 1597e9 < workstation.bandwidth_bytes_per_s
    assert server.memory_bytes == workstation.memory_bytes == 97_887 * MIB
    assert gpus["RTX 6000 Ada"].memory_bytes == 48 * 10**9  # software totals disagree: the marketed GB
    assert gpus["RTX 6000 Ada"].link_bytes_per_s == 32e9 and server.link_bytes_per_s == 64e9
    assert gpus["A10G"].link_bytes_per_s is None  # PCIe generation not sourced


@pytest.mark.parametrize("row", APPLE_ROWS, ids=[r[0] for r in APPLE_ROWS])
def test_apple_rows_are_one_device_with_a_share_of_unified_memory(row) -> None:
    name, gib, unified_gb, bandwidth = row
    gpu = load_gpus()[name]
    assert gpu.memory_bytes == gib * GIB  # what the GPU may wire by default, not the whole memory
    assert 0.70 * unified_gb * GIB <= gpu.memory_bytes <= 0.95 * unified_gb * GIB
    assert gpu.bandwidth_bytes_per_s == bandwidth * 1e9
    assert gpu.interconnect == "none" and gpu.single_device and gpu.link_bytes_per_s is None
    # Apple publishes no dense matrix peak and no chip power limit: unknown, never invented
    assert gpu.bf16_flops is gpu.fp8_flops is gpu.int8_ops is gpu.tdp_w is gpu.idle_w is None
    assert gpu.usd_per_hour_low is None and gpu.embodied_kg_co2e is None
    assert "http" in gpu.source and "2026-12-05" in gpu.source
    assert "iogpu.wired_limit_mb" in _basis(name)  # the default limit, and how it is raised


def _basis(name: str) -> str:
    from model_scorecard import bundled

    return next(r["memory_basis"] for r in bundled.data_yaml("gpus.yaml")["gpus"] if r["name"] == name)


def test_a_user_file_may_say_a_peak_is_unknown_and_a_device_stands_alone(tmp_path: Path) -> None:
    path = tmp_path / "mac.yaml"
    path.write_text(textwrap.dedent("""\
        gpus:
          - name: My Mac
            memory_gib: 24
            bandwidth_gb_per_s: 120
            bf16_tflops: null
            interconnect: none
            source: my own reading
        """))
    mac = load_gpus(path)["My Mac"]
    assert mac.bf16_flops is None and mac.single_device and mac.link_bytes_per_s is None


def test_a_user_file_must_say_the_bf16_peak_and_a_lone_device_has_no_link(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent("""\
        gpus:
          - name: Forgot
            memory_gib: 24
            bandwidth_gb_per_s: 120
            interconnect: pcie
            source: me
          - name: Linked Mac
            memory_gib: 24
            bandwidth_gb_per_s: 120
            bf16_tflops: null
            interconnect: none
            link_gb_per_s: 10
            source: me
        """))
    text = "\n".join(_problems(path))
    assert f"{path}:2:5: gpus[0].bf16_tflops: required field is missing" in text  # null is said, not forgotten
    assert f"{path}:7:5: gpus[1]: interconnect none" in text
