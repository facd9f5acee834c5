// cub::BlockScan: each thread sums its items, a Hillis-Steele scan over one shared slot per thread
// gives the exclusive prefix (0 for thread 0, CUB's ExclusiveSum), and the items are scanned from it
// in order (input read before output is written: they may be one array). 2-D block: 32 x 4 threads.
__global__ void scan_items(const int* in, int* out, int* total) {
  typedef cub::BlockScan<int, 32, cub::BLOCK_SCAN_RAKING, 4> Scan;
  __shared__ typename Scan::TempStorage temp;
  int data[4];
  for (int i = 0; i < 4; ++i) data[i] = in[threadIdx.x * 4 + i];
  int aggregate;
  Scan(temp).ExclusiveSum(data, data, aggregate);
  for (int i = 0; i < 4; ++i) out[threadIdx.x * 4 + i] = data[i];
  if (threadIdx.x == 0) total[0] = aggregate;
}
__global__ void scan_one(const float* in, float* out) {
  using Scan = cub::BlockScan<float, 64>;
  __shared__ Scan::TempStorage temp;
  float v;
  Scan(temp).InclusiveSum(in[threadIdx.x], v);
  out[threadIdx.x] = v;
}

/* EXPECT-IR
__global__ void scan_items(const int* in, int* out, int* total) {
  __shared__ int temp[128];
  int data[4];
  for (int i = 0; i < 4; i += 1) {
    data[i] = in[threadIdx.x * (unsigned int)4 + (unsigned int)i];
  }
  int aggregate;
  int cub_partial_1 = data[0u];
  for (unsigned int cub_item_2 = 1u; cub_item_2 < 4u; cub_item_2 += 1u) {
    cub_partial_1 = cub_partial_1 + data[cub_item_2];
  }
  const unsigned int cub_rank_3 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  temp[cub_rank_3] = cub_partial_1;
  __syncthreads();
  for (unsigned int cub_offset_4 = 1u; cub_offset_4 < 128u; cub_offset_4 <<= 1) {
    int cub_addend_5 = 0;
    if (cub_rank_3 >= cub_offset_4) {
      cub_addend_5 = temp[cub_rank_3 - cub_offset_4];
    }
    __syncthreads();
    if (cub_rank_3 >= cub_offset_4) {
      temp[cub_rank_3] = temp[cub_rank_3] + cub_addend_5;
    }
    __syncthreads();
  }
  int cub_prefix_6 = 0;
  if (cub_rank_3 > 0u) {
    cub_prefix_6 = temp[cub_rank_3 - 1u];
  }
  int cub_aggregate_7 = temp[127u];
  __syncthreads();
  for (unsigned int cub_item_8 = 0u; cub_item_8 < 4u; cub_item_8 += 1u) {
    int cub_value_9 = data[cub_item_8];
    data[cub_item_8] = cub_prefix_6;
    cub_prefix_6 = cub_prefix_6 + cub_value_9;
  }
  aggregate = cub_aggregate_7;
  for (int i = 0; i < 4; i += 1) {
    out[threadIdx.x * (unsigned int)4 + (unsigned int)i] = data[i];
  }
  if (threadIdx.x == (unsigned int)0) {
    total[0] = aggregate;
  }
}

__global__ void scan_one(const float* in, float* out) {
  __shared__ float temp[64];
  float v;
  const unsigned int cub_rank_1 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  temp[cub_rank_1] = in[threadIdx.x];
  __syncthreads();
  for (unsigned int cub_offset_2 = 1u; cub_offset_2 < 64u; cub_offset_2 <<= 1) {
    float cub_addend_3 = (float)0;
    if (cub_rank_1 >= cub_offset_2) {
      cub_addend_3 = temp[cub_rank_1 - cub_offset_2];
    }
    __syncthreads();
    if (cub_rank_1 >= cub_offset_2) {
      temp[cub_rank_1] = temp[cub_rank_1] + cub_addend_3;
    }
    __syncthreads();
  }
  float cub_prefix_4 = (float)0;
  if (cub_rank_1 > 0u) {
    cub_prefix_4 = temp[cub_rank_1 - 1u];
  }
  float cub_inclusive_5 = temp[cub_rank_1];
  __syncthreads();
  v = cub_inclusive_5;
  out[threadIdx.x] = v;
}
*/
