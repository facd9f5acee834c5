// CUB shim for the cuport CPU runtime: cub::BlockReduce<T, X, ALGORITHM, Y, Z>.
// Every thread deposits its value; thread 0 folds the deposits in rank order; every thread gets the
// result (CUB defines it for thread 0 only, so any thread reading it there gets what thread 0 gets).
// All threads of the block must call it, as in CUB; the storage is reusable when it returns.
#pragma once
#include "../cuport_common.cuh"

namespace cub {

enum BlockReduceAlgorithm { BLOCK_REDUCE_RAKING_COMMUTATIVE_ONLY, BLOCK_REDUCE_RAKING, BLOCK_REDUCE_WARP_REDUCTIONS };

template <class T, int BLOCK_DIM_X, BlockReduceAlgorithm ALGORITHM = BLOCK_REDUCE_WARP_REDUCTIONS,
          int BLOCK_DIM_Y = 1, int BLOCK_DIM_Z = 1, int LEGACY_PTX_ARCH = 0>
class BlockReduce {
  static constexpr int THREADS = BLOCK_DIM_X * BLOCK_DIM_Y * BLOCK_DIM_Z;

 public:
  struct TempStorage {
    T slot[THREADS];
    T result;
  };

  __device__ explicit BlockReduce(TempStorage& storage) : s_(storage), rank_(detail::block_rank<BLOCK_DIM_X, BLOCK_DIM_Y, BLOCK_DIM_Z>()) {}

  template <class Op> __device__ T Reduce(T input, Op op) { return Fold(input, op, THREADS); }
  template <class Op> __device__ T Reduce(T input, Op op, int num_valid) { return Fold(input, op, num_valid); }
  template <int ITEMS, class Op> __device__ T Reduce(T (&inputs)[ITEMS], Op op) {
    T partial = inputs[0];
    for (int i = 1; i < ITEMS; ++i) partial = op(partial, inputs[i]);
    return Fold(partial, op, THREADS);
  }
  __device__ T Sum(T input) { return Fold(input, cub::Sum(), THREADS); }
  __device__ T Sum(T input, int num_valid) { return Fold(input, cub::Sum(), num_valid); }
  template <int ITEMS> __device__ T Sum(T (&inputs)[ITEMS]) { return Reduce(inputs, cub::Sum()); }

 private:
  template <class Op> __device__ T Fold(T input, Op op, int num_valid) {
    s_.slot[rank_] = input;
    __syncthreads();
    if (rank_ == 0) {
      T acc = s_.slot[0];
      for (int i = 1; i < num_valid && i < THREADS; ++i) acc = op(acc, s_.slot[i]);
      s_.result = acc;
    }
    __syncthreads();
    T out = s_.result;
    __syncthreads();
    return out;
  }

  TempStorage& s_;
  int rank_;
};

}  // namespace cub
