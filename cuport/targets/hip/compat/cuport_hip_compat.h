// Compatibility for compiling modern-HIP ports with an older HIP (the Debian toolchain is 5.2).
// Force-included by the compile check only (`-include cuport_hip_compat.h`); ports never include
// it. Each definition is a HIP API newer than 5.2, built from what 5.2 has, and is skipped where
// the toolchain already provides it.
#pragma once
#include <hip/hip_runtime.h>

#if defined(__HIP_PLATFORM_AMD__) && (HIP_VERSION_MAJOR < 6 || (HIP_VERSION_MAJOR == 6 && HIP_VERSION_MINOR < 2))
// *_sync warp functions (ROCm 6.2): the mask names the lanes that take part. On AMD hardware a
// wavefront executes in lock-step, so the non-sync forms over the active lanes do the same work.
#define CUPORT_HIP_SYNC_MASK_CHECK(MaskT) \
  static_assert(sizeof(MaskT) == 8, "cuport: HIP *_sync masks are 64-bit")
template <class MaskT, class T>
__device__ inline T __shfl_sync(MaskT mask, T var, int src, int width = warpSize) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); (void)mask; return __shfl(var, src, width);
}
template <class MaskT, class T>
__device__ inline T __shfl_up_sync(MaskT mask, T var, unsigned int delta, int width = warpSize) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); (void)mask; return __shfl_up(var, delta, width);
}
template <class MaskT, class T>
__device__ inline T __shfl_down_sync(MaskT mask, T var, unsigned int delta, int width = warpSize) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); (void)mask; return __shfl_down(var, delta, width);
}
template <class MaskT, class T>
__device__ inline T __shfl_xor_sync(MaskT mask, T var, int lane_mask, int width = warpSize) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); (void)mask; return __shfl_xor(var, lane_mask, width);
}
template <class MaskT>
__device__ inline unsigned long long __ballot_sync(MaskT mask, int predicate) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); return __ballot(predicate) & mask;
}
template <class MaskT>
__device__ inline int __any_sync(MaskT mask, int predicate) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); return (__ballot(predicate) & mask) != 0;
}
template <class MaskT>
__device__ inline int __all_sync(MaskT mask, int predicate) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); return (__ballot(predicate) & mask) == (__ballot(1) & mask);
}
template <class MaskT>
__device__ inline void __syncwarp(MaskT mask) {
  CUPORT_HIP_SYNC_MASK_CHECK(MaskT); (void)mask; __builtin_amdgcn_wave_barrier();
}
__device__ inline void __syncwarp() { __builtin_amdgcn_wave_barrier(); }
#endif
