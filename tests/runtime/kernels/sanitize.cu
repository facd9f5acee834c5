// Kernels for the sanitizer build (-fsanitize=address,bounds): each runs across barriers and
// shuffles, so its threads live on pooled fiber stacks when the fault happens.

// In bounds everywhere: a clean run under ASan (the fiber stack annotations must not report
// false positives when threads switch stacks).
__global__ void clean(const int* in, int* out) {
  __shared__ int s[64];
  int local[8];
  for (int k = 0; k < 8; ++k) local[k] = in[blockIdx.x * blockDim.x + threadIdx.x] + k;
  s[threadIdx.x] = local[threadIdx.x % 8];
  __syncthreads();
  int v = s[(threadIdx.x + 1) % blockDim.x];
  v += __shfl_down_sync(0xffffffff, v, 1);
  __syncthreads();
  out[blockIdx.x * blockDim.x + threadIdx.x] = v + local[7];
}

// Writes one element past a __shared__ array (the last thread, after a barrier).
__global__ void shared_past_end(int* out) {
  __shared__ int s[64];
  s[threadIdx.x] = threadIdx.x;
  __syncthreads();
  s[threadIdx.x + 1] = 0;  // FAULT_SHARED
  __syncthreads();
  out[threadIdx.x] = s[threadIdx.x];
}

// Writes past a local array that lives on a fiber stack.
__global__ void local_past_end(const int* idx, int* out) {
  int local[4] = {0, 1, 2, 3};
  __syncthreads();
  local[idx[threadIdx.x]] = 7;  // FAULT_LOCAL
  __syncthreads();
  out[threadIdx.x] = local[threadIdx.x % 4];
}
