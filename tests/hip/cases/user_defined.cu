// A user's own function or variable whose name looks like CUDA's is theirs: not renamed, not reported.
#include <cuda_runtime.h>

static int cudaCheckLast(const char *where) { return where != nullptr; }

int main()
{
    cudaError_t cudaStat = cudaGetLastError();
    return cudaCheckLast("main") + (cudaStat != cudaSuccess);
}
