// Inline suppressions: on the flagged line or on the line above; by id, by list, or all.
__global__ void k(float *out, float v) {
  v += __shfl_down_sync(0xffffffff, v, 1);  // cuport: ignore[CPH002]
  // cuport: ignore[CPH002]
  v += __shfl_down_sync(0xffffffff, v, 2);
  v += __shfl_down_sync(0xffffffff, v, 16);  // cuport: ignore[CPH002, CPH005]
  v += __shfl_down_sync(0xffffffff, v, 16);  // cuport: ignore
  v += __shfl_down_sync(0xffffffff, v, 16);  /* cuport: ignore[CPH005] */  // EXPECT: CPH002
  v += __shfl_down_sync(0xffffffff, v, 4);  // cuport: ignore[CPH003]  EXPECT: CPH002
  out[threadIdx.x] = v;
}
