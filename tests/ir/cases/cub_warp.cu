// cub::WarpReduce and cub::WarpScan as shuffles over the logical warp (lane = linear rank % W):
// the reduction is valid in lane 0 (CUB's promise), ExclusiveSum gives 0 in lane 0, and the
// aggregate is lane W-1's inclusive sum, broadcast.
__global__ void warp_ops(const float* in, float* out, int* offsets, int* totals) {
  typedef cub::WarpReduce<float> WarpReduce;
  typedef cub::WarpScan<int, 16> WarpScan;
  __shared__ typename WarpReduce::TempStorage reduce_temp[4];
  __shared__ typename WarpScan::TempStorage scan_temp[8];
  int warp = threadIdx.x / 32;
  float biggest = WarpReduce(reduce_temp[warp]).Reduce(in[threadIdx.x], cub::Max());
  float partial = WarpReduce(reduce_temp[warp]).Sum(in[threadIdx.x], 20);
  if (threadIdx.x % 32 == 0) out[warp] = biggest + partial;
  int count = (int)in[threadIdx.x];
  int offset, total;
  WarpScan(scan_temp[threadIdx.x / 16]).ExclusiveSum(count, offset, total);
  offsets[threadIdx.x] = offset;
  totals[threadIdx.x] = total;
}

/* EXPECT-IR
__global__ void warp_ops(const float* in, float* out, int* offsets, int* totals) {
  __shared__ float reduce_temp[4][1];
  __shared__ int scan_temp[8][1];
  int warp = (int)(threadIdx.x / (unsigned int)32);
  const unsigned int cub_lane_1 = (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 32u;
  float cub_warp_2 = in[threadIdx.x];
  for (unsigned int cub_offset_3 = 16u; cub_offset_3 > 0u; cub_offset_3 >>= 1) {
    float cub_other_4 = __shfl_down_sync(4294967295u, cub_warp_2, cub_offset_3, 32);
    if (cub_lane_1 + cub_offset_3 < 32u) {
      cub_warp_2 = cub_warp_2 < cub_other_4 ? cub_other_4 : cub_warp_2;
    }
  }
  float biggest = cub_warp_2;
  const unsigned int cub_lane_5 = (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 32u;
  float cub_warp_6 = in[threadIdx.x];
  for (unsigned int cub_offset_7 = 16u; cub_offset_7 > 0u; cub_offset_7 >>= 1) {
    float cub_other_8 = __shfl_down_sync(4294967295u, cub_warp_6, cub_offset_7, 32);
    if (cub_lane_5 + cub_offset_7 < (unsigned int)20) {
      cub_warp_6 = cub_warp_6 + cub_other_8;
    }
  }
  float partial = cub_warp_6;
  if (threadIdx.x % (unsigned int)32 == (unsigned int)0) {
    out[warp] = biggest + partial;
  }
  int count = (int)in[threadIdx.x];
  int offset;
  int total;
  const unsigned int cub_lane_9 = (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)) % 16u;
  int cub_warp_10 = count;
  for (unsigned int cub_offset_11 = 1u; cub_offset_11 < 16u; cub_offset_11 <<= 1) {
    int cub_other_12 = __shfl_up_sync(4294967295u, cub_warp_10, cub_offset_11, 16);
    if (cub_lane_9 >= cub_offset_11) {
      cub_warp_10 = cub_warp_10 + cub_other_12;
    }
  }
  int cub_exclusive_14 = __shfl_up_sync(4294967295u, cub_warp_10, 1u, 16);
  if (cub_lane_9 == 0u) {
    cub_exclusive_14 = 0;
  }
  int cub_aggregate_16 = __shfl_sync(4294967295u, cub_warp_10, 15, 16);
  offset = cub_exclusive_14;
  total = cub_aggregate_16;
  offsets[threadIdx.x] = offset;
  totals[threadIdx.x] = total;
}
*/
