// CUB shim for the cuport CPU runtime: cub::WarpReduce<T, WIDTH> over logical warps of WIDTH lanes
// (lane = hardware lane % WIDTH). Lane 0 of each logical warp gets the reduction of lanes
// [0, valid), the only result CUB defines; the other lanes get partial results.
#pragma once
#include "../cuport_common.cuh"

namespace cub {

template <class T, int WIDTH = 32, int LEGACY_PTX_ARCH = 0>
class WarpReduce {
 public:
  struct TempStorage {};  // the runtime's shuffles need no shared memory

  __device__ explicit WarpReduce(TempStorage&) {}

  __device__ T Sum(T input) { return Tree(input, cub::Sum(), WIDTH); }
  __device__ T Sum(T input, int valid) { return Tree(input, cub::Sum(), valid); }
  template <class Op> __device__ T Reduce(T input, Op op) { return Tree(input, op, WIDTH); }
  template <class Op> __device__ T Reduce(T input, Op op, int valid) { return Tree(input, op, valid); }

 private:
  template <class Op> __device__ static T Tree(T v, Op op, int valid) {
    const int lane = (int)(cuport::lane_id() % WIDTH);
    for (int offset = WIDTH / 2; offset > 0; offset /= 2) {
      T other = __shfl_down_sync(0xffffffffu, v, offset, WIDTH);
      if (lane + offset < valid) v = op(v, other);
    }
    return v;
  }
};

}  // namespace cub
