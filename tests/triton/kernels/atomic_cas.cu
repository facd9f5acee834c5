// atomicCAS: a float minimum by compare-and-swap on one address (the loop exits lane by lane),
// and a swap on per-thread addresses (odd lanes expect what is there) where lanes past n must not touch memory.
__device__ float cas_min(float *addr, float value)
{
    unsigned *p = (unsigned *)addr;
    unsigned seen = *p;
    while (value < __uint_as_float(seen)) {
        unsigned expected = seen;
        if ((seen = atomicCAS(p, expected, __float_as_uint(value))) == expected)
            break;
    }
    return __uint_as_float(seen);
}

__global__ void atomic_cas(const float *x, float *lowest, int *slots, int *won, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        cas_min(lowest, x[i]);
        int before = atomicCAS(slots + i, i % 2 ? 0 : 5, i + 1);
        won[i] = before == 0 ? 1 : 0;
    }
}
