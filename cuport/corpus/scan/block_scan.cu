// Per-block prefix sums: Hillis-Steele inclusive (int) and Blelloch exclusive (float).
// Exercises: double-buffered shared memory, a barrier on every step, the up-sweep/down-sweep
// tree with two elements per thread, and a block total written for a later pass.
#define HS_BLOCK 128

__global__ void scan_hillis_steele(const int *in, int *out, int n)
{
    __shared__ int buf[2][HS_BLOCK];
    int tid = threadIdx.x;
    int i = blockIdx.x * HS_BLOCK + tid;
    int src = 0;
    buf[src][tid] = i < n ? in[i] : 0;
    __syncthreads();
    for (int offset = 1; offset < HS_BLOCK; offset <<= 1) {
        int v = buf[src][tid];
        if (tid >= offset)
            v += buf[src][tid - offset];
        buf[1 - src][tid] = v;
        src = 1 - src;
        __syncthreads();
    }
    if (i < n)
        out[i] = buf[src][tid];
}

#define BL_THREADS 128
#define BL_ELEMS (2 * BL_THREADS)

__global__ void scan_blelloch(const float *in, float *out, float *block_sums, int n)
{
    __shared__ float s[BL_ELEMS];
    int tid = threadIdx.x;
    int base = blockIdx.x * BL_ELEMS;
    int a = 2 * tid, b = 2 * tid + 1;
    s[a] = base + a < n ? in[base + a] : 0.0f;
    s[b] = base + b < n ? in[base + b] : 0.0f;

    int offset = 1;
    for (int d = BL_ELEMS >> 1; d > 0; d >>= 1) {  // up-sweep: partial sums in place
        __syncthreads();
        if (tid < d) {
            int left = offset * (2 * tid + 1) - 1;
            int right = offset * (2 * tid + 2) - 1;
            s[right] += s[left];
        }
        offset <<= 1;
    }
    if (tid == 0) {
        block_sums[blockIdx.x] = s[BL_ELEMS - 1];
        s[BL_ELEMS - 1] = 0.0f;
    }
    for (int d = 1; d < BL_ELEMS; d <<= 1) {  // down-sweep: distribute the prefixes
        offset >>= 1;
        __syncthreads();
        if (tid < d) {
            int left = offset * (2 * tid + 1) - 1;
            int right = offset * (2 * tid + 2) - 1;
            float t = s[left];
            s[left] = s[right];
            s[right] += t;
        }
    }
    __syncthreads();
    if (base + a < n)
        out[base + a] = s[a];
    if (base + b < n)
        out[base + b] = s[b];
}
