// mutant: corpus=reduction/warp_shuffle_sum kernel=warp_sum_shuffle fault=wrong bound (shuffle tree starts at 8, half the lanes lost)
#define BLOCK 256
#define WARP_SIZE 32

__device__ float warp_reduce_sum(float v)
{
    for (int offset = WARP_SIZE / 4; offset > 0; offset /= 2)
        v += __shfl_down_sync(0xffffffff, v, offset);
    return v;
}

__global__ void warp_sum_shuffle(const float *x, float *partial, int n)
{
    __shared__ float warp_sums[BLOCK / WARP_SIZE];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    float v = i < n ? x[i] : 0.0f;
    v = warp_reduce_sum(v);
    if (lane == 0)
        warp_sums[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < BLOCK / WARP_SIZE ? warp_sums[lane] : 0.0f;
        v = warp_reduce_sum(v);
        if (lane == 0)
            partial[blockIdx.x] = v;
    }
}
