// Cooperative groups with a static tile: a per-block sum where each 16-thread tile reduces with
// tile.shfl_down, tile leaders store to shared memory, block.sync(), then thread 0 adds the tile sums.
// Exercises: cg::this_thread_block, cg::tiled_partition<16>, thread_block_tile shuffles,
// thread_rank/meta_group_rank, block.sync().
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
