// A block size named by a template parameter: the argument list parses it as a type name, and
// it still binds as the integer the kernel is instantiated with.
// TEMPLATE: k BLOCK_SIZE=128
template<int BLOCK_SIZE>
__global__ void k(float* out, const float* x) {
    float acc = x[threadIdx.x];
    using BlockReduce = cub::BlockReduce<float, BLOCK_SIZE>;
    __shared__ typename BlockReduce::TempStorage temp_storage1;
    acc = BlockReduce(temp_storage1).Sum(acc);
    if (threadIdx.x == 0) out[0] = acc;
}

/* EXPECT-IR
template <int BLOCK_SIZE = 128>
__global__ void k(float* out, const float* x) {
  float acc = x[threadIdx.x];
  __shared__ float temp_storage1[128];
  const unsigned int cub_rank_1 = threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y);
  temp_storage1[cub_rank_1] = acc;
  __syncthreads();
  for (unsigned int cub_stride_2 = 64u; cub_stride_2 > 0u; cub_stride_2 >>= 1) {
    if (cub_rank_1 < cub_stride_2 && cub_rank_1 + cub_stride_2 < 128u) {
      temp_storage1[cub_rank_1] = temp_storage1[cub_rank_1] + temp_storage1[cub_rank_1 + cub_stride_2];
    }
    __syncthreads();
  }
  float cub_reduce_3 = temp_storage1[0u];
  __syncthreads();
  acc = cub_reduce_3;
  if (threadIdx.x == (unsigned int)0) {
    out[0] = acc;
  }
}
*/
