// CUB shim for the cuport CPU runtime: the pieces every collective shares. Written from CUB's
// documented behaviour (not from its sources): the functors, the block's row-major thread rank.
#pragma once
#include "../cuport_rt.h"

namespace cub {

struct Sum {
  template <class T> __device__ T operator()(const T& a, const T& b) const { return a + b; }
};
// CUB's Max and Min return `a` unless `b` is strictly larger (smaller): NaN and ties keep `a`.
struct Max {
  template <class T> __device__ T operator()(const T& a, const T& b) const { return (a < b) ? b : a; }
};
struct Min {
  template <class T> __device__ T operator()(const T& a, const T& b) const { return (b < a) ? b : a; }
};

namespace detail {
// The rank CUB gives a thread of a BLOCK_DIM_X x Y x Z block: x fastest, then y, then z.
template <int X, int Y, int Z> __device__ inline int block_rank() {
  return (Z > 1 ? (int)threadIdx.z * X * Y : 0) + (Y > 1 ? (int)threadIdx.y * X : 0) + (int)threadIdx.x;
}
}  // namespace detail

}  // namespace cub
