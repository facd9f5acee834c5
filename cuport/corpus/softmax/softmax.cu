// Row-wise softmax of a rows-by-cols matrix, subtracting the row maximum for stability.
// softmax_rows_block: one 128-thread block per row, max and sum reduced in shared memory.
// softmax_rows_warp: one warp per row in a 32x4 block, reductions by __shfl_xor_sync butterflies.
// Exercises: two reductions in a row, expf, loops over columns strided by the block or the warp,
// 2-D blocks where threadIdx.y picks the row, the 0xffffffff mask with xor shuffles.
#define BLOCK 128

__global__ void softmax_rows_block(const float *x, float *y, int rows, int cols)
{
    __shared__ float red[BLOCK];
    int row = blockIdx.x;
    const float *xr = x + (size_t)row * cols;
    float *yr = y + (size_t)row * cols;
    int tid = threadIdx.x;

    float m = -INFINITY;
    for (int c = tid; c < cols; c += BLOCK)
        m = fmaxf(m, xr[c]);
    red[tid] = m;
    __syncthreads();
    for (int s = BLOCK / 2; s > 0; s >>= 1) {
        if (tid < s)
            red[tid] = fmaxf(red[tid], red[tid + s]);
        __syncthreads();
    }
    float row_max = red[0];
    __syncthreads();  // everyone has read red[0] before it is reused

    float sum = 0.0f;
    for (int c = tid; c < cols; c += BLOCK)
        sum += expf(xr[c] - row_max);
    red[tid] = sum;
    __syncthreads();
    for (int s = BLOCK / 2; s > 0; s >>= 1) {
        if (tid < s)
            red[tid] += red[tid + s];
        __syncthreads();
    }
    float inv = 1.0f / red[0];
    for (int c = tid; c < cols; c += BLOCK)
        yr[c] = expf(xr[c] - row_max) * inv;
}

#define ROWS_PER_BLOCK 4

__global__ void softmax_rows_warp(const float *x, float *y, int rows, int cols)
{
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.y;
    int lane = threadIdx.x & 31;
    if (row >= rows)
        return;  // the whole warp leaves together: no barrier, no partial shuffle
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

    for (int c = lane; c < cols; c += 32)
        yr[c] = expf(xr[c] - m) / sum;
}
