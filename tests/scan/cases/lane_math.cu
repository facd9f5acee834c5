// CPH003: lane and warp ids computed for 32-wide warps from a thread index.
__device__ int lane_of(int tid) {
  return tid & 31;  // EXPECT: CPH003
}

__global__ void k(int *out, int n) {
  int lane = threadIdx.x & 31;  // EXPECT: CPH003
  int warp = threadIdx.x >> 5;  // EXPECT: CPH003
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  int w2 = t / 32;  // EXPECT: CPH003
  int l2 = t % 32;  // EXPECT: CPH003
  int l3 = (threadIdx.x) & 0x1f;  // EXPECT: CPH003
  // not thread-index math: sizes, portable widths
  int chunks = n / 32;
  int rest = n % 32;
  int ok_lane = threadIdx.x % warpSize;
  int ok_warp = threadIdx.x / warpSize;
  int shifted = t >> 4;
  out[t] = lane + warp + w2 + l2 + l3 + chunks + rest + ok_lane + ok_warp + shifted;
}
