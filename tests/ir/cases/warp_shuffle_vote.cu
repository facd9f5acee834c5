// Warp shuffles (with and without width), votes and reductions; masks are unsigned.
__global__ void warp_ops(const float* in, float* out, unsigned int* ballots) {
  float v = in[threadIdx.x];
  for (int offset = 16; offset > 0; offset /= 2)
    v += __shfl_down_sync(0xffffffff, v, offset);
  float b = __shfl_sync(0xffffffff, v, 0);
  float h = __shfl_xor_sync(0xffffffff, v, 1, 16);
  float u = __shfl_up_sync(0xffffffff, v, 1, 8);
  unsigned int mask = __ballot_sync(0xffffffff, v > 0.0f);
  int all = __all_sync(mask, v > 1.0f);
  int any = __any_sync(mask, v < -1.0f);
  unsigned int active = __activemask();
  int lane = threadIdx.x % 32;
  int s = __reduce_add_sync(0xffffffff, lane);
  out[threadIdx.x] = b + h + u + all + any + s;
  ballots[threadIdx.x] = mask & active;
}

/* EXPECT-IR
__global__ void warp_ops(const float* in, float* out, unsigned int* ballots) {
  float v = in[threadIdx.x];
  for (int offset = 16; offset > 0; offset /= 2) {
    v += __shfl_down_sync(4294967295u, v, (unsigned int)offset);
  }
  float b = __shfl_sync(4294967295u, v, 0);
  float h = __shfl_xor_sync(4294967295u, v, 1, 16);
  float u = __shfl_up_sync(4294967295u, v, (unsigned int)1, 8);
  unsigned int mask = __ballot_sync(4294967295u, (int)(v > 0.0f));
  int all = __all_sync(mask, (int)(v > 1.0f));
  int any = __any_sync(mask, (int)(v < -1.0f));
  unsigned int active = __activemask();
  int lane = (int)(threadIdx.x % (unsigned int)32);
  int s = __reduce_add_sync(4294967295u, lane);
  out[threadIdx.x] = b + h + u + (float)all + (float)any + (float)s;
  ballots[threadIdx.x] = mask & active;
}
*/
