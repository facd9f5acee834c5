// cuport CPU runtime for CUDA: lets g++ compile unmodified CUDA kernels and run them on the CPU.
//
// One OS thread per running block; the block's CUDA threads are user-level fibers that only get a
// stack of their own once they block (barrier, warp operation). __shared__ is thread_local storage,
// which is exactly per block because fibers never migrate between OS threads.
// The scheduler lives in cuport_rt.cpp (compiled once and cached); this header stays light so that
// each kernel compiles fast.
#ifndef CUPORT_RT_H
#define CUPORT_RT_H

#include <cmath>
#include <math.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <climits>
#include <cfloat>
#include <tuple>
#include <type_traits>
#include <utility>

#ifndef CUDART_VERSION
#define CUDART_VERSION 12000
#endif
#ifndef __CUDACC__
#define __CUDACC__ 1
#endif
#define __CUPORT_CPU__ 1

// ---- CUDA keywords -------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __constant__
#define __managed__
#define __shared__ static thread_local
#define __forceinline__ inline
// empty, not __attribute__((noinline)): libstdc++ spells __attribute__((__noinline__)) itself
#define __noinline__
#define __launch_bounds__(...)
#define __grid_constant__
#define __align__(n) __attribute__((aligned(n)))
#define __builtin_align__(n) __attribute__((aligned(n)))
#define __device_builtin__
#define __cudart_builtin__
#define __CUDA_ALIGN__(n) __attribute__((aligned(n)))

// ---- vector types --------------------------------------------------------------------------
#define CUPORT_VEC1(T, N) struct N##1 { T x; };
#define CUPORT_VEC2(T, N, A) struct __attribute__((aligned(A))) N##2 { T x, y; };
#define CUPORT_VEC3(T, N) struct N##3 { T x, y, z; };
#define CUPORT_VEC4(T, N, A) struct __attribute__((aligned(A))) N##4 { T x, y, z, w; };
#define CUPORT_VECS(T, N, A2, A4) CUPORT_VEC1(T, N) CUPORT_VEC2(T, N, A2) CUPORT_VEC3(T, N) CUPORT_VEC4(T, N, A4) \
  static inline N##1 make_##N##1(T x) { return N##1{x}; } \
  static inline N##2 make_##N##2(T x, T y) { return N##2{x, y}; } \
  static inline N##3 make_##N##3(T x, T y, T z) { return N##3{x, y, z}; } \
  static inline N##4 make_##N##4(T x, T y, T z, T w) { return N##4{x, y, z, w}; }
CUPORT_VECS(signed char, char, 2, 4)
CUPORT_VECS(unsigned char, uchar, 2, 4)
CUPORT_VECS(short, short, 4, 8)
CUPORT_VECS(unsigned short, ushort, 4, 8)
CUPORT_VECS(int, int, 8, 16)
CUPORT_VECS(unsigned int, uint, 8, 16)
CUPORT_VECS(long, long, 16, 16)
CUPORT_VECS(unsigned long, ulong, 16, 16)
CUPORT_VECS(long long, longlong, 16, 16)
CUPORT_VECS(unsigned long long, ulonglong, 16, 16)
CUPORT_VECS(float, float, 8, 16)
CUPORT_VECS(double, double, 16, 16)
#undef CUPORT_VEC1
#undef CUPORT_VEC2
#undef CUPORT_VEC3
#undef CUPORT_VEC4
#undef CUPORT_VECS

struct dim3 {
  unsigned int x, y, z;
  constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return uint3{x, y, z}; }
};

// ---- built-in variables ----------------------------------------------------------------------
// threadIdx/blockIdx change per fiber and per block on each worker thread; the geometry is one
// per launch (launches are synchronous).
extern __thread uint3 threadIdx;
extern __thread uint3 blockIdx;
extern dim3 blockDim;
extern dim3 gridDim;
extern int warpSize;

