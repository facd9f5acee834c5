// Warp shuffles on sub-warp groups (the `width` argument smaller than 32).
// group_sum_width8: sum of each group of 8 consecutive elements, by __shfl_down_sync width 8.
// group_max_width16: every element minus the max of its group of 16, by __shfl_xor_sync width 16.
// broadcast_width4: every element minus the first element of its group of 4, by __shfl_sync width 4.
// Exercises: shuffle widths 4, 8 and 16, lane math with & (width - 1), full-warp masks with
// threads past n still taking part (no early return before a shuffle).
__global__ void group_sum_width8(const float *x, float *sums, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? x[i] : 0.0f;
    for (int off = 4; off > 0; off >>= 1)
        v += __shfl_down_sync(0xffffffff, v, off, 8);
    if ((threadIdx.x & 7) == 0 && i < n)
        sums[i / 8] = v;
}

__global__ void group_max_width16(const float *x, float *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? x[i] : -INFINITY;
    float m = v;
    for (int off = 8; off > 0; off >>= 1)
        m = fmaxf(m, __shfl_xor_sync(0xffffffff, m, off, 16));
    if (i < n)
        y[i] = v - m;
}

__global__ void broadcast_width4(const int *x, int *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int v = i < n ? x[i] : 0;
    int first = __shfl_sync(0xffffffff, v, 0, 4);
    if (i < n)
        y[i] = v - first;
}
