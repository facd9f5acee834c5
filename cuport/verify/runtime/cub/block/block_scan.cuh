// CUB shim for the cuport CPU runtime: cub::BlockScan<T, X, ALGORITHM, Y, Z>.
// Each thread folds its items in order, thread 0 scans the threads' partials in rank order, and
// each thread then scans its own items from its prefix. ExclusiveSum gives thread 0 the value 0
// (T()), ExclusiveScan with an initial value gives it that value, and the block aggregate goes to
// every thread, all as CUB documents. All threads of the block must call it.
#pragma once
#include "../cuport_common.cuh"

namespace cub {

enum BlockScanAlgorithm { BLOCK_SCAN_RAKING, BLOCK_SCAN_RAKING_MEMOIZE, BLOCK_SCAN_WARP_SCANS };

template <class T, int BLOCK_DIM_X, BlockScanAlgorithm ALGORITHM = BLOCK_SCAN_RAKING,
          int BLOCK_DIM_Y = 1, int BLOCK_DIM_Z = 1, int LEGACY_PTX_ARCH = 0>
class BlockScan {
  static constexpr int THREADS = BLOCK_DIM_X * BLOCK_DIM_Y * BLOCK_DIM_Z;

 public:
  struct TempStorage {
    T slot[THREADS];
    T aggregate;
  };

  __device__ explicit BlockScan(TempStorage& storage) : s_(storage), rank_(detail::block_rank<BLOCK_DIM_X, BLOCK_DIM_Y, BLOCK_DIM_Z>()) {}

  __device__ void ExclusiveSum(T in, T& out) { T a; ExclusiveSum(in, out, a); }
  __device__ void ExclusiveSum(T in, T& out, T& aggregate) { ExclusiveScan(in, out, T(), cub::Sum(), aggregate); }
  __device__ void InclusiveSum(T in, T& out) { T a; InclusiveSum(in, out, a); }
  __device__ void InclusiveSum(T in, T& out, T& aggregate) { InclusiveScan(in, out, cub::Sum(), aggregate); }
  template <int I> __device__ void ExclusiveSum(T (&in)[I], T (&out)[I]) { T a; ExclusiveSum(in, out, a); }
  template <int I> __device__ void ExclusiveSum(T (&in)[I], T (&out)[I], T& aggregate) { ExclusiveScan(in, out, T(), cub::Sum(), aggregate); }
  template <int I> __device__ void InclusiveSum(T (&in)[I], T (&out)[I]) { T a; InclusiveSum(in, out, a); }
  template <int I> __device__ void InclusiveSum(T (&in)[I], T (&out)[I], T& aggregate) { InclusiveScan(in, out, cub::Sum(), aggregate); }

  template <class Op> __device__ void ExclusiveScan(T in, T& out, T init, Op op) { T a; ExclusiveScan(in, out, init, op, a); }
  template <class Op> __device__ void ExclusiveScan(T in, T& out, T init, Op op, T& aggregate) {
    out = Prefix(in, &init, op, aggregate);
  }
  template <class Op> __device__ void InclusiveScan(T in, T& out, Op op) { T a; InclusiveScan(in, out, op, a); }
  template <class Op> __device__ void InclusiveScan(T in, T& out, Op op, T& aggregate) {
    T prefix = Prefix(in, nullptr, op, aggregate);
    out = rank_ == 0 ? in : op(prefix, in);
  }
  template <int I, class Op> __device__ void ExclusiveScan(T (&in)[I], T (&out)[I], T init, Op op) { T a; ExclusiveScan(in, out, init, op, a); }
  template <int I, class Op> __device__ void ExclusiveScan(T (&in)[I], T (&out)[I], T init, Op op, T& aggregate) {
    T running = Prefix(Fold(in, op), &init, op, aggregate);
    for (int i = 0; i < I; ++i) {  // read before write: in and out may be one array
      T item = in[i];
      out[i] = running;
      running = op(running, item);
    }
  }
  template <int I, class Op> __device__ void InclusiveScan(T (&in)[I], T (&out)[I], Op op) { T a; InclusiveScan(in, out, op, a); }
  template <int I, class Op> __device__ void InclusiveScan(T (&in)[I], T (&out)[I], Op op, T& aggregate) {
    T prefix = Prefix(Fold(in, op), nullptr, op, aggregate);
    T running = rank_ == 0 ? in[0] : op(prefix, in[0]);
    out[0] = running;
    for (int i = 1; i < I; ++i) {
      running = op(running, in[i]);
      out[i] = running;
    }
  }

 private:
  template <int I, class Op> __device__ static T Fold(T (&in)[I], Op op) {
    T acc = in[0];
    for (int i = 1; i < I; ++i) acc = op(acc, in[i]);
    return acc;
  }
  // The combination of the partials of the threads before this one (with `init` first when
  // given; thread 0 gets `init`, or T() when there is none), and the block's aggregate.
  template <class Op> __device__ T Prefix(T partial, const T* init, Op op, T& aggregate) {
    s_.slot[rank_] = partial;
    __syncthreads();
    if (rank_ == 0) {
      T running = init != nullptr ? *init : s_.slot[0];
      bool started = init != nullptr;
      T total = s_.slot[0];
      for (int i = 0; i < THREADS; ++i) {
        T mine = s_.slot[i];
        s_.slot[i] = started ? running : T();
        running = started ? op(running, mine) : mine;
        started = true;
        if (i > 0) total = op(total, mine);
      }
      s_.aggregate = total;
    }
    __syncthreads();
    T prefix = s_.slot[rank_];
    aggregate = s_.aggregate;
    __syncthreads();
    return prefix;
  }

  TempStorage& s_;
  int rank_;
};

}  // namespace cub
