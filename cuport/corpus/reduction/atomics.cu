// Reductions finished with atomics: a float total, an int maximum, a count of positives.
// Exercises: float atomicAdd (order-dependent rounding: compared with a tolerance), atomicMax on int,
// unsigned atomicAdd from many threads, and a 48-thread block (one and a half warps).
#define BLOCK 128

__global__ void atomic_sum_float(const float *x, float *total, int n)
{
    __shared__ float s[BLOCK];
    int tid = threadIdx.x;
    int i = blockIdx.x * BLOCK + tid;
    s[tid] = i < n ? x[i] : 0.0f;
    __syncthreads();
    for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (tid < stride)
            s[tid] += s[tid + stride];
        __syncthreads();
    }
    if (tid == 0)
        atomicAdd(total, s[0]);
}

__global__ void atomic_max_int(const int *x, int *result, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        atomicMax(result, x[i]);
}

__global__ void count_positive(const float *x, unsigned int *count, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && x[i] > 0.0f)
        atomicAdd(count, 1u);
}
