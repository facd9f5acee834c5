// Test kernels for the CPU runtime: one file, compiled once per test session.
#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

__constant__ float coef[4];

__global__ void saxpy(int n, float a, const float* __restrict__ x, float* y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

// mode 0 idx, 1 up, 2 down, 3 xor; every lane offers lane * 10 + 1
__global__ void shuffle(int* out, int mode, int b, int width) {
  int t = threadIdx.x;
  int v = t * 10 + 1;
  int r;
  if (mode == 0) r = __shfl_sync(0xffffffff, v, b, width);
  else if (mode == 1) r = __shfl_up_sync(0xffffffff, v, b, width);
  else if (mode == 2) r = __shfl_down_sync(0xffffffff, v, b, width);
  else r = __shfl_xor_sync(0xffffffff, v, b, width);
  out[t] = r;
}

// only even lanes take part; lane 2k reads from lane src (odd sources are outside the mask)
__global__ void shuffle_even_lanes(int* out, int src) {
  int t = threadIdx.x;
  out[t] = -1;
  if (t % 2 == 0) out[t] = __shfl_sync(0x55555555, t * 10 + 1, src);
}

__global__ void votes(unsigned* ballot, int* any, int* all) {
  int t = threadIdx.x;
  ballot[t] = __ballot_sync(0xffffffff, t % 3 == 0);
  any[t] = __any_sync(0xffffffff, t == 5);
  all[t] = __all_sync(0xffffffff, t < 40);
}

__global__ void warp_reduce_ops(unsigned* sum, unsigned* mx, unsigned* match) {
  unsigned t = threadIdx.x;
  sum[t] = __reduce_add_sync(0xffffffff, t);
  mx[t] = __reduce_max_sync(0xffffffff, t * 7 % 13);
  match[t] = __match_any_sync(0xffffffff, t % 4);
}

// threads at or past n leave before the barrier; PTX lets the others through
__global__ void early_exit_barrier(int n, int* out) {
  __shared__ int s[256];
  int t = threadIdx.x;
  if (t >= n) return;
  s[t] = t * 2;
  __syncthreads();
  out[t] = s[(t + 1) % n];
}

__global__ void barrier_count(int* out) {
  int t = threadIdx.x;
  int c = __syncthreads_count(t % 3 == 0);
  int a = __syncthreads_and(t < 1000);
  int o = __syncthreads_or(t == 7);
  out[t] = c * 100 + a * 10 + o;
}

template <class T, int B>
__global__ void reduce(const T* in, T* out, int n) {
  __shared__ T s[B];
  int i = blockIdx.x * B + threadIdx.x;
  s[threadIdx.x] = i < n ? in[i] : T(0);
  __syncthreads();
  for (int st = B / 2; st > 0; st >>= 1) {
    if (threadIdx.x < st) s[threadIdx.x] += s[threadIdx.x + st];
    __syncthreads();
  }
  if (threadIdx.x == 0) atomicAdd(out, s[0]);
}

__global__ void atomics(int n, float* fsum, double* dsum, int* imax, unsigned* inc, unsigned long long* ucount) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  atomicAdd(fsum, 1.0f);
  atomicAdd(dsum, 0.5);
  atomicMax(imax, (i * 7919) % 10007);
  atomicInc(inc, 99u);
  atomicAdd(ucount, 1ull);
}

__global__ void dynamic_reverse(const float* in, float* out) {
  extern __shared__ float buf[];
  int t = threadIdx.x;
  buf[t] = in[blockIdx.x * blockDim.x + t];
  __syncthreads();
  out[blockIdx.x * blockDim.x + t] = buf[blockDim.x - 1 - t];
}

__global__ void geometry(int* out) {
  int bid = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  int tid = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  int g = bid * blockDim.x * blockDim.y * blockDim.z + tid;
  out[g] = ((blockIdx.z * 4 + blockIdx.y) * 4 + blockIdx.x) * 1000 + (threadIdx.z * 8 + threadIdx.y) * 8 + threadIdx.x;
}

__global__ void warp_info(int* ws, unsigned long long* ballot) {
  int t = threadIdx.x;
  ws[t] = warpSize;
  ballot[t] = __ballot_sync(~0ull, t % 2 == 0);
}

__global__ void use_constant(float* out) { out[threadIdx.x] = coef[threadIdx.x % 4] * 2.0f; }

__global__ void tile_reduce(const int* in, int* out) {
  cg::thread_block block = cg::this_thread_block();
  cg::thread_block_tile<8> tile = cg::tiled_partition<8>(block);
  int v = in[block.thread_rank()];
  for (int o = tile.size() / 2; o > 0; o /= 2) v += tile.shfl_down(v, o);
  block.sync();
  if (tile.thread_rank() == 0) out[tile.meta_group_rank()] = v;
}

__global__ void half_math(const __half* a, __half* out) {
  int t = threadIdx.x;
  out[t] = __hadd(a[t], __float2half(1.5f)) * a[t];
}

__global__ void divergent_barriers(int* out) {
  int t = threadIdx.x;
  if (t < 16) {
    __syncthreads();
  } else {
    __syncthreads();
  }
  out[t] = t;
}

__global__ void shuffle_with_exited_lanes(int* out) {
  int t = threadIdx.x;
  if (t >= 16) return;
  out[t] = __shfl_down_sync(0xffffffff, t, 1);
}

__global__ void spin_forever(volatile int* flag) {
  while (*flag == 0) {
  }
}

__global__ void write_through(int* p) { p[threadIdx.x] = 1; }

__global__ void trap_kernel(int* p) {
  if (threadIdx.x == 3) __trap();
  p[threadIdx.x] = 1;
}

__global__ void shared_overrun(int* out, int i) {
  __shared__ int s[64];
  s[threadIdx.x] = threadIdx.x;
  __syncthreads();
  out[threadIdx.x] = s[i];
}
