// atomicAdd has __half2 and __nv_bfloat162 overloads: an Atomic whose type is the 2-lane vector.
// Other atomics on a pair are refused.
#include <cuda_fp16.h>
#include <cuda_bf16.h>

__global__ void pair_sums(__half* out, __nv_bfloat16* bout, const float* x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    __half2* pairs = reinterpret_cast<__half2*>(out);
    half2 old = atomicAdd(&pairs[i % 4], __floats2half2_rn(x[i], 1.0f));
    __nv_bfloat162* bpairs = reinterpret_cast<__nv_bfloat162*>(bout);
    atomicAdd(bpairs + i % 4, __floats2bfloat162_rn(__low2float(old), x[i]));
  }
}

__global__ void pair_exchange(__half2* out, __half2 v) {
  atomicExch(out, v);
}

/* EXPECT-IR
__global__ void pair_sums(__half* out, __nv_bfloat16* bout, const float* x, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n) {
    __half2* pairs = reinterpret_cast<__half2*>(out);
    half2 old = atomicAdd(&pairs[i % 4], __floats2half2_rn(x[i], 1.0f));
    __nv_bfloat162* bpairs = reinterpret_cast<__nv_bfloat162*>(bout);
    atomicAdd(bpairs + i % 4, __floats2bfloat162_rn(__low2float(old), x[i]));
  }
}

// FAILED pair_exchange
half2_atomics.cu:17:14: error[CL001]: cannot lower 'atomicExch' on __half2: not supported
      atomicExch(out, v);
                 ^
*/
