// CUDA device math and bit intrinsics on the CPU. Fast-math intrinsics (__expf, __sinf...) use the
// accurate functions: results then differ from a GPU by the intrinsic's error, which verification
// tolerances cover.
#ifndef CUPORT_MATH_H
#define CUPORT_MATH_H

#include <cmath>
#include <limits>

// min/max overloads as CUDA declares them in the global namespace
#define CUPORT_MINMAX(A, B, R) \
  inline R min(A a, B b) { return (R)a < (R)b ? (R)a : (R)b; } \
  inline R max(A a, B b) { return (R)a > (R)b ? (R)a : (R)b; }
CUPORT_MINMAX(int, int, int)
CUPORT_MINMAX(unsigned int, unsigned int, unsigned int)
CUPORT_MINMAX(int, unsigned int, unsigned int)
CUPORT_MINMAX(unsigned int, int, unsigned int)
CUPORT_MINMAX(long, long, long)
CUPORT_MINMAX(unsigned long, unsigned long, unsigned long)
CUPORT_MINMAX(long, unsigned long, unsigned long)
CUPORT_MINMAX(unsigned long, long, unsigned long)
CUPORT_MINMAX(long long, long long, long long)
CUPORT_MINMAX(unsigned long long, unsigned long long, unsigned long long)
CUPORT_MINMAX(long long, unsigned long long, unsigned long long)
CUPORT_MINMAX(unsigned long long, long long, unsigned long long)
#undef CUPORT_MINMAX
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }
inline double min(double a, double b) { return fmin(a, b); }
inline double max(double a, double b) { return fmax(a, b); }
inline double min(float a, double b) { return fmin(a, b); }
inline double max(float a, double b) { return fmax(a, b); }
inline double min(double a, float b) { return fmin(a, b); }
inline double max(double a, float b) { return fmax(a, b); }
inline unsigned int umin(unsigned int a, unsigned int b) { return a < b ? a : b; }
inline unsigned int umax(unsigned int a, unsigned int b) { return a > b ? a : b; }
inline long long llmin(long long a, long long b) { return a < b ? a : b; }
inline long long llmax(long long a, long long b) { return a > b ? a : b; }
inline unsigned long long ullmin(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
inline unsigned long long ullmax(unsigned long long a, unsigned long long b) { return a > b ? a : b; }

inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline float rcbrtf(float x) { return 1.0f / cbrtf(x); }
inline double rcbrt(double x) { return 1.0 / cbrt(x); }
inline float sinpif(float x) { return sinf((float)M_PI * x); }
inline float cospif(float x) { return cosf((float)M_PI * x); }
inline double sinpi(double x) { return sin(M_PI * x); }
inline double cospi(double x) { return cos(M_PI * x); }
inline void sincospif(float x, float* s, float* c) { *s = sinpif(x); *c = cospif(x); }
inline void sincospi(double x, double* s, double* c) { *s = sinpi(x); *c = cospi(x); }
inline float normcdff(float x) { return 0.5f * erfcf(-x * (float)M_SQRT1_2); }
inline double normcdf(double x) { return 0.5 * erfc(-x * M_SQRT1_2); }
inline float norm3df(float a, float b, float c) { return sqrtf(a * a + b * b + c * c); }
inline float rnorm3df(float a, float b, float c) { return 1.0f / norm3df(a, b, c); }
inline double norm3d(double a, double b, double c) { return sqrt(a * a + b * b + c * c); }
inline double rnorm3d(double a, double b, double c) { return 1.0 / norm3d(a, b, c); }
inline float norm4df(float a, float b, float c, float d) { return sqrtf(a * a + b * b + c * c + d * d); }
inline float rhypotf(float a, float b) { return 1.0f / hypotf(a, b); }
inline double rhypot(double a, double b) { return 1.0 / hypot(a, b); }
inline float saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : (x != x ? 0.0f : x)); }
inline float __saturatef(float x) { return saturatef(x); }
inline float fdividef(float a, float b) { return a / b; }
inline float __fdividef(float a, float b) { return a / b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline float __expf(float x) { return expf(x); }
inline float __exp10f(float x) { return powf(10.0f, x); }
inline float __logf(float x) { return logf(x); }
inline float __log2f(float x) { return log2f(x); }
inline float __log10f(float x) { return log10f(x); }
inline float __sinf(float x) { return sinf(x); }
inline float __cosf(float x) { return cosf(x); }
inline float __tanf(float x) { return tanf(x); }
inline void __sincosf(float x, float* s, float* c) { *s = sinf(x); *c = cosf(x); }
inline float __powf(float a, float b) { return powf(a, b); }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline double __drcp_rn(double x) { return 1.0 / x; }
inline float __fsqrt_rn(float x) { return sqrtf(x); }
inline double __dsqrt_rn(double x) { return sqrt(x); }
inline float __frsqrt_rn(float x) { return 1.0f / sqrtf(x); }
inline float __fdiv_rn(float a, float b) { return a / b; }
#define CUPORT_ROUNDED(OP, EXPR) \
  inline float __f##OP##_rn(float a, float b) { return EXPR; } \
  inline float __f##OP##_rz(float a, float b) { return EXPR; } \
  inline float __f##OP##_ru(float a, float b) { return EXPR; } \
  inline float __f##OP##_rd(float a, float b) { return EXPR; } \
  inline double __d##OP##_rn(double a, double b) { return EXPR; } \
  inline double __d##OP##_rz(double a, double b) { return EXPR; } \
  inline double __d##OP##_ru(double a, double b) { return EXPR; } \
  inline double __d##OP##_rd(double a, double b) { return EXPR; }
CUPORT_ROUNDED(add, a + b)
CUPORT_ROUNDED(sub, a - b)
CUPORT_ROUNDED(mul, a * b)
#undef CUPORT_ROUNDED
inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
inline float __fmaf_rz(float a, float b, float c) { return fmaf(a, b, c); }
inline float __fmaf_ru(float a, float b, float c) { return fmaf(a, b, c); }
inline float __fmaf_rd(float a, float b, float c) { return fmaf(a, b, c); }
inline double __fma_rn(double a, double b, double c) { return fma(a, b, c); }

// conversions with a rounding mode (the CUDA type-casting intrinsics). Integer and double values
// are exact in x86-64 long double (64-bit significand), so the round-to-nearest result is moved one
// step when it lies on the wrong side of the exact value.
template <class F, class X> inline F cuport_round_rn(X x) { return (F)x; }
template <class F, class X> inline F cuport_round_rd(X x) {
  F f = (F)x;
  return (long double)f > (long double)x ? std::nextafter(f, -std::numeric_limits<F>::infinity()) : f;
}
template <class F, class X> inline F cuport_round_ru(X x) {
  F f = (F)x;
  return (long double)f < (long double)x ? std::nextafter(f, std::numeric_limits<F>::infinity()) : f;
}
template <class F, class X> inline F cuport_round_rz(X x) {
  F f = (F)x;
  const long double e = (long double)x, g = (long double)f;
  return (e >= 0 ? g > e : g < e) ? std::nextafter(f, (F)0) : f;
}
#define CUPORT_TO_INTEGER(SRC, SRCT, DST, DSTT) \
  inline DSTT __##SRC##2##DST##_rn(SRCT x) { return (DSTT)nearbyint(x); } \
  inline DSTT __##SRC##2##DST##_rz(SRCT x) { return (DSTT)trunc(x); } \
  inline DSTT __##SRC##2##DST##_ru(SRCT x) { return (DSTT)ceil(x); } \
  inline DSTT __##SRC##2##DST##_rd(SRCT x) { return (DSTT)floor(x); }
#define CUPORT_TO_FLOATING(SRC, SRCT, DST, DSTT) \
  inline DSTT __##SRC##2##DST##_rn(SRCT x) { return cuport_round_rn<DSTT>(x); } \
  inline DSTT __##SRC##2##DST##_rz(SRCT x) { return cuport_round_rz<DSTT>(x); } \
  inline DSTT __##SRC##2##DST##_ru(SRCT x) { return cuport_round_ru<DSTT>(x); } \
  inline DSTT __##SRC##2##DST##_rd(SRCT x) { return cuport_round_rd<DSTT>(x); }
CUPORT_TO_INTEGER(float, float, int, int)
CUPORT_TO_INTEGER(float, float, uint, unsigned)
CUPORT_TO_INTEGER(float, float, ll, long long)
CUPORT_TO_INTEGER(float, float, ull, unsigned long long)
CUPORT_TO_INTEGER(double, double, int, int)
CUPORT_TO_INTEGER(double, double, uint, unsigned)
CUPORT_TO_INTEGER(double, double, ll, long long)
CUPORT_TO_INTEGER(double, double, ull, unsigned long long)
CUPORT_TO_FLOATING(int, int, float, float)
CUPORT_TO_FLOATING(uint, unsigned, float, float)
CUPORT_TO_FLOATING(ll, long long, float, float)
CUPORT_TO_FLOATING(ull, unsigned long long, float, float)
CUPORT_TO_FLOATING(ll, long long, double, double)
CUPORT_TO_FLOATING(ull, unsigned long long, double, double)
CUPORT_TO_FLOATING(double, double, float, float)
// 32-bit integers are exact in double: CUDA has only the _rn form
inline double __int2double_rn(int x) { return (double)x; }
inline double __uint2double_rn(unsigned x) { return (double)x; }
#undef CUPORT_TO_INTEGER
#undef CUPORT_TO_FLOATING
inline int __float_as_int(float x) { int r; std::memcpy(&r, &x, 4); return r; }
inline unsigned __float_as_uint(float x) { unsigned r; std::memcpy(&r, &x, 4); return r; }
inline float __int_as_float(int x) { float r; std::memcpy(&r, &x, 4); return r; }
inline float __uint_as_float(unsigned x) { float r; std::memcpy(&r, &x, 4); return r; }
inline long long __double_as_longlong(double x) { long long r; std::memcpy(&r, &x, 8); return r; }
inline double __longlong_as_double(long long x) { double r; std::memcpy(&r, &x, 8); return r; }
inline int __double2hiint(double x) { return (int)(__double_as_longlong(x) >> 32); }
inline int __double2loint(double x) { return (int)(unsigned)__double_as_longlong(x); }
inline double __hiloint2double(int hi, int lo) {
  return __longlong_as_double((long long)(((unsigned long long)(unsigned)hi << 32) | (unsigned)lo));
}
inline int __isnanf(float x) { return x != x; }

// bit manipulation
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned)x); }
inline int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll((unsigned long long)x); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __ffsll(long long x) { return __builtin_ffsll(x); }
inline unsigned __brev(unsigned x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  return __builtin_bswap32(x);
}
inline unsigned long long __brevll(unsigned long long x) {
  return ((unsigned long long)__brev((unsigned)x) << 32) | __brev((unsigned)(x >> 32));
}
// SIMD-within-a-word video intrinsics: a 32-bit word as two 16-bit or four 8-bit lanes, each
// lane computed exactly in 64 bits and then wrapped or saturated as the CUDA math API says.
namespace cuport {
template <int W, bool S> inline long long simd_lane(unsigned v, int k) {
  const unsigned long long mask = (1ull << W) - 1, u = ((unsigned long long)v >> (W * k)) & mask;
  return S && (u >> (W - 1)) ? (long long)u - (long long)(1ull << W) : (long long)u;
}
// op(x, y, z, lo, hi): the lanes of a, b, c and the lane type's range; the low W bits of the result
template <int W, bool S, class Op> inline unsigned simd_map(unsigned a, unsigned b, unsigned c, Op op) {
  constexpr long long lo = S ? -(1ll << (W - 1)) : 0, hi = S ? (1ll << (W - 1)) - 1 : (1ll << W) - 1;
  unsigned long long r = 0;
  for (int k = 0; k < 32 / W; ++k) {
    const long long v = op(simd_lane<W, S>(a, k), simd_lane<W, S>(b, k), simd_lane<W, S>(c, k), lo, hi);
    r |= ((unsigned long long)v & ((1ull << W) - 1)) << (W * k);
  }
  return (unsigned)r;
}
template <int W, bool S> inline unsigned simd_sad(unsigned a, unsigned b) {
  unsigned r = 0;
  for (int k = 0; k < 32 / W; ++k) {
    const long long x = simd_lane<W, S>(a, k), y = simd_lane<W, S>(b, k);
    r += (unsigned)(x > y ? x - y : y - x);
  }
  return r;
}
inline long long clamp_ll(long long v, long long lo, long long hi) { return v < lo ? lo : v > hi ? hi : v; }
}  // namespace cuport
#define CUPORT_SIMD(name, W, S, expr)                                                                 \
  inline unsigned name(unsigned a, unsigned b = 0, unsigned c = 0) {                                 \
    return cuport::simd_map<W, S>(a, b, c, [](long long x, long long y, long long z, long long lo, long long hi) { \
      (void)x; (void)y; (void)z; (void)lo; (void)hi;                                                 \
      return (long long)(expr);                                                                      \
    });                                                                                              \
  }
