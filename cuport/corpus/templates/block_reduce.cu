// Template kernels instantiated from the launch spec: a block sum over any element type and
// block size, and a typed axpy.
// Exercises: `template <typename T, int BLOCK>` with a shared array sized by the template
// parameter, instantiation for float, int and double, a non-type parameter in loop bounds.
template <typename T, int BLOCK>
__global__ void block_reduce(const T *x, T *partial, int n)
{
    __shared__ T s[BLOCK];
    int tid = threadIdx.x;
    int i = blockIdx.x * BLOCK + tid;
    s[tid] = i < n ? x[i] : T(0);
    __syncthreads();
    for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (tid < stride)
            s[tid] += s[tid + stride];
        __syncthreads();
    }
    if (tid == 0)
        partial[blockIdx.x] = s[0];
}

template <typename T>
__global__ void axpy_t(T a, const T *x, T *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i] + y[i];
}
