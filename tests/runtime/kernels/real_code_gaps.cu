// Constructs found missing when running real CUDA (HeCBench) on the CPU runtime: cg::sync, half2
// comparisons, SIMD video intrinsics, a user-defined float atomicMin (CUDA has none), enum parameters.
#include <cooperative_groups.h>
#include <cuda_fp16.h>
namespace cg = cooperative_groups;
typedef enum { A = 0, B = 1 } Mode;
__device__ float atomicMin(float* a, float v) { float o = *a; *a = fminf(o, v); return o; }
__global__ void k(float* p, unsigned* q, Mode m, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  cg::sync(cg::this_thread_block());
  __half2 a = __floats2half2_rn(1.0f, 2.0f), b = __floats2half2_rn(1.5f, 1.5f);
  __half2 g = __hgt2(a, b);
  if (i < n) { p[i] = __high2float(g) + (float)m; q[i] = __vmaxs4(0x01FF7F80u, 0x02000081u); }
}
