// A program whose kernel writes one element past its cudaMalloc allocation (the last thread, after
// a barrier, on a fiber stack). Under the sanitizer build this is a heap-buffer-overflow at the
// marked line; without it the write lands in the allocation's rounding to 256 bytes and the
// program runs to its end.
#include <cstdio>

__global__ void fill(int* out, int n) {
  __shared__ int s[32];
  s[threadIdx.x] = threadIdx.x;
  __syncthreads();
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i + (i == n - 1)] = s[threadIdx.x];  // OVERFLOW_HERE
}

int main() {
  const int n = 60;  // 240 bytes
  int* d;
  cudaMalloc(&d, n * sizeof(int));
  fill<<<(n + 31) / 32, 32>>>(d, n);
  cudaDeviceSynchronize();
  cudaFree(d);
  printf("finished\n");
  return 0;
}
