// Cooperative groups on the CPU runtime: thread blocks and warp tiles. Tile operations are warp
// rendezvous over the tile's lanes, so they follow the same PTX rules as the *_sync intrinsics.
#pragma once
#include "cuport_rt.h"

namespace cooperative_groups {

class thread_group {
 public:
  thread_group(unsigned long long mask, unsigned size, unsigned rank, bool block)
      : mask_(mask), size_(size), rank_(rank), block_(block) {}
  unsigned size() const { return size_; }
  unsigned num_threads() const { return size_; }
  unsigned thread_rank() const { return rank_; }
  void sync(CUPORT_SITE) const {
    if (block_) cuport::syncthreads(CUPORT_AT);
    else __syncwarp(mask_, CUPORT_AT);
  }
  unsigned long long lane_mask() const { return mask_; }

 protected:
  unsigned long long mask_;
  unsigned size_, rank_;
  bool block_;
};

class thread_block : public thread_group {
 public:
  thread_block() : thread_group(0, blockDim.x * blockDim.y * blockDim.z, cuport::tl_linear, true) {}
  unsigned thread_rank() const { return cuport::tl_linear; }
  dim3 group_index() const { return dim3(blockIdx.x, blockIdx.y, blockIdx.z); }
  dim3 thread_index() const { return dim3(threadIdx.x, threadIdx.y, threadIdx.z); }
  dim3 group_dim() const { return blockDim; }
  dim3 dim_threads() const { return blockDim; }
  void sync(CUPORT_SITE) const { cuport::syncthreads(CUPORT_AT); }
  static void barrier_wait() { cuport::syncthreads(__builtin_FILE(), __builtin_LINE()); }
};

inline thread_block this_thread_block() { return thread_block(); }

// A tile of `n` consecutive lanes of a warp (n a power of two, at most warpSize).
class dynamic_tile {
 public:
  explicit dynamic_tile(unsigned n) : n_(n) {
    const unsigned lane = cuport::tl_lane;
    base_ = lane / n * n;
    const unsigned long long lanes = n >= 64 ? ~0ull : ((1ull << n) - 1);
    mask_ = lanes << base_;
  }
  unsigned size() const { return n_; }
  unsigned num_threads() const { return n_; }
  unsigned thread_rank() const { return cuport::tl_lane - base_; }
  unsigned meta_group_rank() const { return (cuport::tl_linear % (unsigned)warpSize) / n_ + (cuport::tl_linear / (unsigned)warpSize) * ((unsigned)warpSize / n_); }
  unsigned meta_group_size() const {
    const unsigned threads = blockDim.x * blockDim.y * blockDim.z;
    return (threads + n_ - 1) / n_;
  }
  void sync(CUPORT_SITE) const { __syncwarp(mask_, CUPORT_AT); }
  template <class T> T shfl(T v, int src, CUPORT_SITE) const {
    return cuport::shfl(mask_, v, cuport::SHFL_IDX, src, (int)n_, "tile.shfl", CUPORT_AT);
  }
  template <class T> T shfl_down(T v, unsigned d, CUPORT_SITE) const {
    return cuport::shfl(mask_, v, cuport::SHFL_DOWN, (int)d, (int)n_, "tile.shfl_down", CUPORT_AT);
  }
  template <class T> T shfl_up(T v, unsigned d, CUPORT_SITE) const {
    return cuport::shfl(mask_, v, cuport::SHFL_UP, (int)d, (int)n_, "tile.shfl_up", CUPORT_AT);
  }
  template <class T> T shfl_xor(T v, unsigned m, CUPORT_SITE) const {
    return cuport::shfl(mask_, v, cuport::SHFL_BFLY, (int)m, (int)n_, "tile.shfl_xor", CUPORT_AT);
  }
  unsigned ballot(int p, CUPORT_SITE) const {
    return (unsigned)(cuport::vote(mask_, p, "tile.ballot", CUPORT_AT) >> base_);
  }
  bool any(int p, CUPORT_SITE) const { return cuport::vote(mask_, p, "tile.any", CUPORT_AT) != 0; }
  bool all(int p, CUPORT_SITE) const { return cuport::vote(mask_, p, "tile.all", CUPORT_AT) == (mask_ & cuport::warp_live_mask()); }
  template <class T> unsigned match_any(T v, CUPORT_SITE) const {
    return (unsigned)(__match_any_sync(mask_, v, CUPORT_AT) >> base_);
  }
  unsigned long long lane_mask() const { return mask_; }
  // As in CUDA, a tile is a thread_group (`cg::thread_group t = cg::tiled_partition(block, 8);`).
  operator thread_group() const { return thread_group(mask_, n_, thread_rank(), false); }

