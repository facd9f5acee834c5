// A statement macro without `;` makes the parser read the next call as a declaration of
// `cudaMalloc`; the API name keeps its row and is still renamed everywhere in the file.
// EXPECT: CH002
#include <cuda_runtime.h>
#define CUERR { cudaError_t e = cudaGetLastError(); if (e != cudaSuccess) return; }

void alloc(float **a, float **b, size_t n)
{
    cudaMalloc(a, n); CUERR
    cudaMalloc(b, n); CUERR
    cudaMemset(*a, 0, n);
}