namespace cuport {

#ifdef CUPORT_LANEMASK_64
using lanemask_t = unsigned long long;
#else
using lanemask_t = unsigned int;
#endif
using fullmask_t = unsigned long long;  // masks are taken 64-bit so wave64 ports pass theirs whole

// ---- scheduler entry points (cuport_rt.cpp) ----
void syncthreads(const char* file, int line);
int syncthreads_reduce(int op, int pred, const char* file, int line);  // op: 0 count, 1 and, 2 or
// A rendezvous of the lanes in `mask` of the caller's warp. Each lane deposits `value`; when all
// have arrived, every lane gets the values of all lanes in `out` (indexed by lane).
// Returns the effective mask (mask restricted to lanes that exist in this block).
unsigned long long warp_gather(unsigned long long mask, unsigned long long value, unsigned long long* out,
                               const char* what, const char* file, int line);
// The same rendezvous when the lane needs one value only: that of lane `src`, or its own `value`
// when `src` is not in the effective mask (a shuffle reads one lane; copying all 64 costs more).
unsigned long long warp_shfl(unsigned long long mask, unsigned long long value, int src, const char* what,
                             const char* file, int line);
unsigned long long warp_live_mask();  // existing, not exited lanes of the caller's warp
void* dynamic_shared();
void trap(const char* why, const char* file, int line);
extern __thread unsigned int tl_lane;      // lane of the running fiber
extern __thread unsigned int tl_linear;    // linear thread index in the block

inline unsigned lane_id() { return tl_lane; }

template <class T> inline unsigned long long to_bits(T v) {
  static_assert(sizeof(T) <= 8, "8 bytes at most per chunk");
  unsigned long long b = 0;
  std::memcpy(&b, &v, sizeof(T));
  return b;
}
template <class T> inline T from_bits(unsigned long long b) {
  T v;
  std::memcpy(&v, &b, sizeof(T));
  return v;
}

// PTX shfl.sync lane arithmetic, generalised to 32- or 64-lane warps.
enum ShflMode { SHFL_IDX, SHFL_UP, SHFL_DOWN, SHFL_BFLY };
inline int shfl_source(int mode, int lane, int b, int width) {
  const int W = warpSize;
  const int lanebits = W - 1;
  const int segmask = (W - width) & lanebits;
  const int cval = mode == SHFL_UP ? 0 : lanebits;
  const int max_lane = (lane & segmask) | (cval & ~segmask);
  const int min_lane = lane & segmask;
  int j;
  bool pval;
  switch (mode) {
    case SHFL_UP: j = lane - b; pval = j >= max_lane; break;
    case SHFL_DOWN: j = lane + b; pval = j <= max_lane; break;
    case SHFL_BFLY: j = lane ^ b; pval = j <= max_lane; break;
    default: j = min_lane | (b & ~segmask & lanebits); pval = j <= max_lane; break;
  }
  return pval ? j : lane;
}

template <class T>
inline T shfl(unsigned long long mask, T var, int mode, int b, int width, const char* what, const char* file, int line) {
  const int src = shfl_source(mode, (int)tl_lane, b, width);
  T out;
  unsigned char* dst = reinterpret_cast<unsigned char*>(&out);
  const unsigned char* mine = reinterpret_cast<const unsigned char*>(&var);
  for (std::size_t off = 0; off < sizeof(T); off += 8) {
    const std::size_t n = sizeof(T) - off < 8 ? sizeof(T) - off : 8;
    unsigned long long chunk = 0;
    std::memcpy(&chunk, mine + off, n);
    const unsigned long long got = warp_shfl(mask, chunk, src, what, file, line);
    std::memcpy(dst + off, &got, n);
  }
  return out;
}

}  // namespace cuport

#define CUPORT_SITE const char* cuport_file = __builtin_FILE(), int cuport_line = __builtin_LINE()
#define CUPORT_AT cuport_file, cuport_line

