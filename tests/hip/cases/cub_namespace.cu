// CUB becomes hipCUB: the header, the namespace in qualified names and template arguments.
#include <cub/cub.cuh>

template <int BLOCK>
__global__ void block_sum(const float *x, float *out)
{
    typedef cub::BlockReduce<float, BLOCK> Reduce;
    __shared__ typename Reduce::TempStorage tmp;
    float total = Reduce(tmp).Sum(x[blockIdx.x * BLOCK + threadIdx.x]);
    if (threadIdx.x == 0)
        out[blockIdx.x] = total;
}