#define CUPORT_SIMD24(stem, S, expr) CUPORT_SIMD(stem##2, 16, S, expr) CUPORT_SIMD(stem##4, 8, S, expr)
CUPORT_SIMD24(__vabs, true, x < 0 ? -x : x)
CUPORT_SIMD24(__vabsss, true, x < 0 ? (-x > hi ? hi : -x) : x)
CUPORT_SIMD24(__vneg, true, -x)
CUPORT_SIMD24(__vnegss, true, cuport::clamp_ll(-x, lo, hi))
CUPORT_SIMD24(__vabsdiffs, true, x > y ? x - y : y - x)
CUPORT_SIMD24(__vabsdiffu, false, x > y ? x - y : y - x)
CUPORT_SIMD24(__vadd, false, x + y)
CUPORT_SIMD24(__vaddss, true, cuport::clamp_ll(x + y, lo, hi))
CUPORT_SIMD24(__vaddus, false, cuport::clamp_ll(x + y, lo, hi))
CUPORT_SIMD24(__vsub, false, x - y)
CUPORT_SIMD24(__vsubss, true, cuport::clamp_ll(x - y, lo, hi))
CUPORT_SIMD24(__vsubus, false, cuport::clamp_ll(x - y, lo, hi))
// signed rounded average rounds halves away from zero; the unsigned one rounds them up
CUPORT_SIMD24(__vavgs, true, x + y >= 0 ? (x + y + 1) >> 1 : (x + y) >> 1)
CUPORT_SIMD24(__vavgu, false, (x + y + 1) >> 1)
CUPORT_SIMD24(__vhaddu, false, (x + y) >> 1)
CUPORT_SIMD24(__vmaxs, true, x > y ? x : y)
CUPORT_SIMD24(__vmaxu, false, x > y ? x : y)
CUPORT_SIMD24(__vmins, true, x < y ? x : y)
CUPORT_SIMD24(__vminu, false, x < y ? x : y)
// __vcmp*: an all-ones lane where the comparison holds; __vset*: a lane holding 1
#define CUPORT_SIMD_CMP(stem, S, op) CUPORT_SIMD24(__vcmp##stem, S, x op y ? -1 : 0) CUPORT_SIMD24(__vset##stem, S, x op y)
CUPORT_SIMD_CMP(eq, false, ==)
CUPORT_SIMD_CMP(ne, false, !=)
CUPORT_SIMD_CMP(ges, true, >=)
CUPORT_SIMD_CMP(geu, false, >=)
CUPORT_SIMD_CMP(gts, true, >)
CUPORT_SIMD_CMP(gtu, false, >)
CUPORT_SIMD_CMP(les, true, <=)
CUPORT_SIMD_CMP(leu, false, <=)
CUPORT_SIMD_CMP(lts, true, <)
CUPORT_SIMD_CMP(ltu, false, <)
inline unsigned __vsads2(unsigned a, unsigned b) { return cuport::simd_sad<16, true>(a, b); }
inline unsigned __vsads4(unsigned a, unsigned b) { return cuport::simd_sad<8, true>(a, b); }
inline unsigned __vsadu2(unsigned a, unsigned b) { return cuport::simd_sad<16, false>(a, b); }
inline unsigned __vsadu4(unsigned a, unsigned b) { return cuport::simd_sad<8, false>(a, b); }
// sm_90 three-operand forms: the addition wraps in the lane, relu clamps the result at zero
#define CUPORT_MAX(p, q) ((p) > (q) ? (p) : (q))
#define CUPORT_MIN(p, q) ((p) < (q) ? (p) : (q))
#define CUPORT_SUM16(S) cuport::simd_lane<16, S>((unsigned)(x + y), 0)
CUPORT_SIMD(__viaddmax_s16x2, 16, true, CUPORT_MAX(CUPORT_SUM16(true), z))
CUPORT_SIMD(__viaddmax_s16x2_relu, 16, true, CUPORT_MAX(CUPORT_MAX(CUPORT_SUM16(true), z), 0))
CUPORT_SIMD(__viaddmax_u16x2, 16, false, CUPORT_MAX(CUPORT_SUM16(false), z))
CUPORT_SIMD(__viaddmin_s16x2, 16, true, CUPORT_MIN(CUPORT_SUM16(true), z))
CUPORT_SIMD(__viaddmin_s16x2_relu, 16, true, CUPORT_MAX(CUPORT_MIN(CUPORT_SUM16(true), z), 0))
CUPORT_SIMD(__viaddmin_u16x2, 16, false, CUPORT_MIN(CUPORT_SUM16(false), z))
CUPORT_SIMD(__vimax3_s16x2, 16, true, CUPORT_MAX(CUPORT_MAX(x, y), z))
CUPORT_SIMD(__vimax3_s16x2_relu, 16, true, CUPORT_MAX(CUPORT_MAX(CUPORT_MAX(x, y), z), 0))
CUPORT_SIMD(__vimax3_u16x2, 16, false, CUPORT_MAX(CUPORT_MAX(x, y), z))
CUPORT_SIMD(__vimin3_s16x2, 16, true, CUPORT_MIN(CUPORT_MIN(x, y), z))
CUPORT_SIMD(__vimin3_s16x2_relu, 16, true, CUPORT_MAX(CUPORT_MIN(CUPORT_MIN(x, y), z), 0))
CUPORT_SIMD(__vimin3_u16x2, 16, false, CUPORT_MIN(CUPORT_MIN(x, y), z))
CUPORT_SIMD(__vimax_s16x2_relu, 16, true, CUPORT_MAX(CUPORT_MAX(x, y), 0))
CUPORT_SIMD(__vimin_s16x2_relu, 16, true, CUPORT_MAX(CUPORT_MIN(x, y), 0))
inline int cuport_wrap_add(int a, int b) { return (int)((unsigned)a + (unsigned)b); }
inline int __viaddmax_s32(int a, int b, int c) { return CUPORT_MAX(cuport_wrap_add(a, b), c); }
inline int __viaddmax_s32_relu(int a, int b, int c) { return CUPORT_MAX(CUPORT_MAX(cuport_wrap_add(a, b), c), 0); }
inline unsigned __viaddmax_u32(unsigned a, unsigned b, unsigned c) { return CUPORT_MAX(a + b, c); }
inline int __viaddmin_s32(int a, int b, int c) { return CUPORT_MIN(cuport_wrap_add(a, b), c); }
inline int __viaddmin_s32_relu(int a, int b, int c) { return CUPORT_MAX(CUPORT_MIN(cuport_wrap_add(a, b), c), 0); }
inline unsigned __viaddmin_u32(unsigned a, unsigned b, unsigned c) { return CUPORT_MIN(a + b, c); }
inline int __vimax3_s32(int a, int b, int c) { return CUPORT_MAX(CUPORT_MAX(a, b), c); }
inline int __vimax3_s32_relu(int a, int b, int c) { return CUPORT_MAX(CUPORT_MAX(CUPORT_MAX(a, b), c), 0); }
inline unsigned __vimax3_u32(unsigned a, unsigned b, unsigned c) { return CUPORT_MAX(CUPORT_MAX(a, b), c); }
inline int __vimin3_s32(int a, int b, int c) { return CUPORT_MIN(CUPORT_MIN(a, b), c); }
inline int __vimin3_s32_relu(int a, int b, int c) { return CUPORT_MAX(CUPORT_MIN(CUPORT_MIN(a, b), c), 0); }
inline unsigned __vimin3_u32(unsigned a, unsigned b, unsigned c) { return CUPORT_MIN(CUPORT_MIN(a, b), c); }
inline int __vimax_s32_relu(int a, int b) { return CUPORT_MAX(CUPORT_MAX(a, b), 0); }
inline int __vimin_s32_relu(int a, int b) { return CUPORT_MAX(CUPORT_MIN(a, b), 0); }
// max/min with a predicate per lane: true where a's lane was chosen (a >= b for max, a <= b for min)
inline int __vibmax_s32(int a, int b, bool* p) { *p = a >= b; return CUPORT_MAX(a, b); }
inline unsigned __vibmax_u32(unsigned a, unsigned b, bool* p) { *p = a >= b; return CUPORT_MAX(a, b); }
inline int __vibmin_s32(int a, int b, bool* p) { *p = a <= b; return CUPORT_MIN(a, b); }
inline unsigned __vibmin_u32(unsigned a, unsigned b, bool* p) { *p = a <= b; return CUPORT_MIN(a, b); }
template <bool S, bool Max> inline unsigned cuport_vib16x2(unsigned a, unsigned b, bool* hi, bool* lo) {
  const long long a0 = cuport::simd_lane<16, S>(a, 0), b0 = cuport::simd_lane<16, S>(b, 0);
  const long long a1 = cuport::simd_lane<16, S>(a, 1), b1 = cuport::simd_lane<16, S>(b, 1);
  *lo = Max ? a0 >= b0 : a0 <= b0;
  *hi = Max ? a1 >= b1 : a1 <= b1;
  return (unsigned)((*lo ? a0 : b0) & 0xffff) | (unsigned)(((*hi ? a1 : b1) & 0xffff) << 16);
}
inline unsigned __vibmax_s16x2(unsigned a, unsigned b, bool* hi, bool* lo) { return cuport_vib16x2<true, true>(a, b, hi, lo); }
inline unsigned __vibmax_u16x2(unsigned a, unsigned b, bool* hi, bool* lo) { return cuport_vib16x2<false, true>(a, b, hi, lo); }
inline unsigned __vibmin_s16x2(unsigned a, unsigned b, bool* hi, bool* lo) { return cuport_vib16x2<true, false>(a, b, hi, lo); }
inline unsigned __vibmin_u16x2(unsigned a, unsigned b, bool* hi, bool* lo) { return cuport_vib16x2<false, false>(a, b, hi, lo); }
#undef CUPORT_SUM16
#undef CUPORT_MAX
#undef CUPORT_MIN
#undef CUPORT_SIMD_CMP
#undef CUPORT_SIMD24
#undef CUPORT_SIMD
inline unsigned __byte_perm(unsigned x, unsigned y, unsigned s) {
  const unsigned long long both = ((unsigned long long)y << 32) | x;
  unsigned r = 0;
  for (int i = 0; i < 4; ++i) {
    const unsigned sel = (s >> (4 * i)) & 7u;
    r |= (unsigned)((both >> (8 * sel)) & 0xffu) << (8 * i);
  }
  return r;
}
inline unsigned __funnelshift_l(unsigned lo, unsigned hi, unsigned s) {
  const unsigned long long v = ((unsigned long long)hi << 32) | lo;
  return (unsigned)((v << (s & 31)) >> 32);
}
inline unsigned __funnelshift_lc(unsigned lo, unsigned hi, unsigned s) {
  const unsigned long long v = ((unsigned long long)hi << 32) | lo;
  return (unsigned)((v << (s > 32 ? 32 : s)) >> 32);
}
inline unsigned __funnelshift_r(unsigned lo, unsigned hi, unsigned s) {
  const unsigned long long v = ((unsigned long long)hi << 32) | lo;
  return (unsigned)(v >> (s & 31));
}
inline unsigned __funnelshift_rc(unsigned lo, unsigned hi, unsigned s) {
  const unsigned long long v = ((unsigned long long)hi << 32) | lo;
  return (unsigned)(v >> (s > 32 ? 32 : s));
}
inline int __mul24(int a, int b) { return ((a << 8) >> 8) * ((b << 8) >> 8); }
inline unsigned __umul24(unsigned a, unsigned b) { return (a & 0xffffffu) * (b & 0xffffffu); }
inline int __mulhi(int a, int b) { return (int)(((long long)a * b) >> 32); }
inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
inline long long __mul64hi(long long a, long long b) { return (long long)(((__int128)a * b) >> 64); }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
  return (unsigned long long)(((unsigned __int128)a * b) >> 64);
}
inline int __hadd(int a, int b) { return (int)(((long long)a + b) >> 1); }
inline int __rhadd(int a, int b) { return (int)(((long long)a + b + 1) >> 1); }
inline unsigned __uhadd(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a + b) >> 1); }
inline unsigned __urhadd(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a + b + 1) >> 1); }
inline unsigned __sad(int a, int b, unsigned c) { return (unsigned)(a > b ? a - b : b - a) + c; }
inline unsigned __usad(unsigned a, unsigned b, unsigned c) { return (a > b ? a - b : b - a) + c; }

