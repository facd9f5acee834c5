// __half and __half2 on the CPU through GCC's _Float16 (IEEE binary16, round-to-nearest-even
// conversions), with the arithmetic CUDA offers on both host and device.
#ifndef CUPORT_HALF_H
#define CUPORT_HALF_H

struct __half_raw { unsigned short x; };

struct __attribute__((aligned(2))) __half {
  _Float16 v;
  __half() = default;
  constexpr __half(_Float16 f) : v(f) {}
  __half(float f) : v((_Float16)f) {}
  __half(double f) : v((_Float16)f) {}
  __half(int i) : v((_Float16)i) {}
  __half(unsigned i) : v((_Float16)i) {}
  __half(long long i) : v((_Float16)i) {}
  __half(__half_raw r) { std::memcpy(&v, &r.x, 2); }
  operator float() const { return (float)v; }
  operator __half_raw() const { __half_raw r; std::memcpy(&r.x, &v, 2); return r; }
  __half& operator+=(__half o) { v = (_Float16)((float)v + (float)o.v); return *this; }
  __half& operator-=(__half o) { v = (_Float16)((float)v - (float)o.v); return *this; }
  __half& operator*=(__half o) { v = (_Float16)((float)v * (float)o.v); return *this; }
  __half& operator/=(__half o) { v = (_Float16)((float)v / (float)o.v); return *this; }
};
typedef __half half;
struct __attribute__((aligned(4))) __half2 {
  __half x, y;
};
typedef __half2 half2;

inline __half operator+(__half a, __half b) { return __half((float)a + (float)b); }
inline __half operator-(__half a, __half b) { return __half((float)a - (float)b); }
inline __half operator*(__half a, __half b) { return __half((float)a * (float)b); }
inline __half operator/(__half a, __half b) { return __half((float)a / (float)b); }
inline __half operator-(__half a) { return __half(-(float)a); }
inline bool operator==(__half a, __half b) { return (float)a == (float)b; }
inline bool operator!=(__half a, __half b) { return (float)a != (float)b; }
inline bool operator<(__half a, __half b) { return (float)a < (float)b; }
inline bool operator>(__half a, __half b) { return (float)a > (float)b; }
inline bool operator<=(__half a, __half b) { return (float)a <= (float)b; }
inline bool operator>=(__half a, __half b) { return (float)a >= (float)b; }

inline __half __float2half(float f) { return __half(f); }
inline __half __float2half_rn(float f) { return __half(f); }
inline __half __double2half(double f) { return __half(f); }
inline float __half2float(__half h) { return (float)h; }
inline __half __int2half_rn(int i) { return __half(i); }
inline int __half2int_rn(__half h) { return (int)nearbyintf((float)h); }
inline int __half2int_rz(__half h) { return (int)(float)h; }
inline unsigned short __half_as_ushort(__half h) { unsigned short r; std::memcpy(&r, &h, 2); return r; }
inline short __half_as_short(__half h) { short r; std::memcpy(&r, &h, 2); return r; }
inline __half __ushort_as_half(unsigned short u) { __half h; std::memcpy(&h, &u, 2); return h; }
inline __half __short_as_half(short u) { __half h; std::memcpy(&h, &u, 2); return h; }
inline __half __hadd(__half a, __half b) { return a + b; }
inline __half __hsub(__half a, __half b) { return a - b; }
inline __half __hmul(__half a, __half b) { return a * b; }
inline __half __hdiv(__half a, __half b) { return a / b; }
inline __half __hneg(__half a) { return -a; }
inline __half __habs(__half a) { return __half(fabsf((float)a)); }
inline __half __hfma(__half a, __half b, __half c) { return __half(fmaf((float)a, (float)b, (float)c)); }
inline __half __hmax(__half a, __half b) { return __half(fmaxf((float)a, (float)b)); }
inline __half __hmin(__half a, __half b) { return __half(fminf((float)a, (float)b)); }
inline bool __heq(__half a, __half b) { return a == b; }
// CUDA's __hne is the ordered comparison (false on NaN); operator!= is the unordered __hneu
inline bool __hne(__half a, __half b) { return (float)a < (float)b || (float)a > (float)b; }
inline bool __hneu(__half a, __half b) { return !((float)a == (float)b); }
inline bool __hlt(__half a, __half b) { return a < b; }
inline bool __hle(__half a, __half b) { return a <= b; }
inline bool __hgt(__half a, __half b) { return a > b; }
inline bool __hge(__half a, __half b) { return a >= b; }
inline bool __hisnan(__half a) { return (float)a != (float)a; }
inline bool __hisinf(__half a) { return std::isinf((float)a); }
inline __half hexp(__half a) { return __half(expf((float)a)); }
inline __half hlog(__half a) { return __half(logf((float)a)); }
inline __half hsqrt(__half a) { return __half(sqrtf((float)a)); }
inline __half hrsqrt(__half a) { return __half(1.0f / sqrtf((float)a)); }
inline __half hrcp(__half a) { return __half(1.0f / (float)a); }
inline __half hsin(__half a) { return __half(sinf((float)a)); }
inline __half hcos(__half a) { return __half(cosf((float)a)); }
inline __half htanh(__half a) { return __half(tanhf((float)a)); }
inline __half hfloor(__half a) { return __half(floorf((float)a)); }
inline __half hceil(__half a) { return __half(ceilf((float)a)); }

