// CPH006: shared arrays with one slot per 32-wide warp.
#define BLOCK 256
#define WARP_SIZE 32  // EXPECT: CPH001
__global__ void k(float *out, float v) {
  __shared__ float partial[32];  // EXPECT: CPH006
  __shared__ float per_warp[BLOCK / 32];  // EXPECT: CPH006
  __shared__ float per_warp2[BLOCK >> 5];  // EXPECT: CPH006
  __shared__ float lanes[WARP_SIZE];  // EXPECT: CPH006
  __shared__ float tile[32][33];
  __shared__ float plain[BLOCK];
  int wid = threadIdx.x / warpSize;
  partial[wid] = v;
  tile[threadIdx.y][threadIdx.x] = v;
  plain[threadIdx.x] = per_warp[0] + per_warp2[0] + lanes[0];
  out[0] = partial[0] + tile[0][0] + plain[0];
}
