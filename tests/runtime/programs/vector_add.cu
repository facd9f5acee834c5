// A small CUDA program as users write them: allocate, copy, launch, time, check, report.
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <cuda_runtime.h>

#define CHECK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("error %s\n", cudaGetErrorString(e)); return 1; } } while (0)

template <typename T>
__global__ void add(const T* a, const T* b, T* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}

__global__ void block_sum(const int* in, int* out) {
  extern __shared__ int s[];
  s[threadIdx.x] = in[blockIdx.x * blockDim.x + threadIdx.x];
  __syncthreads();
  if (threadIdx.x == 0) {
    int t = 0;
    for (int i = 0; i < blockDim.x; ++i) t += s[i];
    atomicAdd(out, t);
  }
}

int main(int argc, char** argv) {
  const int n = argc > 1 ? atoi(argv[1]) : 1000;
  std::vector<float> a(n), b(n), c(n);
  for (int i = 0; i < n; ++i) { a[i] = i; b[i] = 2 * i; }
  float *da, *db, *dc;
  CHECK(cudaMalloc(&da, n * sizeof(float)));
  CHECK(cudaMalloc((void**)&db, n * sizeof(float)));
  CHECK(cudaMalloc(&dc, n * sizeof(float)));
  CHECK(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  cudaStream_t stream;
  cudaStreamCreate(&stream);
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  cudaEventRecord(start, stream);
  add<<<(n + 127) / 128, 128, 0, stream>>>(da, db, dc, n);
  cudaEventRecord(stop, stream);
  cudaEventSynchronize(stop);
  float ms = -1;
  cudaEventElapsedTime(&ms, start, stop);
  CHECK(cudaGetLastError());
  CHECK(cudaMemcpyAsync(c.data(), dc, n * sizeof(float), cudaMemcpyDeviceToHost, stream));
  cudaStreamSynchronize(stream);
  int* ones; int* total;
  CHECK(cudaMallocManaged(&ones, 256 * sizeof(int)));
  CHECK(cudaMallocManaged(&total, sizeof(int)));
  for (int i = 0; i < 256; ++i) ones[i] = 1;
  *total = 0;
  block_sum<<<4, 64, 64 * sizeof(int)>>>(ones, total);
  cudaDeviceSynchronize();
  bool ok = *total == 256 && ms >= 0;
  for (int i = 0; i < n; ++i) ok = ok && c[i] == 3.0f * i;
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  printf("%s on %s (warp %d)\n", ok ? "PASS" : "FAIL", prop.name, prop.warpSize);
  fprintf(stderr, "done\n");
  cudaFree(da); cudaFree(db); cudaFree(dc); cudaFree(ones); cudaFree(total);
  return ok ? 0 : 3;
}
