// CPH008-CPH016: inline PTX, __CUDA_ARCH__, textures, cooperative groups, dynamic parallelism,
// float atomics and fast-math intrinsics.
#include <cooperative_groups.h>  // EXPECT: CPH013
namespace cg = cooperative_groups;
texture<float, 1, cudaReadModeElementType> tex_ref;  // EXPECT: CPH010

__global__ void child(float *p) { p[threadIdx.x] = 0; }

__global__ void parent(float *p, double *d, int *counts, cudaTextureObject_t obj) {
#if __CUDA_ARCH__ >= 700  // EXPECT: CPH009
  p[0] = 1;
#endif
  unsigned lane;
  asm volatile("mov.u32 %0, %%laneid;" : "=r"(lane));  // EXPECT: CPH008
  child<<<1, 32>>>(p);  // EXPECT: CPH014
  cg::grid_group grid = cg::this_grid();  // EXPECT: CPH012
  grid.sync();  // EXPECT: CPH012
  auto tile = cg::tiled_partition<32>(cg::this_thread_block());  // EXPECT: CPH013
  atomicAdd(&p[1], 1.0f);  // EXPECT: CPH015
  atomicAdd(d, 2.0);  // EXPECT: CPH015
  atomicAdd(&counts[0], 1);
  float x = tex1Dfetch<float>(obj, 3);  // EXPECT: CPH011
  p[2] = __expf(x) + __fdividef(x, 3.0f);  // EXPECT: CPH016
  p[3] = __float2int_rz(x) + expf(x);  // EXPECT: CPH016
  p[4] = tile.thread_rank() + lane;
}

void host(float *p) {
  child<<<1, 32>>>(p);
}
