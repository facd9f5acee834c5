// An elementwise kernel, a device helper and the host code that launches it.
#include <cstdio>
#include <cuda_runtime.h>
#include "helpers.cuh"

__device__ float twice(float v) { return 2.0f * v; }

__global__ void saxpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + twice(y[i]);
}

int main() {
  int n = 1000;
  float *x, *y;
  cudaMalloc(&x, n * sizeof(float));
  cudaMalloc(&y, n * sizeof(float));
  saxpy<<<(n + 255) / 256, 256>>>(n, 2.0f, x, y);
  cudaDeviceSynchronize();
  return 0;
}

/* EXPECTED INVENTORY
   function device float twice(float v) @6:18 | definition
   function global void saxpy(int n, float a, const float* x, float* y) @8:17 | definition
   include <cstdio> @2:10
   include <cuda_runtime.h> @3:10
   include 'helpers.cuh' @4:10
   launch saxpy via <<<>>> config((n + 255) / 256, 256) args(n, 2.0f, x, y) in main @18:3
*/