// cache-hinted loads and stores are plain accesses on a CPU
template <class T> inline T __ldg(const T* p) { return *p; }
template <class T> inline T __ldcg(const T* p) { return *p; }
template <class T> inline T __ldca(const T* p) { return *p; }
template <class T> inline T __ldcs(const T* p) { return *p; }
template <class T> inline T __ldlu(const T* p) { return *p; }
template <class T> inline T __ldcv(const T* p) { return *p; }
template <class T> inline void __stcg(T* p, T v) { *p = v; }
template <class T> inline void __stcs(T* p, T v) { *p = v; }
template <class T> inline void __stwb(T* p, T v) { *p = v; }
template <class T> inline void __stwt(T* p, T v) { *p = v; }

inline long long clock64() { return (long long)__builtin_ia32_rdtsc(); }
inline void __nanosleep(unsigned) {}
inline void __prof_trigger(int) {}
[[noreturn]] inline void __trap(CUPORT_SITE) {
  cuport::trap("__trap()", CUPORT_AT);
  __builtin_unreachable();
}
[[noreturn]] inline void __brkpt(CUPORT_SITE) {
  cuport::trap("__brkpt()", CUPORT_AT);
  __builtin_unreachable();
}
template <class T> inline bool __isGlobal(const T*) { return true; }
template <class T> inline bool __isShared(const T*) { return false; }

#endif  // CUPORT_MATH_H
