// mutant: corpus=dynshared/dynamic_shared kernel=reverse_block_dyn fault=dropped barrier (reads before the writes)
__global__ void reverse_block_dyn(const int *in, int *out, int n)
{
    extern __shared__ int buf[];
    int tid = threadIdx.x;
    int base = blockIdx.x * blockDim.x;
    int len = min((int)blockDim.x, n - base);
    if (tid < len)
        buf[tid] = in[base + tid];
    if (tid < len)
        out[base + tid] = buf[len - 1 - tid];
}
