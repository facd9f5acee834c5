// Cooperative groups: thread blocks and tiles as objects instead of raw index math.
// cg_tile_reduce: per-block sum: each static 16-thread tile reduces with tile.shfl_down, tile
// leaders store to shared memory, block.sync(), then thread 0 adds the tile sums.
// cg_dynamic_tile: every element minus the max of its 8-thread tile, using a runtime-sized
// tiled_partition(block, 8), shared scratch and tile.sync().
// Exercises: cg::this_thread_block, cg::tiled_partition<16> and tiled_partition(group, 8),
// thread_rank/meta_group_rank, group syncs, tile shuffles.
#include <cooperative_groups.h>

namespace cg = cooperative_groups;

#define BLOCK 128
#define TILE 16

__global__ void cg_tile_reduce(const float *x, float *partial, int n)
{
    __shared__ float tile_sums[BLOCK / TILE];
    cg::thread_block block = cg::this_thread_block();
    cg::thread_block_tile<TILE> tile = cg::tiled_partition<TILE>(block);
    int i = blockIdx.x * BLOCK + block.thread_rank();
    float v = i < n ? x[i] : 0.0f;
    for (int off = TILE / 2; off > 0; off >>= 1)
        v += tile.shfl_down(v, off);
    if (tile.thread_rank() == 0)
        tile_sums[tile.meta_group_rank()] = v;
    block.sync();
    if (block.thread_rank() == 0) {
        float total = 0.0f;
        for (int t = 0; t < BLOCK / TILE; ++t)
            total += tile_sums[t];
        partial[blockIdx.x] = total;
    }
}

#define DYN_BLOCK 64

__global__ void cg_dynamic_tile(const float *x, float *y, int n)
{
    __shared__ float scratch[DYN_BLOCK];
    cg::thread_block block = cg::this_thread_block();
    cg::thread_group tile = cg::tiled_partition(block, 8);
    int r = block.thread_rank();
    int i = blockIdx.x * DYN_BLOCK + r;
    float v = i < n ? x[i] : -INFINITY;
    scratch[r] = v;
    tile.sync();
    int first = r - (int)tile.thread_rank();
    float m = scratch[first];
    for (int k = 1; k < (int)tile.size(); ++k)
        m = fmaxf(m, scratch[first + k]);
    if (i < n)
        y[i] = v - m;
}
