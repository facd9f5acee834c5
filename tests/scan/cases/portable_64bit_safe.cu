// Negative case: code written for any warp width. Nothing here may be flagged.
#include <cstdint>
#define BLOCK 256

__device__ float warp_sum(float v) {
  for (int o = warpSize / 2; o > 0; o /= 2) v += __shfl_down_sync(__activemask(), v, o);
  return v;
}

__global__ void reduce(float *out, const float *in, int n) {
  __shared__ float partial[BLOCK];
  int lane = threadIdx.x % warpSize;
  int warp = threadIdx.x / warpSize;
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  float v = i < n ? in[i] : 0.0f;
  v = warp_sum(v);
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  unsigned long long ballot = __ballot_sync(~0ull, v > 0);
  int positive = __popcll(ballot);
  uint64_t mask = 0xffffffffffffffffull;
  v += __shfl_sync(mask, v, 0);
  int chunks = n / 32;
  if (threadIdx.x == 0) out[blockIdx.x] = partial[0] + positive + chunks;
}
