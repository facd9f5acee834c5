// cub::BlockLoad / BlockStore: item j of thread r is element r*ITEMS + j for the blocked algorithms
// (DIRECT, VECTORIZE, TRANSPOSE, WARP_TRANSPOSE all end blocked) and j*N + r for STRIPED; guarded
// forms touch elements below `valid` only, and a default fills every item first, as CUB does.
using namespace cub;
template <int N, int ITEMS>
__global__ void copy_tile(const float* in, float* out, int valid) {
  typedef BlockLoad<float, N, ITEMS, BLOCK_LOAD_WARP_TRANSPOSE> Load;
  typedef cub::BlockStore<float, N, ITEMS, cub::BLOCK_STORE_STRIPED> Store;
  __shared__ union {
    typename Load::TempStorage load;
    typename Store::TempStorage store;
  } temp;
  float items[ITEMS];
  Load(temp.load).Load(in + blockIdx.x * N * ITEMS, items, valid, -1.0f);
  __syncthreads();
  Store(temp.store).Store(out + blockIdx.x * N * ITEMS, items);
}
// TEMPLATE: copy_tile N=64 ITEMS=2

/* EXPECT-IR
template <int N = 64, int ITEMS = 2>
__global__ void copy_tile(const float* in, float* out, int valid) {
  __shared__ float temp_load_1[1];
  __shared__ float temp_store_2[1];
  float items[2];
  const float* const cub_src_3 = in + blockIdx.x * (unsigned int)64 * (unsigned int)2;
  for (unsigned int cub_item_4 = 0u; cub_item_4 < 2u; cub_item_4 += 1u) {
    items[cub_item_4] = -1.0f;
  }
  const unsigned int cub_rank_5 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  for (unsigned int cub_item_6 = 0u; cub_item_6 < 2u; cub_item_6 += 1u) {
    if ((int)(cub_rank_5 * 2u + cub_item_6) < valid) {
      items[cub_item_6] = cub_src_3[cub_rank_5 * 2u + cub_item_6];
    }
  }
  __syncthreads();
  float* const cub_dst_7 = out + blockIdx.x * (unsigned int)64 * (unsigned int)2;
  const unsigned int cub_rank_8 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  for (unsigned int cub_item_9 = 0u; cub_item_9 < 2u; cub_item_9 += 1u) {
    cub_dst_7[cub_item_9 * 64u + cub_rank_8] = items[cub_item_9];
  }
}
*/
