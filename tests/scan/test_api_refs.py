"""API references: counted by source name from identifiers, never from comments or strings."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

from cuport.parse.cst import parse_cst
from cuport.source import SourceText
from cuport.translate.api_refs import SUPPORT_LEVELS, api_table, classify, find_api_refs
from cuport.translate.hazards_index import build_index

CODE = """\
#include <cub/cub.cuh>
#define CHECK(x) do { cudaError_t e = (x); if (e != cudaSuccess) puts("cudaFree"); } while (0)
namespace cg = cooperative_groups;
void cudaMyHelper();
__global__ void k(float *a) {
  __shared__ typename cub::BlockReduce<float, 256>::TempStorage tmp;
  auto b = cg::this_thread_block();
  __syncthreads();
}
int main() {
  float *d; cudaStream_t s;
  CHECK(cudaMalloc(&d, 4)); // cudaMemcpy(d, d, 4, cudaMemcpyDefault);
  const char *msg = "cudaMemset";
  cudaFooBar(d);
  cudaMyHelper();
  thrust::sort(thrust::device, d, d + 1);
  cublasHandle_t h; cublasCreate(&h);
}
"""


def refs() -> list:
    source = SourceText.from_text("t.cu", CODE)
    return find_api_refs(source, build_index(source.data, parse_cst(source)))


def test_counts_by_source_name_with_location() -> None:
    names = [(r.name, r.line) for r in refs()]
    assert ("cudaMalloc", 12) in names
    assert ("cudaError_t", 2) in names and ("cudaSuccess", 2) in names  # inside a macro body
    assert ("cub::BlockReduce", 6) in names
    assert ("cooperative_groups::this_thread_block", 7) in names  # through the namespace alias
    assert ("thrust::sort", 16) in names and ("thrust::device", 16) in names
    malloc = next(r for r in refs() if r.name == "cudaMalloc")
    assert (malloc.line, malloc.col, malloc.category, malloc.hip) == (12, 9, "runtime", "hipMalloc")


def test_comments_and_strings_are_not_counted() -> None:
    names = {r.name for r in refs()}
    assert "cudaMemcpy" not in names and "cudaMemset" not in names and "cudaFree" not in names
    assert "cudaMemcpyDefault" not in names


def test_unknown_names_counted_by_prefix_unless_defined_here() -> None:
    by_name = {r.name: r for r in refs()}
    assert by_name["cudaFooBar"].known is False and by_name["cudaFooBar"].category == "runtime"
    assert "cudaMyHelper" not in by_name  # declared in this file: not an API


def test_identity_mappings_are_not_conversions() -> None:
    by_name = {r.name: r for r in refs()}
    assert by_name["__syncthreads"].is_conversion is False
    assert by_name["thrust::sort"].is_conversion is False
    assert by_name["cublasCreate"].is_conversion is True


def test_classify() -> None:
    assert classify("cufftExecC2C")[1] == "cufft"
    assert classify("cusparseSomethingNew") == (None, "cusparse")
    assert classify("nvtxDomainCreateA") == (None, "nvtx")
    assert classify("my_function") == (None, None)


def test_tables_are_well_formed() -> None:
    tables = resources.files("cuport.translate").joinpath("tables")
    seen: dict[str, str] = {}
    for item in tables.iterdir():
        if not item.name.startswith("api_") or item.name == "api_prefixes.toml":
            continue
        raw = tomllib.loads(item.read_text("utf-8"))
        for row in raw["api"]:
            assert row["support"] in SUPPORT_LEVELS, row
            assert row["cuda"] not in seen, f"{row['cuda']} in {item.name} and {seen.get(row['cuda'])}"
            seen[row["cuda"]] = item.name
            assert ("hip" in row) == (row["support"] != "none"), row
    assert len(api_table()) == len(seen) >= 900
    categories = {e.category for e in api_table().values()}
    assert categories >= {"runtime", "driver", "cublas", "cufft", "curand", "cusparse", "cusolver", "cub",
                          "thrust", "cooperative-groups", "device", "cucomplex", "nccl", "nvtx"}
    prefixes = tomllib.loads(tables.joinpath("api_prefixes.toml").read_text("utf-8"))["prefix"]
    for row in prefixes:
        re.compile(row["pattern"])
