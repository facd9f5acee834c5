// Warp votes: for each warp, the ballot of lanes holding a positive value and its population count.
// Exercises: __ballot_sync(0xffffffff, ...) whose 32-bit result encodes lane numbers (a hazard
// on 64-wide wavefronts), __popc, warp ids from threadIdx.x >> 5 and lane & 31, and threads
// past n that still vote (with false) so the full mask is honest.
__global__ void ballot_count(const float *x, unsigned int *masks, int *counts, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    bool positive = i < n && x[i] > 0.0f;
    unsigned int mask = __ballot_sync(0xffffffff, positive);
    if (lane == 0) {
        masks[warp] = mask;
        counts[warp] = __popc(mask);
    }
}
