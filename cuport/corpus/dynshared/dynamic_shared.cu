// Kernels whose shared memory size is chosen at launch (extern __shared__).
// reverse_block_dyn: reverse each block-sized segment of an int array through shared memory.
// segment_sum_count: one dynamic buffer carved into a float array and an int array, giving per
// block the sum and the count of positive inputs.
// Exercises: `extern __shared__` of int and of unsigned char, pointer casts into the buffer,
// blockDim.x as the segment size, a partial last segment.
__global__ void reverse_block_dyn(const int *in, int *out, int n)
{
    extern __shared__ int buf[];
    int tid = threadIdx.x;
    int base = blockIdx.x * blockDim.x;
    int len = min((int)blockDim.x, n - base);
    if (tid < len)
        buf[tid] = in[base + tid];
    __syncthreads();
    if (tid < len)
        out[base + tid] = buf[len - 1 - tid];
}

__global__ void segment_sum_count(const float *x, float *sums, int *counts, int n)
{
    extern __shared__ unsigned char smem[];
    float *s_sum = reinterpret_cast<float *>(smem);
    int *s_cnt = reinterpret_cast<int *>(smem + blockDim.x * sizeof(float));
    int tid = threadIdx.x;
    int i = blockIdx.x * blockDim.x + tid;
    float v = i < n ? x[i] : 0.0f;
    s_sum[tid] = v > 0.0f ? v : 0.0f;
    s_cnt[tid] = v > 0.0f ? 1 : 0;
    __syncthreads();
    if (tid == 0) {
        // A serial pass keeps the float sum order fixed: blockDim is small (96).
        float total = 0.0f;
        int count = 0;
        for (int k = 0; k < (int)blockDim.x; ++k) {
            total += s_sum[k];
            count += s_cnt[k];
        }
        sums[blockIdx.x] = total;
        counts[blockIdx.x] = count;
    }
}
