// cub::BlockReduce: the alias records (T, N), TempStorage is a shared T[N], and Sum / Reduce(Max)
// become a shared-memory tree before the statement whose result every thread reads.
// TEMPLATE: block_sum T=float
template <typename T>
__global__ void block_sum(const T* in, T* out, int n) {
  using BlockReduce = cub::BlockReduce<T, 96>;
  __shared__ typename BlockReduce::TempStorage temp;
  T total = BlockReduce(temp).Sum(in[threadIdx.x]);
  T biggest = BlockReduce(temp).Reduce(in[threadIdx.x], cub::Max());
  if (threadIdx.x == 0) out[blockIdx.x] = total + biggest;
}
typedef cub::BlockReduce<int, 64> IntReduce;
__global__ void partial_count(const int* in, int* out, int valid) {
  __shared__ IntReduce::TempStorage storage;
  out[0] = IntReduce(storage).Sum(in[threadIdx.x], valid);
}

/* EXPECT-IR
template <typename T = float>
__global__ void block_sum(const float* in, float* out, int n) {
  __shared__ float temp[96];
  const unsigned int cub_rank_1 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  temp[cub_rank_1] = in[threadIdx.x];
  __syncthreads();
  for (unsigned int cub_stride_2 = 64u; cub_stride_2 > 0u; cub_stride_2 >>= 1) {
    if (cub_rank_1 < cub_stride_2 && cub_rank_1 + cub_stride_2 < 96u) {
      temp[cub_rank_1] = temp[cub_rank_1] + temp[cub_rank_1 + cub_stride_2];
    }
    __syncthreads();
  }
  float cub_reduce_3 = temp[0u];
  __syncthreads();
  float total = cub_reduce_3;
  const unsigned int cub_rank_4 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  temp[cub_rank_4] = in[threadIdx.x];
  __syncthreads();
  for (unsigned int cub_stride_5 = 64u; cub_stride_5 > 0u; cub_stride_5 >>= 1) {
    if (cub_rank_4 < cub_stride_5 && cub_rank_4 + cub_stride_5 < 96u) {
      temp[cub_rank_4] = temp[cub_rank_4] < temp[cub_rank_4 + cub_stride_5] ? temp[cub_rank_4 + cub_stride_5] : temp[cub_rank_4];
    }
    __syncthreads();
  }
  float cub_reduce_6 = temp[0u];
  __syncthreads();
  float biggest = cub_reduce_6;
  if (threadIdx.x == (unsigned int)0) {
    out[blockIdx.x] = total + biggest;
  }
}

__global__ void partial_count(const int* in, int* out, int valid) {
  __shared__ int storage[64];
  const unsigned int cub_rank_1 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  storage[cub_rank_1] = in[threadIdx.x];
  __syncthreads();
  for (unsigned int cub_stride_2 = 32u; cub_stride_2 > 0u; cub_stride_2 >>= 1) {
    if (cub_rank_1 < cub_stride_2 && cub_rank_1 + cub_stride_2 < (unsigned int)valid) {
      storage[cub_rank_1] = storage[cub_rank_1] + storage[cub_rank_1 + cub_stride_2];
    }
    __syncthreads();
  }
  int cub_reduce_3 = storage[0u];
  __syncthreads();
  out[0] = cub_reduce_3;
}
*/
