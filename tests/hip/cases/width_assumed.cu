// The reduction assumes 32 lanes (offset 16, WARP_SIZE 32): the lane math is left alone (it is
// what keeps the result right on 64-wide wavefronts) and the hazards say why. Masks still widen.
// EXPECT: CH004 CPH001 CPH003 CPH005
#define WARP_SIZE 32

__global__ void half_warp_sums(const int *x, int *out)
{
    int v = x[threadIdx.x];
    for (int offset = 16; offset > 0; offset >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, offset);
    int lane = threadIdx.x % 32;
    if (lane == 0)
        out[threadIdx.x / WARP_SIZE] = v;
}
