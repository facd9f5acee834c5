// CUDA header shim for the cuport CPU runtime: fp8 storage types and float -> fp8 conversions.
#pragma once
#include "cuport_rt.h"

typedef unsigned char __nv_fp8_storage_t;
typedef unsigned short __nv_fp8x2_storage_t;
enum __nv_saturation_t { __NV_NOSAT, __NV_SATFINITE };
enum __nv_fp8_interpretation_t { __NV_E4M3, __NV_E5M2 };

namespace cuport {
// One rounding, to nearest even, of the exact value: scale by the quantum of x's binade (clamped to
// the subnormal quantum), round the integer, encode. Overflow: the largest finite value under
// __NV_SATFINITE, else NaN (E4M3 has no infinity) or infinity (E5M2).
inline unsigned char to_fp8(double x, __nv_saturation_t sat, __nv_fp8_interpretation_t kind) {
  const bool e5m2 = kind == __NV_E5M2;
  const int mbits = e5m2 ? 2 : 3, bias = e5m2 ? 15 : 7, emin = 1 - bias;
  const double maxnorm = e5m2 ? 57344.0 : 448.0;
  const unsigned char maxcode = e5m2 ? 0x7B : 0x7E;
  const unsigned char sign = std::signbit(x) ? 0x80 : 0;
  if (std::isnan(x)) {
    if (sat == __NV_SATFINITE) return 0x7F;  // sm_89's cvt.satfinite: the canonical NaN
    if (!e5m2) return sign | 0x7F;
    unsigned long long bits;
    std::memcpy(&bits, &x, 8);
    return sign | 0x7E | (unsigned char)((bits >> 50) & 3);  // a quiet NaN keeping the top payload bit
  }
  const double a = std::fabs(x);
  double r = INFINITY;
  if (!std::isinf(a)) {
    int e;
    std::frexp(a, &e);  // a = f * 2^e, f in [0.5, 1): the binade's exponent is e - 1
    const int binade = e - 1 < emin ? emin : e - 1;
    const double quantum = std::ldexp(1.0, binade - mbits);
    r = std::nearbyint(a / quantum) * quantum;  // the default rounding mode: ties to even
  }
  if (r > maxnorm) return sign | (sat == __NV_SATFINITE ? maxcode : e5m2 ? 0x7C : 0x7F);
  if (r == 0) return sign;
  int e;
  std::frexp(r, &e);
  if (e - 1 < emin) return sign | (unsigned char)(r / std::ldexp(1.0, emin - mbits));  // subnormal
  const int frac = (int)(r / std::ldexp(1.0, e - 1 - mbits)) - (1 << mbits);
  return sign | (unsigned char)(((e - 1 + bias) << mbits) | frac);
}
}  // namespace cuport

inline __nv_fp8_storage_t __nv_cvt_double_to_fp8(double x, __nv_saturation_t sat, __nv_fp8_interpretation_t kind) {
  return cuport::to_fp8(x, sat, kind);
}
inline __nv_fp8_storage_t __nv_cvt_float_to_fp8(float x, __nv_saturation_t sat, __nv_fp8_interpretation_t kind) {
  return cuport::to_fp8((double)x, sat, kind);
}