// ---- barriers and fences ---------------------------------------------------------------------
inline void __syncthreads(CUPORT_SITE) { cuport::syncthreads(CUPORT_AT); }
inline int __syncthreads_count(int p, CUPORT_SITE) { return cuport::syncthreads_reduce(0, p, CUPORT_AT); }
inline int __syncthreads_and(int p, CUPORT_SITE) { return cuport::syncthreads_reduce(1, p, CUPORT_AT); }
inline int __syncthreads_or(int p, CUPORT_SITE) { return cuport::syncthreads_reduce(2, p, CUPORT_AT); }
inline void __syncwarp(cuport::fullmask_t mask = 0xffffffffull, CUPORT_SITE) {
  unsigned long long lanes[64];
  cuport::warp_gather(mask, 0, lanes, "__syncwarp", CUPORT_AT);
}
inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_system() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

// ---- warp shuffles, votes, reductions -----------------------------------------------------------
template <class T> inline T __shfl_sync(cuport::fullmask_t m, T v, int src, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(m, v, cuport::SHFL_IDX, src, width, "__shfl_sync", CUPORT_AT);
}
template <class T> inline T __shfl_up_sync(cuport::fullmask_t m, T v, unsigned d, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(m, v, cuport::SHFL_UP, (int)d, width, "__shfl_up_sync", CUPORT_AT);
}
template <class T> inline T __shfl_down_sync(cuport::fullmask_t m, T v, unsigned d, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(m, v, cuport::SHFL_DOWN, (int)d, width, "__shfl_down_sync", CUPORT_AT);
}
template <class T> inline T __shfl_xor_sync(cuport::fullmask_t m, T v, int lm, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(m, v, cuport::SHFL_BFLY, lm, width, "__shfl_xor_sync", CUPORT_AT);
}
// pre-CUDA-9 / HIP spellings: the whole (live) warp takes part
template <class T> inline T __shfl(T v, int src, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(cuport::warp_live_mask(), v, cuport::SHFL_IDX, src, width, "__shfl", CUPORT_AT);
}
template <class T> inline T __shfl_up(T v, unsigned d, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(cuport::warp_live_mask(), v, cuport::SHFL_UP, (int)d, width, "__shfl_up", CUPORT_AT);
}
template <class T> inline T __shfl_down(T v, unsigned d, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(cuport::warp_live_mask(), v, cuport::SHFL_DOWN, (int)d, width, "__shfl_down", CUPORT_AT);
}
template <class T> inline T __shfl_xor(T v, int lm, int width = warpSize, CUPORT_SITE) {
  return cuport::shfl(cuport::warp_live_mask(), v, cuport::SHFL_BFLY, lm, width, "__shfl_xor", CUPORT_AT);
}

namespace cuport {
inline unsigned long long vote(unsigned long long m, int pred, const char* what, const char* file, int line) {
  unsigned long long lanes[64];
  const unsigned long long eff = warp_gather(m, pred != 0, lanes, what, file, line);
  unsigned long long bits = 0;
  for (int l = 0; l < 64; ++l)
    if (((eff >> l) & 1ull) && lanes[l]) bits |= 1ull << l;
  return bits;
}
inline unsigned long long vote_mask(unsigned long long m) {
  return m & (warpSize == 64 ? ~0ull : 0xffffffffull);
}
template <class T, class Op> inline T warp_reduce(unsigned long long m, T v, Op op, const char* what, const char* file, int line) {
  unsigned long long lanes[64];
  const unsigned long long eff = warp_gather(m, to_bits(v), lanes, what, file, line);
  bool first = true;
  T acc{};
  for (int l = 0; l < 64; ++l) {
    if (!((eff >> l) & 1ull)) continue;
    const T x = from_bits<T>(lanes[l]);
    acc = first ? x : op(acc, x);
    first = false;
  }
  return acc;
}
}  // namespace cuport

