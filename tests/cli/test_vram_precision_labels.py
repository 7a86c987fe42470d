"""`scorecard vram`'s weights rows name the precision asked for (issue 13: int8 and fp8 said "4-bit")."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("size", "flag", "label"), [
    ("8B", "--int8", "int8 values alone (8 bits each)"),
    ("405B", "--fp8", "fp8 values alone (8 bits each)"),
    ("70B", "--int4", "int4 values alone (4 bits each)"),
])
def test_scales_row_names_the_real_precision(cli, size: str, flag: str, label: str) -> None:
    result = cli("vram", size, flag)
    assert result.exit_code == 0, result.output
    assert label in result.stdout
    if flag != "--int4":
        assert "4-bit" not in result.stdout
