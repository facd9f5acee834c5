// Cooperative groups as compile-time bindings: thread_block methods become thread-index arithmetic
// and __syncthreads, tiles become masked shuffles/votes over their lanes (width = tile size),
// cg::reduce an xor butterfly into a fresh local, group parameters leave the signature.
__device__ float warp_sum(cg::thread_block_tile<32> warp, float v) {
  return cg::reduce(warp, v, cg::plus<float>());
}
__global__ void cg_tile_reduce(const float *x, float *partial, int n)
{
    __shared__ float tile_sums[128 / 16];
    cg::thread_block block = cg::this_thread_block();
    cg::thread_block_tile<16> tile = cg::tiled_partition<16>(block);
    auto warp = cg::tiled_partition<32>(block);
    int i = blockIdx.x * 128 + block.thread_rank();
    float v = i < n ? x[i] : 0.0f;
    for (int off = 16 / 2; off > 0; off >>= 1)
        v += tile.shfl_down(v, off);
    if (tile.thread_rank() == 0)
        tile_sums[tile.meta_group_rank()] = v;
    block.sync();
    float w = cg::reduce(warp, v, cg::plus<float>{}) + warp_sum(warp, v);
    unsigned b = tile.ballot(v > 0.0f);
    cg::sync(block);
    int some = tile.any(b);
    if (block.thread_rank() == 0 && some) partial[blockIdx.x] = w;
}
__global__ void lazy_vote(float* x, int n) {
  auto tile = cg::tiled_partition<8>(cg::this_thread_block());
  if (n > 3 && tile.all(x[0] > 0.0f)) x[1] = 0.0f;
}
__global__ void dyn(float* x, int n) {
  cg::thread_group g = cg::tiled_partition(cg::this_thread_block(), n / 2);
  x[g.thread_rank()] = (float)g.size();
  g.sync();
}

/* EXPECT-IR
__device__ float warp_sum(float v) {
  float cg_reduce_1 = v;
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 16);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 8);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 4);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 2);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 1);
  return cg_reduce_1;
}

__global__ void cg_tile_reduce(const float* x, float* partial, int n) {
  __shared__ float tile_sums[8];
  int i = (int)(blockIdx.x * (unsigned int)128 + (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)));
  float v = i < n ? x[i] : 0.0f;
  for (int off = 8; off > 0; off >>= 1) {
    v += __shfl_down_sync(65535u << (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 32u / 16u * 16u, v, (unsigned int)off, (int)16u);
  }
  if ((threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 16u == (unsigned int)0) {
    tile_sums[(threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) / 16u] = v;
  }
  __syncthreads();
  float cg_reduce_1 = v;
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 16);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 8);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 4);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 2);
  cg_reduce_1 = cg_reduce_1 + __shfl_xor_sync(4294967295u, cg_reduce_1, 1);
  float w = cg_reduce_1 + warp_sum(v);
  unsigned int b = __ballot_sync(65535u << (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 32u / 16u * 16u, (int)(v > 0.0f)) >> (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 32u / 16u * 16u;
  __syncthreads();
  int some = __any_sync(65535u << (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 32u / 16u * 16u, (int)b);
  if (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y) == (unsigned int)0 && (bool)some) {
    partial[blockIdx.x] = w;
  }
}

__global__ void dyn(float* x, int n) {
  const unsigned int g_size = (unsigned int)(n / 2);
  x[(threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % g_size] = (float)g_size;
  __syncwarp(g_size >= 32u ? 4294967295u : (1u << g_size) - 1u << (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 32u / g_size * g_size);
}

// FAILED lazy_vote
cooperative_groups.cu:28:16: error[CL001]: cannot lower all() in a lazily evaluated operand of '&&', '||' or '?:': every lane must reach it
      if (n > 3 && tile.all(x[0] > 0.0f)) x[1] = 0.0f;
                   ^
*/
