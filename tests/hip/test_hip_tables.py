"""The HIP tables as data: the generated support matrix matches them; rows are well-formed."""

from __future__ import annotations

import re

from cuport.targets.hip import aliases, matrix, tables


def test_support_matrix_is_generated_from_the_tables():
    assert matrix.DOC.read_text(encoding="utf-8") == matrix.matrix_markdown(), (
        "docs/hip_support_matrix.md drifted: run python -m cuport.targets.hip.matrix --write")


def test_header_rows_are_well_formed():
    for row in tables.headers().values():
        assert row.support in ("full", "partial", "none"), row
        assert (row.hip is None) == (row.support == "none"), row
        assert not row.cuda.startswith(("<", '"')), row


def test_every_renamed_identifier_is_a_c_identifier():
    ident = re.compile(r"^[A-Za-z_]\w*$")
    for row in tables.identifiers().values():
        if row.hip and row.hip != row.cuda and "::" not in row.hip:
            assert ident.match(row.hip), row


def test_alias_layer_maps_each_hip_name_back_to_a_cuda_name():
    lines = "\n".join(aliases.alias_lines())
    assert "#define hipMalloc cudaMalloc" in lines
    assert "#define hipMemcpyHostToDevice cudaMemcpyHostToDevice" in lines
    files = aliases.header_files()
    assert "#include <cuda_runtime.h>" in files["hip/hip_runtime.h"]
