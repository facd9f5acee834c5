// Thread/block indices and dimensions are unsigned: mixing them with int converts to unsigned.
__global__ void saxpy(int n, float a, const float* x, float* y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int stride = gridDim.x * blockDim.x;
  for (; i < n; i += stride) {
    y[i] = a * x[i] + y[i];
  }
  if (threadIdx.y == 0 && blockIdx.z < 2 && warpSize == 32) y[0] = 1;
}

/* EXPECT-IR
__global__ void saxpy(int n, float a, const float* x, float* y) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  int stride = (int)(gridDim.x * blockDim.x);
  for (; i < n; i += stride) {
    y[i] = a * x[i] + y[i];
  }
  if (threadIdx.y == (unsigned int)0 && blockIdx.z < (unsigned int)2 && warpSize == 32) {
    y[0] = (float)1;
  }
}
*/
