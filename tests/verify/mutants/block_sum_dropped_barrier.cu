// mutant: corpus=reduction/shared_tree_sum kernel=block_sum_shared fault=dropped barrier in the tree loop
#define BLOCK 256

__global__ void block_sum_shared(const float *x, float *partial, int n)
{
    __shared__ float s[BLOCK];
    int tid = threadIdx.x;
    int i = blockIdx.x * BLOCK + tid;
    s[tid] = i < n ? x[i] : 0.0f;
    __syncthreads();
    for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (tid < stride)
            s[tid] += s[tid + stride];
    }
    if (tid == 0)
        partial[blockIdx.x] = s[0];
}
