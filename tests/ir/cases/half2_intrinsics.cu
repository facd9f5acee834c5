// Half and half2 intrinsics are MathCall rows with vector types: __half2 is a 2-lane vector of
// f16, __half22float2 returns float2; the bfloat16 overloads of __hadd2/__hmax follow the argument.
#include <cuda_fp16.h>
#include <cuda_bf16.h>

__global__ void half2_ops(const __half2* x, const __half2* y, __half2* out, float* f, int n2) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n2) {
    float2 fx = __half22float2(x[i]);
    half2 s = __hadd2(x[i], __float2half2_rn(1.0f));
    __half2 p = __hfma2(__hmul2(s, y[i]), x[i], __halves2half2(__low2half(s), __high2half(s)));
    f[i] = __low2float(p) + __high2float(p) + fx.y;
    out[i] = __floats2half2_rn(fx.x * 2.0f, fx.y);
    out[i + 1] = __hgt2(s, p);
    out[i + 2] = s * p + x[i] - y[i] / s;  // cuda_fp16.h's operators are the lane-wise intrinsics
  }
}

__global__ void bf16_ops(const __nv_bfloat162* x, __nv_bfloat16* y, __half* h) {
  __nv_bfloat162 v = __hmax2(x[0], x[1]);
  y[0] = __hadd(__low2bfloat16(v), __high2bfloat16(v));
  y[1] = __hmax(y[0], __float2bfloat16_rn(0.5f));
  h[0] = __hneg(__habs(h[1]));
}

/* EXPECT-IR
__global__ void half2_ops(const __half2* x, const __half2* y, __half2* out, float* f, int n2) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n2) {
    float2 fx = __half22float2(x[i]);
    half2 s = __hadd2(x[i], __float2half2_rn(1.0f));
    __half2 p = __hfma2(__hmul2(s, y[i]), x[i], __halves2half2(__low2half(s), __high2half(s)));
    f[i] = __low2float(p) + __high2float(p) + fx.y;
    out[i] = __floats2half2_rn(fx.x * 2.0f, fx.y);
    out[i + 1] = __hgt2(s, p);
    out[i + 2] = __hsub2(__hadd2(__hmul2(s, p), x[i]), __h2div(y[i], s));
  }
}

__global__ void bf16_ops(const __nv_bfloat162* x, __nv_bfloat16* y, __half* h) {
  __nv_bfloat162 v = __hmax2(x[0], x[1]);
  y[0] = __hadd(__low2bfloat16(v), __high2bfloat16(v));
  y[1] = __hmax(y[0], __float2bfloat16_rn(0.5f));
  h[0] = __hneg(__habs(h[1]));
}
*/