inline __half2 __halves2half2(__half a, __half b) { return __half2{a, b}; }
inline __half2 make_half2(__half a, __half b) { return __half2{a, b}; }
inline __half2 __half2half2(__half a) { return __half2{a, a}; }
inline __half2 __float2half2_rn(float f) { return __half2{__half(f), __half(f)}; }
inline __half2 __floats2half2_rn(float a, float b) { return __half2{__half(a), __half(b)}; }
inline float2 __half22float2(__half2 h) { return float2{(float)h.x, (float)h.y}; }
inline __half2 __float22half2_rn(float2 f) { return __half2{__half(f.x), __half(f.y)}; }
inline float __low2float(__half2 h) { return (float)h.x; }
inline float __high2float(__half2 h) { return (float)h.y; }
inline __half __low2half(__half2 h) { return h.x; }
inline __half __high2half(__half2 h) { return h.y; }
inline __half2 __lows2half2(__half2 a, __half2 b) { return __half2{a.x, b.x}; }
inline __half2 __highs2half2(__half2 a, __half2 b) { return __half2{a.y, b.y}; }
inline __half2 __lowhigh2highlow(__half2 a) { return __half2{a.y, a.x}; }
inline __half2 __low2half2(__half2 a) { return __half2{a.x, a.x}; }
inline __half2 __high2half2(__half2 a) { return __half2{a.y, a.y}; }
inline __half2 __hadd2(__half2 a, __half2 b) { return __half2{a.x + b.x, a.y + b.y}; }
inline __half2 __hsub2(__half2 a, __half2 b) { return __half2{a.x - b.x, a.y - b.y}; }
inline __half2 __hmul2(__half2 a, __half2 b) { return __half2{a.x * b.x, a.y * b.y}; }
inline __half2 __h2div(__half2 a, __half2 b) { return __half2{a.x / b.x, a.y / b.y}; }
inline __half2 __hfma2(__half2 a, __half2 b, __half2 c) { return __half2{__hfma(a.x, b.x, c.x), __hfma(a.y, b.y, c.y)}; }
inline __half2 __hneg2(__half2 a) { return __half2{-a.x, -a.y}; }
inline __half2 __habs2(__half2 a) { return __half2{__habs(a.x), __habs(a.y)}; }
// lane-wise half2 math: each lane the scalar function of the lane
#define CUPORT_H2_MATH(name2, name) inline __half2 name2(__half2 a) { return __half2{name(a.x), name(a.y)}; }
CUPORT_H2_MATH(h2sqrt, hsqrt)
CUPORT_H2_MATH(h2rsqrt, hrsqrt)
CUPORT_H2_MATH(h2exp, hexp)
CUPORT_H2_MATH(h2log, hlog)
CUPORT_H2_MATH(h2rcp, hrcp)
CUPORT_H2_MATH(h2sin, hsin)
CUPORT_H2_MATH(h2cos, hcos)
CUPORT_H2_MATH(h2floor, hfloor)
CUPORT_H2_MATH(h2ceil, hceil)
#undef CUPORT_H2_MATH
// paired comparisons give 1.0 or 0.0 per half; max/min per half
inline __half2 cuport_hcmp2(__half2 a, __half2 b, bool (*op)(float, float)) {
  return __half2{__half(op((float)a.x, (float)b.x) ? 1.0f : 0.0f), __half(op((float)a.y, (float)b.y) ? 1.0f : 0.0f)};
}
inline __half2 __hgt2(__half2 a, __half2 b) { return cuport_hcmp2(a, b, [](float x, float y) { return x > y; }); }
inline __half2 __hge2(__half2 a, __half2 b) { return cuport_hcmp2(a, b, [](float x, float y) { return x >= y; }); }
inline __half2 __hlt2(__half2 a, __half2 b) { return cuport_hcmp2(a, b, [](float x, float y) { return x < y; }); }
inline __half2 __hle2(__half2 a, __half2 b) { return cuport_hcmp2(a, b, [](float x, float y) { return x <= y; }); }
inline __half2 __heq2(__half2 a, __half2 b) { return cuport_hcmp2(a, b, [](float x, float y) { return x == y; }); }
inline __half2 __hne2(__half2 a, __half2 b) { return cuport_hcmp2(a, b, [](float x, float y) { return x < y || x > y; }); }
inline __half2 __hmax2(__half2 a, __half2 b) { return __half2{__hmax(a.x, b.x), __hmax(a.y, b.y)}; }
inline __half2 __hmin2(__half2 a, __half2 b) { return __half2{__hmin(a.x, b.x), __hmin(a.y, b.y)}; }
inline __half2 operator+(__half2 a, __half2 b) { return __hadd2(a, b); }
inline __half2 operator-(__half2 a, __half2 b) { return __hsub2(a, b); }
inline __half2 operator*(__half2 a, __half2 b) { return __hmul2(a, b); }
inline __half2 operator/(__half2 a, __half2 b) { return __h2div(a, b); }

inline __half atomicAdd(__half* p, __half v) { return cuport::atomic_update(p, [v](__half o) { return o + v; }); }
// CUDA makes each half of the pair atomic on its own; one 32-bit compare-and-swap is stronger still
inline __half2 atomicAdd(__half2* p, __half2 v) {
  return cuport::atomic_update(p, [v](__half2 o) { return __half2{o.x + v.x, o.y + v.y}; });
}

#endif  // CUPORT_HALF_H
