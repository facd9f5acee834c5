// CUB shim for the cuport CPU runtime: cub::WarpScan<T, WIDTH> (lane = hardware lane % WIDTH).
// InclusiveSum/InclusiveScan: the combination of lanes 0..lane; ExclusiveSum: that of lanes before,
// 0 (T()) in lane 0; ExclusiveScan(init): init first, init in lane 0. The aggregate (all lanes of
// the logical warp) goes to every lane.
#pragma once
#include "../cuport_common.cuh"

namespace cub {

template <class T, int WIDTH = 32, int LEGACY_PTX_ARCH = 0>
class WarpScan {
 public:
  struct TempStorage {};

  __device__ explicit WarpScan(TempStorage&) {}

  __device__ void InclusiveSum(T in, T& out) { T a; InclusiveScan(in, out, cub::Sum(), a); }
  __device__ void InclusiveSum(T in, T& out, T& aggregate) { InclusiveScan(in, out, cub::Sum(), aggregate); }
  __device__ void ExclusiveSum(T in, T& out) { T a; ExclusiveScan(in, out, T(), cub::Sum(), a); }
  __device__ void ExclusiveSum(T in, T& out, T& aggregate) { ExclusiveScan(in, out, T(), cub::Sum(), aggregate); }
  template <class Op> __device__ void InclusiveScan(T in, T& out, Op op) { T a; InclusiveScan(in, out, op, a); }
  template <class Op> __device__ void InclusiveScan(T in, T& out, Op op, T& aggregate) {
    out = Inclusive(in, op);
    aggregate = __shfl_sync(0xffffffffu, out, WIDTH - 1, WIDTH);
  }
  template <class Op> __device__ void ExclusiveScan(T in, T& out, T init, Op op) { T a; ExclusiveScan(in, out, init, op, a); }
  template <class Op> __device__ void ExclusiveScan(T in, T& out, T init, Op op, T& aggregate) {
    T inclusive = Inclusive(in, op);
    T before = __shfl_up_sync(0xffffffffu, inclusive, 1, WIDTH);
    aggregate = __shfl_sync(0xffffffffu, inclusive, WIDTH - 1, WIDTH);
    out = (cuport::lane_id() % WIDTH) == 0 ? init : op(init, before);
  }

 private:
  template <class Op> __device__ static T Inclusive(T v, Op op) {
    const unsigned lane = cuport::lane_id() % WIDTH;
    for (int offset = 1; offset < WIDTH; offset *= 2) {
      T other = __shfl_up_sync(0xffffffffu, v, offset, WIDTH);
      if (lane >= (unsigned)offset) v = op(other, v);
    }
    return v;
  }
};

}  // namespace cub
