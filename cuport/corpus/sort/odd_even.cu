// Odd-even transposition sort of each 48-element segment (one segment per 48-thread block).
// Exercises: a block of 48 threads (one and a half warps), SEG phases alternating between
// even and odd pairs, half the threads idle but still at every barrier, float comparisons.
#define SEG 48

__global__ void odd_even_sort_block(float *data, int n)
{
    __shared__ float s[SEG];
    int tid = threadIdx.x;
    int base = blockIdx.x * SEG;
    int len = min(SEG, n - base);
    if (tid < len)
        s[tid] = data[base + tid];
    __syncthreads();
    for (int phase = 0; phase < len; ++phase) {
        int a = 2 * tid + (phase & 1);
        if (tid < SEG / 2 && a + 1 < len && s[a] > s[a + 1]) {
            float t = s[a];
            s[a] = s[a + 1];
            s[a + 1] = t;
        }
        __syncthreads();
    }
    if (tid < len)
        data[base + tid] = s[tid];
}
