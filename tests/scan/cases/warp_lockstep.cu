// CPH007: warp-synchronous reductions that rely on implicit lock-step (undefined since Volta).
__device__ void warp_reduce(volatile float *s, int tid) {  // EXPECT: CPH007
  s[tid] += s[tid + 32];
  s[tid] += s[tid + 16];
  s[tid] += s[tid + 8];
}

__global__ void reduce(float *out, const float *in) {
  __shared__ float sdata[256];
  unsigned tid = threadIdx.x;
  sdata[tid] = in[tid];
  __syncthreads();
  if (tid < 32) {  // EXPECT: CPH007
    sdata[tid] += sdata[tid + 32];
    sdata[tid] += sdata[tid + 16];
  }
  if (tid == 0) out[blockIdx.x] = sdata[0];
}

__device__ void safe_reduce(volatile float *s, int tid) {
  s[tid] += s[tid + 32]; __syncwarp();
  s[tid] += s[tid + 16]; __syncwarp();
}

__global__ void synced(float *out, const float *in) {
  __shared__ float sdata[256];
  unsigned tid = threadIdx.x;
  sdata[tid] = in[tid];
  __syncthreads();
  if (tid < 32) {
    sdata[tid] += sdata[tid + 32]; __syncwarp();
    sdata[tid] += sdata[tid + 16]; __syncwarp();
  }
  out[0] = sdata[0];
}