inline cuport::lanemask_t __ballot_sync(cuport::fullmask_t m, int p, CUPORT_SITE) {
  return (cuport::lanemask_t)cuport::vote(m, p, "__ballot_sync", CUPORT_AT);
}
inline int __all_sync(cuport::fullmask_t m, int p, CUPORT_SITE) {
  unsigned long long lanes[64];
  const unsigned long long eff = cuport::warp_gather(m, p != 0, lanes, "__all_sync", CUPORT_AT);
  for (int l = 0; l < 64; ++l)
    if (((eff >> l) & 1ull) && !lanes[l]) return 0;
  return 1;
}
inline int __any_sync(cuport::fullmask_t m, int p, CUPORT_SITE) { return cuport::vote(m, p, "__any_sync", CUPORT_AT) != 0; }
inline int __uni_sync(cuport::fullmask_t m, int p, CUPORT_SITE) {
  const unsigned long long lanes = cuport::warp_live_mask() & m;
  const unsigned long long b = cuport::vote(m, p, "__uni_sync", CUPORT_AT);
  return b == 0 || b == lanes;
}
inline cuport::lanemask_t __ballot(int p, CUPORT_SITE) { return (cuport::lanemask_t)cuport::vote(cuport::warp_live_mask(), p, "__ballot", CUPORT_AT); }
inline int __all(int p, CUPORT_SITE) { return __all_sync(cuport::warp_live_mask(), p, CUPORT_AT); }
inline int __any(int p, CUPORT_SITE) { return cuport::vote(cuport::warp_live_mask(), p, "__any", CUPORT_AT) != 0; }
// Without lock-step there is no notion of "currently converged": the live lanes of the warp are
// what a converged warp would report.
inline cuport::lanemask_t __activemask() { return (cuport::lanemask_t)cuport::warp_live_mask(); }
inline unsigned __lanemask_lt() { return (unsigned)((1ull << cuport::tl_lane) - 1); }
inline unsigned __lanemask_le() { return (unsigned)((2ull << cuport::tl_lane) - 1); }
inline unsigned __lanemask_gt() { return (unsigned)~((2ull << cuport::tl_lane) - 1); }
inline unsigned __lanemask_ge() { return (unsigned)~((1ull << cuport::tl_lane) - 1); }

