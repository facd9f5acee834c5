// Wide types: a double-precision dot product and a 64-bit integer hash.
// dot_double: per-block partial dot products of two double vectors (shared tree in double).
// mix_hash_i64: the splitmix64 finaliser on each signed 64-bit input, with wrap-around unsigned
// multiplication, plus the population count of each hash.
// Exercises: double shared memory, long long / unsigned long long arithmetic and shifts,
// 64-bit literals, __popcll, a 64-bit length parameter.
#define BLOCK 128

__global__ void dot_double(const double *a, const double *b, double *partial, int n)
{
    __shared__ double s[BLOCK];
    int tid = threadIdx.x;
    int i = blockIdx.x * BLOCK + tid;
    s[tid] = i < n ? a[i] * b[i] : 0.0;
    __syncthreads();
    for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (tid < stride)
            s[tid] += s[tid + stride];
        __syncthreads();
    }
    if (tid == 0)
        partial[blockIdx.x] = s[0];
}

__global__ void mix_hash_i64(const long long *x, unsigned long long *hash, int *bits, long long n)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    unsigned long long z = (unsigned long long)x[i] + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    hash[i] = z;
    bits[i] = __popcll(z);
}
