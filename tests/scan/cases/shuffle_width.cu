// CPH005: shuffles that assume 32 lanes: explicit width 32, or a reduction starting at offset 16.
#define WARP 32  // EXPECT: CPH001
__device__ float warp_sum(float v) {
  for (int offset = 16; offset > 0; offset /= 2)
    v += __shfl_down_sync(__activemask(), v, offset);  // EXPECT: CPH005
  return v;
}

__device__ float warp_max(float v) {
  for (int o = WARP / 2; o > 0; o >>= 1)
    v = fmaxf(v, __shfl_xor_sync(__activemask(), v, o));  // EXPECT: CPH005
  return v;
}

__device__ float unrolled(float v) {
  v += __shfl_down_sync(__activemask(), v, 16);  // EXPECT: CPH005
  v += __shfl_down_sync(__activemask(), v, 8);
  return v;
}

__device__ float portable(float v) {
  for (int o = warpSize / 2; o > 0; o /= 2)
    v += __shfl_down_sync(__activemask(), v, o);
  v = __shfl_sync(__activemask(), v, 0, 32);  // EXPECT: CPH005
  v = __shfl_sync(__activemask(), v, 0, 16);
  return v;
}
