// Grid-stride loops: a fixed, small grid covers any n.
// Exercises: loops whose trip count varies per thread, gridDim in the stride,
// a 64-bit length and index (long long) so n is not truncated.
__global__ void scale_shift_gridstride(float *x, float scale, float shift, int n)
{
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
        x[i] = x[i] * scale + shift;
}

__global__ void copy_negate_i64(const long long *src, long long *dst, long long n)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        dst[i] = -src[i] + (i << 33);
}
