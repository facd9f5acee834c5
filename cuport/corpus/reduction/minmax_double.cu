// Per-block minimum and maximum of doubles, reduced together in one shared tree.
// Exercises: double arithmetic, fmin/fmax on double, two shared arrays, a block of 100 threads
// whose tree must handle a size that is not a power of two.
#define BLOCK 100

__global__ void block_minmax_double(const double *x, double *out_min, double *out_max, int n)
{
    __shared__ double smin[BLOCK];
    __shared__ double smax[BLOCK];
    int tid = threadIdx.x;
    int i = blockIdx.x * BLOCK + tid;
    double v = i < n ? x[i] : x[blockIdx.x * BLOCK];  // pad with an element of this block
    smin[tid] = v;
    smax[tid] = v;
    __syncthreads();
    // Fold the upper part onto the lower one; `active` need not be even.
    for (int active = BLOCK; active > 1;) {
        int half = (active + 1) / 2;
        if (tid < active - half) {
            smin[tid] = fmin(smin[tid], smin[tid + half]);
            smax[tid] = fmax(smax[tid], smax[tid + half]);
        }
        __syncthreads();
        active = half;
    }
    if (tid == 0) {
        out_min[blockIdx.x] = smin[0];
        out_max[blockIdx.x] = smax[0];
    }
}
