// Many threads add small integers into a few __half2 slots (sums stay exact in half precision, so
// the result does not depend on the order); each thread also keeps the pair it replaced.
#include <cuda_fp16.h>
__global__ void pair_sums(__half2* slots, const float* x, float* seen, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    __half2 old = atomicAdd(&slots[i % 4], __floats2half2_rn(x[i], 2.0f * x[i]));
    seen[i] = __low2float(old) + __high2float(old);
  }
}
