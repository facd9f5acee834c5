// CUB shim for the cuport CPU runtime: cub::BlockStore<T, X, ITEMS, ALGORITHM, Y, Z> and the
// StoreDirectBlocked / StoreDirectStriped helpers; the arrangements of block_load.cuh. Guarded
// stores write elements below `valid` only.
#pragma once
#include "../cuport_common.cuh"

namespace cub {

enum BlockStoreAlgorithm {
  BLOCK_STORE_DIRECT, BLOCK_STORE_STRIPED, BLOCK_STORE_VECTORIZE, BLOCK_STORE_TRANSPOSE,
  BLOCK_STORE_WARP_TRANSPOSE, BLOCK_STORE_WARP_TRANSPOSE_TIMESLICED
};

template <class T, int ITEMS, class It> __device__ void StoreDirectBlocked(int rank, It dst, T (&items)[ITEMS]) {
  for (int i = 0; i < ITEMS; ++i) dst[rank * ITEMS + i] = items[i];
}
template <class T, int ITEMS, class It> __device__ void StoreDirectBlocked(int rank, It dst, T (&items)[ITEMS], int valid) {
  for (int i = 0; i < ITEMS; ++i)
    if (rank * ITEMS + i < valid) dst[rank * ITEMS + i] = items[i];
}
template <int THREADS, class T, int ITEMS, class It> __device__ void StoreDirectStriped(int rank, It dst, T (&items)[ITEMS]) {
  for (int i = 0; i < ITEMS; ++i) dst[i * THREADS + rank] = items[i];
}
template <int THREADS, class T, int ITEMS, class It> __device__ void StoreDirectStriped(int rank, It dst, T (&items)[ITEMS], int valid) {
  for (int i = 0; i < ITEMS; ++i)
    if (i * THREADS + rank < valid) dst[i * THREADS + rank] = items[i];
}

template <class T, int BLOCK_DIM_X, int ITEMS, BlockStoreAlgorithm ALGORITHM = BLOCK_STORE_DIRECT,
          int BLOCK_DIM_Y = 1, int BLOCK_DIM_Z = 1, int LEGACY_PTX_ARCH = 0>
class BlockStore {
  static constexpr int THREADS = BLOCK_DIM_X * BLOCK_DIM_Y * BLOCK_DIM_Z;

 public:
  struct TempStorage {};

  __device__ BlockStore() : rank_(detail::block_rank<BLOCK_DIM_X, BLOCK_DIM_Y, BLOCK_DIM_Z>()) {}
  __device__ explicit BlockStore(TempStorage&) : BlockStore() {}

  template <class It> __device__ void Store(It dst, T (&items)[ITEMS]) { Store(dst, items, THREADS * ITEMS); }
  template <class It> __device__ void Store(It dst, T (&items)[ITEMS], int valid) {
    if (ALGORITHM == BLOCK_STORE_STRIPED) StoreDirectStriped<THREADS>(rank_, dst, items, valid);
    else StoreDirectBlocked(rank_, dst, items, valid);
  }

 private:
  int rank_;
};

}  // namespace cub
