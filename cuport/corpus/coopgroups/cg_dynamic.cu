// Cooperative groups with a runtime-sized tile: every element minus the max of its 8-thread tile,
// through shared scratch and tile.sync().
// Exercises: cg::tiled_partition(block, 8) held as a cg::thread_group (the generic group type),
// thread_rank/size on a group whose size is only known at run time, group syncs.
#include <cooperative_groups.h>

namespace cg = cooperative_groups;

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
