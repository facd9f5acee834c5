// A user's own function or variable whose name looks like CUDA's is theirs: not renamed, not reported.
#include <hip/hip_runtime.h>

static int cudaCheckLast(const char *where) { return where != nullptr; }

int main()
{
    hipError_t cudaStat = hipGetLastError();
    return cudaCheckLast("main") + (cudaStat != hipSuccess);
}
