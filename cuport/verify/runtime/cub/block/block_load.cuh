// CUB shim for the cuport CPU runtime: cub::BlockLoad<T, X, ITEMS, ALGORITHM, Y, Z> and the
// LoadDirectBlocked / LoadDirectStriped helpers. Item i of thread r is element r*ITEMS + i for every
// algorithm that ends in a blocked arrangement (DIRECT, VECTORIZE, TRANSPOSE, WARP_TRANSPOSE*), and
// element i*THREADS + r for STRIPED. Guarded loads read elements below `valid` only and leave the
// other items as they were, unless a default is given, which every item gets first.
#pragma once
#include "../cuport_common.cuh"

namespace cub {

enum BlockLoadAlgorithm {
  BLOCK_LOAD_DIRECT, BLOCK_LOAD_STRIPED, BLOCK_LOAD_VECTORIZE, BLOCK_LOAD_TRANSPOSE,
  BLOCK_LOAD_WARP_TRANSPOSE, BLOCK_LOAD_WARP_TRANSPOSE_TIMESLICED
};

template <class T, int ITEMS, class It> __device__ void LoadDirectBlocked(int rank, It src, T (&items)[ITEMS]) {
  for (int i = 0; i < ITEMS; ++i) items[i] = src[rank * ITEMS + i];
}
template <class T, int ITEMS, class It> __device__ void LoadDirectBlocked(int rank, It src, T (&items)[ITEMS], int valid) {
  for (int i = 0; i < ITEMS; ++i)
    if (rank * ITEMS + i < valid) items[i] = src[rank * ITEMS + i];
}
template <int THREADS, class T, int ITEMS, class It> __device__ void LoadDirectStriped(int rank, It src, T (&items)[ITEMS]) {
  for (int i = 0; i < ITEMS; ++i) items[i] = src[i * THREADS + rank];
}
template <int THREADS, class T, int ITEMS, class It> __device__ void LoadDirectStriped(int rank, It src, T (&items)[ITEMS], int valid) {
  for (int i = 0; i < ITEMS; ++i)
    if (i * THREADS + rank < valid) items[i] = src[i * THREADS + rank];
}

template <class T, int BLOCK_DIM_X, int ITEMS, BlockLoadAlgorithm ALGORITHM = BLOCK_LOAD_DIRECT,
          int BLOCK_DIM_Y = 1, int BLOCK_DIM_Z = 1, int LEGACY_PTX_ARCH = 0>
class BlockLoad {
  static constexpr int THREADS = BLOCK_DIM_X * BLOCK_DIM_Y * BLOCK_DIM_Z;

 public:
  struct TempStorage {};  // no exchange through shared memory is needed to get the same items

  __device__ BlockLoad() : rank_(detail::block_rank<BLOCK_DIM_X, BLOCK_DIM_Y, BLOCK_DIM_Z>()) {}
  __device__ explicit BlockLoad(TempStorage&) : BlockLoad() {}

  template <class It> __device__ void Load(It src, T (&items)[ITEMS]) { Guarded(src, items, THREADS * ITEMS); }
  template <class It> __device__ void Load(It src, T (&items)[ITEMS], int valid) { Guarded(src, items, valid); }
  template <class It, class D> __device__ void Load(It src, T (&items)[ITEMS], int valid, D oob_default) {
    for (int i = 0; i < ITEMS; ++i) items[i] = oob_default;
    Guarded(src, items, valid);
  }

 private:
  template <class It> __device__ void Guarded(It src, T (&items)[ITEMS], int valid) {
    if (ALGORITHM == BLOCK_LOAD_STRIPED) LoadDirectStriped<THREADS>(rank_, src, items, valid);
    else LoadDirectBlocked(rank_, src, items, valid);
  }
  int rank_;
};

}  // namespace cub