 protected:
  unsigned n_, base_;
  unsigned long long mask_;
};

template <unsigned N> class thread_block_tile : public dynamic_tile {
 public:
  thread_block_tile() : dynamic_tile(N) {}
  static constexpr unsigned size() { return N; }
  static constexpr unsigned num_threads() { return N; }
};

template <unsigned N, class Parent> inline thread_block_tile<N> tiled_partition(const Parent&) {
  static_assert((N & (N - 1)) == 0 && N <= 64, "tile size must be a power of two up to the warp size");
  return thread_block_tile<N>();
}
inline dynamic_tile tiled_partition(const thread_block&, unsigned n) { return dynamic_tile(n); }
inline dynamic_tile tiled_partition(const dynamic_tile&, unsigned n) { return dynamic_tile(n); }

// Without lock-step, the coalesced group is the warp's live lanes.
class coalesced_group : public dynamic_tile {
 public:
  coalesced_group() : dynamic_tile((unsigned)warpSize) { mask_ = cuport::warp_live_mask(); }
  unsigned size() const { return (unsigned)__builtin_popcountll(mask_); }
  unsigned num_threads() const { return size(); }
  unsigned thread_rank() const { return (unsigned)__builtin_popcountll(mask_ & ((1ull << cuport::tl_lane) - 1)); }
};
inline coalesced_group coalesced_threads() { return coalesced_group(); }

class grid_group {
 public:
  void sync(CUPORT_SITE) const { cuport::trap("grid_group::sync (grid-wide barriers are not supported)", CUPORT_AT); }
  unsigned long long size() const {
    return (unsigned long long)gridDim.x * gridDim.y * gridDim.z * blockDim.x * blockDim.y * blockDim.z;
  }
  unsigned long long thread_rank() const {
    const unsigned long long b = blockIdx.x + (unsigned long long)gridDim.x * (blockIdx.y + (unsigned long long)gridDim.y * blockIdx.z);
    return b * blockDim.x * blockDim.y * blockDim.z + cuport::tl_linear;
  }
  bool is_valid() const { return true; }
};
inline grid_group this_grid() { return grid_group(); }

// cg::sync(group) is group.sync()
template <class Group> inline void sync(const Group& g, CUPORT_SITE) { g.sync(CUPORT_AT); }

template <class T> struct plus { T operator()(const T& a, const T& b) const { return a + b; } };
template <class T> struct less { T operator()(const T& a, const T& b) const { return a < b ? a : b; } };
template <class T> struct greater { T operator()(const T& a, const T& b) const { return a > b ? a : b; } };
template <class T> struct bit_and { T operator()(const T& a, const T& b) const { return a & b; } };
template <class T> struct bit_or { T operator()(const T& a, const T& b) const { return a | b; } };
template <class T> struct bit_xor { T operator()(const T& a, const T& b) const { return a ^ b; } };

// cg::reduce: every lane of the tile gets the reduction of the tile's values (in lane order)
template <class Tile, class T, class Op> inline T reduce(const Tile& tile, T v, Op op, CUPORT_SITE) {
  unsigned long long lanes[64];
  const unsigned long long eff = cuport::warp_gather(tile.lane_mask(), cuport::to_bits(v), lanes, "cg::reduce", CUPORT_AT);
  bool first = true;
  T acc{};
  for (int l = 0; l < 64; ++l) {
    if (!((eff >> l) & 1ull)) continue;
    const T x = cuport::from_bits<T>(lanes[l]);
    acc = first ? x : op(acc, x);
    first = false;
  }
  return acc;
}
template <class Tile, class T, class Op> inline T inclusive_scan(const Tile& tile, T v, Op op, CUPORT_SITE) {
  unsigned long long lanes[64];
  const unsigned long long eff = cuport::warp_gather(tile.lane_mask(), cuport::to_bits(v), lanes, "cg::inclusive_scan", CUPORT_AT);
  bool first = true;
  T acc{};
  for (unsigned l = 0; l <= cuport::tl_lane; ++l) {
    if (!((eff >> l) & 1ull)) continue;
    const T x = cuport::from_bits<T>(lanes[l]);
    acc = first ? x : op(acc, x);
    first = false;
  }
  return acc;
}
template <class Tile, class T> inline T inclusive_scan(const Tile& tile, T v, CUPORT_SITE) {
  return inclusive_scan(tile, v, plus<T>(), CUPORT_AT);
}
template <class Tile, class T, class Op> inline T exclusive_scan(const Tile& tile, T v, Op op, CUPORT_SITE) {
  unsigned long long lanes[64];
  const unsigned long long eff = cuport::warp_gather(tile.lane_mask(), cuport::to_bits(v), lanes, "cg::exclusive_scan", CUPORT_AT);
  bool first = true;
  T acc{};
  for (unsigned l = 0; l < cuport::tl_lane; ++l) {
    if (!((eff >> l) & 1ull)) continue;
    const T x = cuport::from_bits<T>(lanes[l]);
    acc = first ? x : op(acc, x);
    first = false;
  }
  return acc;
}
template <class Tile, class T> inline T exclusive_scan(const Tile& tile, T v, CUPORT_SITE) {
  return exclusive_scan(tile, v, plus<T>(), CUPORT_AT);
}

}  // namespace cooperative_groups
