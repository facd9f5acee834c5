// Hand-written, idiomatic OpenCL C versions of kernels.cu, for benchmarks/opencl_vs_handwritten.py.
#define TILE 16
#define BLOCK 256
#define BINS 256

__kernel void bench_saxpy(int n, float a, __global const float* restrict x, __global float* restrict y)
{
    size_t i = get_global_id(0);
    if (i < (size_t)n)
        y[i] = fma(a, x[i], y[i]);
}

__kernel void bench_reduce(__global const float* restrict x, __global float* restrict partial, int n)
{
    __local float s[BLOCK];
    size_t lid = get_local_id(0);
    size_t i = get_global_id(0);
    s[lid] = i < (size_t)n ? x[i] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (size_t stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (lid < stride)
            s[lid] += s[lid + stride];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0)
        partial[get_group_id(0)] = s[0];
}

__kernel void bench_matmul(__global const float* restrict a, __global const float* restrict b, __global float* restrict c, int n)
{
    __local float ta[TILE][TILE];
    __local float tb[TILE][TILE];
    int tx = get_local_id(0), ty = get_local_id(1);
    int row = get_global_id(1), col = get_global_id(0);
    float acc = 0.0f;
    for (int t = 0; t < n; t += TILE) {
        ta[ty][tx] = (row < n && t + tx < n) ? a[row * n + t + tx] : 0.0f;
        tb[ty][tx] = (col < n && t + ty < n) ? b[(t + ty) * n + col] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TILE; ++k)
            acc = fma(ta[ty][k], tb[k][tx], acc);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < n && col < n)
        c[row * n + col] = acc;
}

__kernel void bench_stencil(__global const float* restrict in, __global float* restrict out, int nx, int ny)
{
    int x = get_global_id(0), y = get_global_id(1);
    if (x > 0 && y > 0 && x < nx - 1 && y < ny - 1)
        out[y * nx + x] = 0.25f * (in[y * nx + x - 1] + in[y * nx + x + 1] + in[(y - 1) * nx + x] + in[(y + 1) * nx + x]);
}

__kernel void bench_histogram(__global const int* restrict data, __global int* restrict hist, int n)
{
    __local int local_hist[BINS];
    for (size_t b = get_local_id(0); b < BINS; b += get_local_size(0))
        local_hist[b] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (size_t i = get_global_id(0); i < (size_t)n; i += get_global_size(0))
        atomic_inc(&local_hist[data[i] & (BINS - 1)]);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (size_t b = get_local_id(0); b < BINS; b += get_local_size(0))
        atomic_add(&hist[b], local_hist[b]);
}