#define CUPORT_REDUCE(NAME, T, EXPR) \
  inline T NAME(cuport::fullmask_t m, T v, CUPORT_SITE) { \
    return cuport::warp_reduce<T>(m, v, [](T a, T b) { return EXPR; }, #NAME, CUPORT_AT); }
CUPORT_REDUCE(__reduce_add_sync, unsigned, a + b)
CUPORT_REDUCE(__reduce_add_sync, int, a + b)
CUPORT_REDUCE(__reduce_min_sync, unsigned, a < b ? a : b)
CUPORT_REDUCE(__reduce_min_sync, int, a < b ? a : b)
CUPORT_REDUCE(__reduce_max_sync, unsigned, a > b ? a : b)
CUPORT_REDUCE(__reduce_max_sync, int, a > b ? a : b)
CUPORT_REDUCE(__reduce_and_sync, unsigned, a & b)
CUPORT_REDUCE(__reduce_or_sync, unsigned, a | b)
CUPORT_REDUCE(__reduce_xor_sync, unsigned, a ^ b)
#undef CUPORT_REDUCE

template <class T> inline cuport::lanemask_t __match_any_sync(cuport::fullmask_t m, T v, CUPORT_SITE) {
  unsigned long long lanes[64];
  const unsigned long long eff = cuport::warp_gather(m, cuport::to_bits(v), lanes, "__match_any_sync", CUPORT_AT);
  const unsigned long long mine = lanes[cuport::tl_lane];
  unsigned long long bits = 0;
  for (int l = 0; l < 64; ++l)
    if (((eff >> l) & 1ull) && lanes[l] == mine) bits |= 1ull << l;
  return (cuport::lanemask_t)bits;
}
template <class T> inline cuport::lanemask_t __match_all_sync(cuport::fullmask_t m, T v, int* pred, CUPORT_SITE) {
  unsigned long long lanes[64];
  const unsigned long long eff = cuport::warp_gather(m, cuport::to_bits(v), lanes, "__match_all_sync", CUPORT_AT);
  const unsigned long long mine = lanes[cuport::tl_lane];
  for (int l = 0; l < 64; ++l)
    if (((eff >> l) & 1ull) && lanes[l] != mine) { *pred = 0; return 0; }
  *pred = 1;
  return (cuport::lanemask_t)eff;
}

// ---- atomics: real atomics, since blocks run on several OS threads ------------------------------
namespace cuport {
template <class T, class F> inline T atomic_update(T* p, F f) {
  using U = std::conditional_t<sizeof(T) == 8, unsigned long long, std::conditional_t<sizeof(T) == 4, unsigned, unsigned short>>;
  static_assert(sizeof(T) == sizeof(U), "atomic on an unsupported size");
  U* up = reinterpret_cast<U*>(p);
  U old = __atomic_load_n(up, __ATOMIC_RELAXED);
  for (;;) {
    const T cur = from_bits<T>(old);
    const T nxt = f(cur);
    U want;
    std::memcpy(&want, &nxt, sizeof(U));
    if (__atomic_compare_exchange_n(up, &old, want, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) return cur;
  }
}
}  // namespace cuport

#define CUPORT_ATOMIC_INT(T) \
  inline T atomicAdd(T* p, T v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); } \
  inline T atomicSub(T* p, T v) { return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST); } \
  inline T atomicExch(T* p, T v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); } \
  inline T atomicAnd(T* p, T v) { return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); } \
  inline T atomicOr(T* p, T v) { return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); } \
  inline T atomicXor(T* p, T v) { return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); } \
  inline T atomicMin(T* p, T v) { return cuport::atomic_update(p, [v](T o) { return o < v ? o : v; }); } \
  inline T atomicMax(T* p, T v) { return cuport::atomic_update(p, [v](T o) { return o > v ? o : v; }); } \
  inline T atomicCAS(T* p, T cmp, T v) { \
    __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return cmp; }
CUPORT_ATOMIC_INT(int)
CUPORT_ATOMIC_INT(unsigned int)
CUPORT_ATOMIC_INT(unsigned long long)
CUPORT_ATOMIC_INT(long long)
#undef CUPORT_ATOMIC_INT
inline unsigned short atomicCAS(unsigned short* p, unsigned short cmp, unsigned short v) {
  __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return cmp;
}
inline unsigned atomicInc(unsigned* p, unsigned v) {
  return cuport::atomic_update(p, [v](unsigned o) { return o >= v ? 0u : o + 1; });
}
inline unsigned atomicDec(unsigned* p, unsigned v) {
  return cuport::atomic_update(p, [v](unsigned o) { return (o == 0 || o > v) ? v : o - 1; });
}
inline float atomicAdd(float* p, float v) { return cuport::atomic_update(p, [v](float o) { return o + v; }); }
inline double atomicAdd(double* p, double v) { return cuport::atomic_update(p, [v](double o) { return o + v; }); }
inline float atomicSub(float* p, float v) { return cuport::atomic_update(p, [v](float o) { return o - v; }); }
inline float atomicExch(float* p, float v) { return cuport::atomic_update(p, [v](float) { return v; }); }
inline double atomicExch(double* p, double v) { return cuport::atomic_update(p, [v](double) { return v; }); }
// No float/double atomicMin/atomicMax: CUDA has none, and real code defines its own (a definition
// here would clash with theirs).
// the scope variants (_block, _system) are the same operations on a CPU
#define CUPORT_ATOMIC_SCOPES(NAME) \
  template <class... A> inline auto NAME##_block(A... a) -> decltype(NAME(a...)) { return NAME(a...); } \
  template <class... A> inline auto NAME##_system(A... a) -> decltype(NAME(a...)) { return NAME(a...); }
