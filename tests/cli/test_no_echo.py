"""Issue 14, class 3 (files): an error names the file, the line and what was expected -- never
the contents of a file that is not what it was named as (a secrets file given as a catalog
lands in a CI log), nor a value that looks like a credential."""

from __future__ import annotations

import pytest

from model_scorecard.errors import echo, looks_secret

SECRETS = ("abc123", "hunter2", "s3cr3t-value", "AKIAABCDEFGHIJKLMNOP", "hf_abcdefghijklmnopqrstu",
           "sk-proj-abcdef123456", "p4ssw0rd")

HOSTILE = {
    "env.env": "API_KEY=abc123\nDB_PASSWORD=hunter2\n",
    "export.env": "export API_KEY=abc123\nexport TOKEN='s3cr3t-value'\n",
    "colon.env": "API_KEY: abc123\nDB_PASSWORD: hunter2\n",
    "aws.ini": "[default]\naws_access_key_id = AKIAABCDEFGHIJKLMNOP\naws_secret_access_key = abc123\n",
    "json.json": '{"token": "hf_abcdefghijklmnopqrstu", "password": "hunter2"}',
    "list.yaml": "- abc123\n- hunter2\n",
    "one.txt": "abc123",
    "tabbed.env": "API_KEY\tabc123\n",
    "netrc": "machine example.org login me password hunter2\n",
    "dup.env": "API_KEY: abc123\nAPI_KEY: hunter2\n",
    "tagged.env": "API_KEY: !vault abc123\nPASSWORD: !!int hunter2\n",
    "unquoted.yaml": 'A: "abc123\nB: hunter2\n',
    # shaped like a catalog, with secrets where values go
    "catalog-shaped.yaml": "schema_version: 1\nmodels: API_KEY=abc123\n",
    "models-list.yaml": "schema_version: 1\nmodels:\n  - API_KEY=abc123\n  - hf_abcdefghijklmnopqrstu\n",
    "fields.yaml": ("schema_version: 1\nmodels:\n  - id: x\n    name: x\n    vendor: v\n    kind: llm\n"
                    "    access: API_KEY=abc123\n    params: sk-proj-abcdef123456\n"
                    "    license: {value: p4ssw0rd, source: AKIAABCDEFGHIJKLMNOP}\n"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("how", ["rank", "validate", "rubric", "workload", "sensitivity", "vram", "gpus", "shortlist"])
def test_a_secrets_file_named_as_an_input_is_never_echoed(cli, write, name, how):
    path = write(name, HOSTILE[name])
    args = {
        "rank": ["rank", path],
        "validate": ["validate", path],
        "rubric": ["rank", "--rubric", path],
        "workload": ["rank", "--workload", path],
        "sensitivity": ["sensitivity", path, "--draws", "10"],
        "vram": ["vram", "some-model", "--catalog", path],
        "gpus": ["vram", "70B", "--gpus-file", path],
        "shortlist": ["gate", path],
    }[how]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert name in result.stderr  # the file is named …
    assert "Traceback" not in result.output
    for secret in SECRETS:  # … its contents are not
        assert secret not in result.output, (secret, result.output)


def test_a_foreign_mapping_is_refused_as_a_whole(cli, write):
    path = write("secrets.yaml", "API_KEY: abc123\nDB_PASSWORD: hunter2\n")
    result = cli("rank", path)
    assert result.exit_code == 2
    assert f"{path}:1:1" in result.stderr and "not a catalog" in result.stderr
    assert "API_KEY" not in result.stderr and "DB_PASSWORD" not in result.stderr


def test_values_of_a_real_catalog_are_still_quoted(cli, write):
    # the fix must not take away the helpful "(got 'lm')" of a typo in a real catalog
    path = write("cat.yaml", "schema_version: 1\nmodels:\n  - {id: x, name: X, vendor: V, kind: lm, access: api}\n"
                             "  - {id: y, name: Y, vendor: V, kind: llm, access: API_KEY=abc123}\n")
    result = cli("rank", path)
    assert result.exit_code == 2
    assert "(got 'lm')" in result.stderr and f"{path}:4:" in result.stderr
    assert "abc123" not in result.stderr


@pytest.mark.parametrize("value", ["API_KEY=abc123", "export X=1", "hf_abcdefghijkl", "sk-abcdef123456",
                                   "ghp_1234567890abcdefABCDEF", "https://user:pw@example.org/x",
                                   "eyJhbGciOiJIUzI1NiJ9", "4f3c2a9b8e7d6c5b4a39281706f5e4d3",
                                   "-----BEGIN PRIVATE KEY-----", "AKIAABCDEFGHIJKLMNOP"])
def test_secret_looking_values_are_not_echoed(value):
    assert looks_secret(value) and echo(value) is None


@pytest.mark.parametrize("value", ["lm", "82", "yes", "llama-3.3-70b-instruct", "Qwen2.5-32B-Instruct",
                                   "Meta-Llama-3.1-8B-Instruct-Turbo", "open-weights", "https://example.org/?a=b",
                                   "2026-11-23", "apache-2.0"])
def test_ordinary_values_are_echoed(value):
    assert not looks_secret(value) and echo(value) == repr(value)


def test_long_or_unprintable_values_are_not_echoed():
    assert echo("x" * 60) is None and echo("a\x1b[2Jb") is None and echo(12) == "12"
