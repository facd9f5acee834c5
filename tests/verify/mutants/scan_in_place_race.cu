// mutant: corpus=scan/block_scan kernel=scan_hillis_steele fault=race (single buffer updated in place)
#define HS_BLOCK 128

__global__ void scan_hillis_steele(const int *in, int *out, int n)
{
    __shared__ int buf[HS_BLOCK];
    int tid = threadIdx.x;
    int i = blockIdx.x * HS_BLOCK + tid;
    buf[tid] = i < n ? in[i] : 0;
    __syncthreads();
    for (int offset = 1; offset < HS_BLOCK; offset <<= 1) {
        if (tid >= offset)
            buf[tid] += buf[tid - offset];
        __syncthreads();
    }
    if (i < n)
        out[i] = buf[tid];
}
