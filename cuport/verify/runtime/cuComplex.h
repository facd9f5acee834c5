/* cuport: the single-precision and double-precision complex helpers of CUDA's cuComplex.h, for the
 * CPU runtime and (through parse/stub_include/cuComplex.h) for the lowering, which reads these
 * definitions like any __device__ function of the user's file.
 *
 * A complex number is float2 / double2 (x: real part, y: imaginary part), as in CUDA. Division and
 * absolute value use CUDA's documented scaled formulas, operation for operation, so results match
 * the CUDA library's bit for bit (no fused multiply-add is written; CUDA's own cuCfma is the only
 * helper spelled with one, and it is left out here rather than approximated).
 * The vector types and math functions come from the includer (cuda_runtime.h).
 */
#ifndef CUPORT_CUCOMPLEX_H
#define CUPORT_CUCOMPLEX_H

typedef float2 cuFloatComplex;
typedef double2 cuDoubleComplex;
typedef cuFloatComplex cuComplex;

__host__ __device__ static __inline__ float cuCrealf(cuFloatComplex z) { return z.x; }
__host__ __device__ static __inline__ float cuCimagf(cuFloatComplex z) { return z.y; }
__host__ __device__ static __inline__ cuFloatComplex make_cuFloatComplex(float re, float im) {
  return make_float2(re, im);
}
__host__ __device__ static __inline__ cuFloatComplex make_cuComplex(float re, float im) {
  return make_float2(re, im);
}
__host__ __device__ static __inline__ cuFloatComplex cuConjf(cuFloatComplex z) {
  return make_float2(z.x, -z.y);
}
__host__ __device__ static __inline__ cuFloatComplex cuCaddf(cuFloatComplex a, cuFloatComplex b) {
  return make_float2(a.x + b.x, a.y + b.y);
}
__host__ __device__ static __inline__ cuFloatComplex cuCsubf(cuFloatComplex a, cuFloatComplex b) {
  return make_float2(a.x - b.x, a.y - b.y);
}
__host__ __device__ static __inline__ cuFloatComplex cuCmulf(cuFloatComplex a, cuFloatComplex b) {
  return make_float2(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}
/* a / b with both operands first scaled by 1 / (|b.x| + |b.y|), against overflow and underflow */
__host__ __device__ static __inline__ cuFloatComplex cuCdivf(cuFloatComplex a, cuFloatComplex b) {
  float scale = 1.0f / (fabsf(b.x) + fabsf(b.y));
  float are = a.x * scale, aim = a.y * scale;
  float bre = b.x * scale, bim = b.y * scale;
  float inv = 1.0f / (bre * bre + bim * bim);
  return make_float2((are * bre + aim * bim) * inv, (aim * bre - are * bim) * inv);
}
/* |z| as big * sqrt(1 + (small / big)^2); zero, infinite and NaN parts fall back to big + small */
__host__ __device__ static __inline__ float cuCabsf(cuFloatComplex z) {
  float re = fabsf(z.x), im = fabsf(z.y);
  float big = re > im ? re : im;
  float small = re > im ? im : re;
  float ratio = small / big;
  float r = big * sqrtf(1.0f + ratio * ratio);
  if (big == 0.0f || big > 3.402823466e38f || small > 3.402823466e38f) {
    r = big + small;
  }
  return r;
}

__host__ __device__ static __inline__ double cuCreal(cuDoubleComplex z) { return z.x; }
__host__ __device__ static __inline__ double cuCimag(cuDoubleComplex z) { return z.y; }
__host__ __device__ static __inline__ cuDoubleComplex make_cuDoubleComplex(double re, double im) {
  return make_double2(re, im);
}
__host__ __device__ static __inline__ cuDoubleComplex cuConj(cuDoubleComplex z) {
  return make_double2(z.x, -z.y);
}
__host__ __device__ static __inline__ cuDoubleComplex cuCadd(cuDoubleComplex a, cuDoubleComplex b) {
  return make_double2(a.x + b.x, a.y + b.y);
}
__host__ __device__ static __inline__ cuDoubleComplex cuCsub(cuDoubleComplex a, cuDoubleComplex b) {
  return make_double2(a.x - b.x, a.y - b.y);
}
__host__ __device__ static __inline__ cuDoubleComplex cuCmul(cuDoubleComplex a, cuDoubleComplex b) {
  return make_double2(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}
__host__ __device__ static __inline__ cuDoubleComplex cuCdiv(cuDoubleComplex a, cuDoubleComplex b) {
  double scale = 1.0 / (fabs(b.x) + fabs(b.y));
  double are = a.x * scale, aim = a.y * scale;
  double bre = b.x * scale, bim = b.y * scale;
  double inv = 1.0 / (bre * bre + bim * bim);
  return make_double2((are * bre + aim * bim) * inv, (aim * bre - are * bim) * inv);
}
__host__ __device__ static __inline__ double cuCabs(cuDoubleComplex z) {
  double re = fabs(z.x), im = fabs(z.y);
  double big = re > im ? re : im;
  double small = re > im ? im : re;
  double ratio = small / big;
  double r = big * sqrt(1.0 + ratio * ratio);
  if (big == 0.0 || big > 1.79769313486231570e+308 || small > 1.79769313486231570e+308) {
    r = big + small;
  }
  return r;
}

__host__ __device__ static __inline__ cuDoubleComplex cuComplexFloatToDouble(cuFloatComplex z) {
  return make_double2((double)z.x, (double)z.y);
}
__host__ __device__ static __inline__ cuFloatComplex cuComplexDoubleToFloat(cuDoubleComplex z) {
  return make_float2((float)z.x, (float)z.y);
}

#endif
