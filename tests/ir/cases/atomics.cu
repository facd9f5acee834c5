// Atomics return the old value; the value converts to the pointee type.
__global__ void hist(const int* keys, unsigned int* bins, float* sum, int* flag, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    atomicAdd(&bins[keys[i] & 15], 1);
    atomicAdd(sum, 0.5f);
    int old = atomicCAS(flag, 0, i);
    atomicMax(flag + 1, old);
    atomicExch(flag + 2, 7);
    atomicAdd_block(&bins[0], 1u);
    atomicInc(&bins[1], 100u);
    atomicOr(flag + 3, 1 << (i & 7));
  }
}

/* EXPECT-IR
__global__ void hist(const int* keys, unsigned int* bins, float* sum, int* flag, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n) {
    atomicAdd(&bins[keys[i] & 15], (unsigned int)1);
    atomicAdd(sum, 0.5f);
    int old = atomicCAS(flag, 0, i);
    atomicMax(flag + 1, old);
    atomicExch(flag + 2, 7);
    atomicAdd_block(&bins[0], 1u);
    atomicInc(&bins[1], 100u);
    atomicOr(flag + 3, 1 << (i & 7));
  }
}
*/
