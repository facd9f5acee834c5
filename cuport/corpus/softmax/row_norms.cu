// Row-wise kernels in the softmax family, written here for cuport.
// log_softmax_rows_warp: one warp per row in a 1-D block of 128 (four rows per block); the warp is
//   threadIdx.x >> 5 and the lane threadIdx.x & 31; max and sum by __shfl_xor_sync butterflies.
// rmsnorm_rows_block: one block per row, columns strided by blockDim.x, the sum of squares reduced
//   in shared memory; thread 0 also writes the row's reciprocal RMS.
// Exercises: log-softmax (logf of the sum), warp index from a 1-D block, a scale vector indexed by
//   column, a per-row scalar output behind a one-thread guard, blockDim.x as the stride.
#define ROWS_PER_BLOCK 4
#define THREADS 256

__global__ void log_softmax_rows_warp(const float *x, float *y, int rows, int cols)
{
    int warp = threadIdx.x >> 5;
    int lane = threadIdx.x & 31;
    int row = blockIdx.x * ROWS_PER_BLOCK + warp;
    if (row >= rows)
        return;
    const float *xr = x + (size_t)row * cols;
    float *yr = y + (size_t)row * cols;

    float m = -INFINITY;
    for (int c = lane; c < cols; c += 32)
        m = fmaxf(m, xr[c]);
    for (int off = 16; off > 0; off >>= 1)
        m = fmaxf(m, __shfl_xor_sync(0xffffffff, m, off));

    float sum = 0.0f;
    for (int c = lane; c < cols; c += 32)
        sum += expf(xr[c] - m);
    for (int off = 16; off > 0; off >>= 1)
        sum += __shfl_xor_sync(0xffffffff, sum, off);

    float log_sum = logf(sum);
    for (int c = lane; c < cols; c += 32)
        yr[c] = xr[c] - m - log_sum;
}

__global__ void rmsnorm_rows_block(const float *x, const float *weight, float *y, float *inv_rms, int cols, float eps)
{
    __shared__ float partial[THREADS];
    int tid = threadIdx.x;
    const float *xr = x + (size_t)blockIdx.x * cols;
    float *yr = y + (size_t)blockIdx.x * cols;

    float ss = 0.0f;
    for (int c = tid; c < cols; c += blockDim.x) {
        float v = xr[c];
        ss += v * v;
    }
    partial[tid] = ss;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (tid < s)
            partial[tid] += partial[tid + s];
        __syncthreads();
    }
    float scale = rsqrtf(partial[0] / cols + eps);
    if (tid == 0)
        inv_rms[blockIdx.x] = scale;
    for (int c = tid; c < cols; c += blockDim.x)
        yr[c] = xr[c] * scale * weight[c];
}
