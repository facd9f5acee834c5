// Elementwise vector arithmetic on float and int, with a block of 100 threads (not a multiple of 32).
// Exercises: several kernels in one file, int arithmetic with negative operands,
// fminf/fmaxf, and a block size that leaves a partial warp.
__global__ void vec_add(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}

// c = alpha * a + beta * b, in int; operands are small so nothing overflows.
__global__ void axpby_int(const int *a, const int *b, int *c, int alpha, int beta, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    c[i] = alpha * a[i] + beta * b[i];
}

// Leaky ReLU followed by a clamp to [lo, hi].
__global__ void leaky_relu_clamp(const float *x, float *y, int n, float slope, float lo, float hi)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float v = x[i];
        v = v > 0.0f ? v : slope * v;
        y[i] = fminf(fmaxf(v, lo), hi);
    }
}
