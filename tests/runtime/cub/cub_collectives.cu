// Small kernels written for cuport's tests: CUB block and warp collectives, run on the CPU runtime's
// CUB shim (checked against numpy) and ported to OpenCL through the IR lowering (checked against
// the CPU run).
#include <cub/cub.cuh>

// A 16 x 4 block: the block's sum and maximum of one value per thread.
__global__ void block_sum_max(const float* in, float* sums, float* maxes) {
  typedef cub::BlockReduce<float, 16, cub::BLOCK_REDUCE_WARP_REDUCTIONS, 4> Reduce;
  __shared__ typename Reduce::TempStorage temp;
  int rank = threadIdx.y * 16 + threadIdx.x;
  float v = in[blockIdx.x * 64 + rank];
  float s = Reduce(temp).Sum(v);
  float m = Reduce(temp).Reduce(v, cub::Max());
  if (rank == 0) {
    sums[blockIdx.x] = s;
    maxes[blockIdx.x] = m;
  }
}

// Tiles of 32 threads x 4 items: blocked load (the tail guarded, padded with 0), exclusive sum
// with the tile's total, striped store of the tail-guarded result.
__global__ void tile_scan(const int* in, int* out, int* totals, int n) {
  typedef cub::BlockLoad<int, 32, 4, cub::BLOCK_LOAD_WARP_TRANSPOSE> Load;
  typedef cub::BlockScan<int, 32> Scan;
  typedef cub::BlockStore<int, 32, 4, cub::BLOCK_STORE_STRIPED> Store;
  __shared__ union {
    typename Load::TempStorage load;
    typename Scan::TempStorage scan;
    typename Store::TempStorage store;
  } temp;
  int base = blockIdx.x * 128;
  int items[4];
  Load(temp.load).Load(in + base, items, n - base, 0);
  int total;
  Scan(temp.scan).ExclusiveSum(items, items, total);
  __syncthreads();
  Store(temp.store).Store(out + base, items, n - base);
  if (threadIdx.x == 0) totals[blockIdx.x] = total;
}

// One value per thread of a 64-thread block: the inclusive prefix sum over the block.
__global__ void block_inclusive(const float* in, float* out) {
  using Scan = cub::BlockScan<float, 64>;
  __shared__ Scan::TempStorage temp;
  float v;
  Scan(temp).InclusiveSum(in[blockIdx.x * 64 + threadIdx.x], v);
  out[blockIdx.x * 64 + threadIdx.x] = v;
}

// 64-thread blocks: each warp's sum (lane 0 writes it) and, per 16-lane group, the exclusive
// prefix sum and the group's total.
__global__ void warp_sum_scan(const int* in, int* warp_sums, int* offsets, int* totals) {
  typedef cub::WarpReduce<int> WarpReduce;
  typedef cub::WarpScan<int, 16> WarpScan;
  __shared__ typename WarpReduce::TempStorage reduce_temp[2];
  __shared__ typename WarpScan::TempStorage scan_temp[4];
  int t = blockIdx.x * 64 + threadIdx.x;
  int v = in[t];
  int s = WarpReduce(reduce_temp[threadIdx.x / 32]).Sum(v);
  if (threadIdx.x % 32 == 0) warp_sums[t / 32] = s;
  int offset, total;
  WarpScan(scan_temp[threadIdx.x / 16]).ExclusiveSum(v, offset, total);
  offsets[t] = offset;
  totals[t] = total;
}
