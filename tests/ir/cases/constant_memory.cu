// __constant__ and __device__ globals; file-scope integer constants fold like enumerators.
const int TAPS = 4;
__constant__ float coef[TAPS];
__constant__ float scale = 2.0f;
__device__ int counter;
__global__ void fir(const float* in, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n - TAPS) return;
  float acc = 0.0f;
  for (int k = 0; k < TAPS; ++k) acc += coef[k] * in[i + k];
  out[i] = acc * scale;
  if (i == 0) atomicAdd(&counter, 1);
}

/* EXPECT-IR
__constant__ float coef[4];

__constant__ float scale = 2.0f;

__device__ int counter;

__global__ void fir(const float* in, float* out, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i >= n - 4) {
    return;
  }
  float acc = 0.0f;
  for (int k = 0; k < 4; k += 1) {
    acc += coef[k] * in[i + k];
  }
  out[i] = acc * scale;
  if (i == 0) {
    atomicAdd(&counter, 1);
  }
}
*/
