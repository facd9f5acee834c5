// Names with no HIP row are kept and reported by source name; so are headers without a counterpart.
// EXPECT: CH001 CH006
#include <hip/hip_runtime.h>
#include <mma.h>

void query(void)
{
    hipMalloc(nullptr, 0);
    cudaFrobnicateWidget(0);
}
