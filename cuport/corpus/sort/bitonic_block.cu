// Bitonic sort of each 256-element segment in shared memory, ascending; the last, partial
// segment is padded with INT_MAX so the padding sorts to the end and is not written back.
// Exercises: the nested k/j bitonic network, XOR partner indices, a barrier per stage,
// compare-and-swap done by the lower partner only (race-free).
#include <climits>

#define SEG 256

__global__ void bitonic_sort_block(int *data, int n)
{
    __shared__ int s[SEG];
    int tid = threadIdx.x;
    int i = blockIdx.x * SEG + tid;
    s[tid] = i < n ? data[i] : INT_MAX;
    __syncthreads();
    for (int k = 2; k <= SEG; k <<= 1) {
        for (int j = k >> 1; j > 0; j >>= 1) {
            int partner = tid ^ j;
            if (partner > tid) {
                bool ascending = (tid & k) == 0;
                int a = s[tid], b = s[partner];
                if ((a > b) == ascending) {
                    s[tid] = b;
                    s[partner] = a;
                }
            }
            __syncthreads();
        }
    }
    if (i < n)
        data[i] = s[tid];
}
