// Templates instantiated with given arguments: types substituted, non-type parameters folded.
// TEMPLATE: reduce T=double BLOCK=128
template <typename T>
__device__ T twice(T v) { return v + v; }

template <typename T, int BLOCK>
__global__ void reduce(const T* in, T* out) {
  __shared__ T buf[BLOCK];
  buf[threadIdx.x] = twice(in[threadIdx.x]);
  __syncthreads();
  for (int s = BLOCK / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) buf[threadIdx.x] += buf[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = buf[0] * (T)(BLOCK * 2);
}

/* EXPECT-IR
template <typename T = double, int BLOCK = 128>
__global__ void reduce(const double* in, double* out) {
  __shared__ double buf[128];
  buf[threadIdx.x] = twice<double>(in[threadIdx.x]);
  __syncthreads();
  for (int s = 64; s > 0; s >>= 1) {
    if (threadIdx.x < (unsigned int)s) {
      buf[threadIdx.x] += buf[threadIdx.x + (unsigned int)s];
    }
    __syncthreads();
  }
  if (threadIdx.x == (unsigned int)0) {
    out[blockIdx.x] = buf[0] * (double)256;
  }
}

template <typename T = double>
__device__ double twice(double v) {
  return v + v;
}
*/
