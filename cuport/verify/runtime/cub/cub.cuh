// CUB shim for the cuport CPU runtime: the block and warp collectives cuport models (the same set
// its IR lowering knows, cuport/parse/lower_cub*.py). Device-wide algorithms (cub::Device*) are not
// provided: a program using them does not compile here, and says so.
#pragma once
#include "block/block_reduce.cuh"
#include "block/block_scan.cuh"
#include "block/block_load.cuh"
#include "block/block_store.cuh"
#include "warp/warp_reduce.cuh"
#include "warp/warp_scan.cuh"
