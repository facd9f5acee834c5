// A statement macro without `;` makes the parser read the next call as a declaration of
// `cudaMalloc`; the API name keeps its row and is still renamed everywhere in the file.
// EXPECT: CH002
#include <hip/hip_runtime.h>
#define CUERR { hipError_t e = hipGetLastError(); if (e != hipSuccess) return; }

void alloc(float **a, float **b, size_t n)
{
    hipMalloc(a, n); CUERR
    hipMalloc(b, n); CUERR
    hipMemset(*a, 0, n);
}