CUPORT_ATOMIC_SCOPES(atomicAdd)
CUPORT_ATOMIC_SCOPES(atomicSub)
CUPORT_ATOMIC_SCOPES(atomicExch)
CUPORT_ATOMIC_SCOPES(atomicMin)
CUPORT_ATOMIC_SCOPES(atomicMax)
CUPORT_ATOMIC_SCOPES(atomicInc)
CUPORT_ATOMIC_SCOPES(atomicDec)
CUPORT_ATOMIC_SCOPES(atomicAnd)
CUPORT_ATOMIC_SCOPES(atomicOr)
CUPORT_ATOMIC_SCOPES(atomicXor)
CUPORT_ATOMIC_SCOPES(atomicCAS)
#undef CUPORT_ATOMIC_SCOPES

// ---- math and bit intrinsics -------------------------------------------------------------------
#include "cuport_math.h"
#include "cuport_half.h"

// ---- cooperative groups live in cooperative_groups.h; the host API below -----------------------
#include "cuport_host.h"

// ---- launching ---------------------------------------------------------------------------------
namespace cuport {
struct LaunchConfig {
  dim3 grid, block;
  std::size_t shared;
  LaunchConfig(dim3 g, dim3 b, std::size_t s = 0, cudaStream_t = nullptr) : grid(g), block(b), shared(s) {}
};
using BodyFn = void (*)(const void*);
// Runs body(ctx) once per CUDA thread of the grid; returns a cudaError_t value.
int run_grid(const LaunchConfig& cfg, BodyFn body, const void* ctx);
// Starts the worker threads now (the driver does so before it times a launch; else the first
// launch starts them).
void start_workers();

template <class F, class Tuple> struct LaunchCtx {
  F* f;
  Tuple* args;
  static void body(const void* p) {
    const LaunchCtx* c = static_cast<const LaunchCtx*>(p);
    std::apply(*c->f, *c->args);
  }
};

// `kern<<<g, b, s, st>>>(args)` becomes launch_kernel(LaunchConfig(g, b, s, st), [&](auto&&... a) { kern(a...); }, args)
// The arguments are evaluated once, like CUDA's; every CUDA thread gets its own copy of the parameters.
template <class F, class... A> inline void launch_kernel(LaunchConfig cfg, F&& f, A&&... a) {
  auto args = std::make_tuple(std::decay_t<A>(std::forward<A>(a))...);
  using Ctx = LaunchCtx<std::remove_reference_t<F>, decltype(args)>;
  Ctx ctx{&f, &args};
  set_last_error(run_grid(cfg, &Ctx::body, &ctx));
}

template <class... P, std::size_t... I>
inline int launch_from_void_args(void (*f)(P...), const LaunchConfig& cfg, void** args, std::index_sequence<I...>) {
  std::tuple<std::decay_t<P>...> t{*static_cast<std::decay_t<P>*>(args[I])...};
  auto call = [f](auto&... a) { f(a...); };
  using Ctx = LaunchCtx<decltype(call), decltype(t)>;
  Ctx ctx{&call, &t};
  return run_grid(cfg, &Ctx::body, &ctx);
}
// cudaLaunchKernel((void*)kern, grid, block, args, shared, stream) is rewritten to keep kern's type.
template <class... P>
inline cudaError_t cuda_launch_kernel(void (*f)(P...), dim3 g, dim3 b, void** args, std::size_t shared = 0, cudaStream_t st = nullptr) {
  const int e = launch_from_void_args(f, LaunchConfig(g, b, shared, st), args, std::index_sequence_for<P...>{});
  set_last_error(e);
  return static_cast<cudaError_t>(e);
}

template <class T> inline void register_symbol_ref(T&) {}
}  // namespace cuport

#endif  // CUPORT_RT_H
