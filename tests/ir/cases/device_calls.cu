// Device functions are kept and called; kernels see their signatures (arguments converted).
__device__ __forceinline__ float sq(float x) { return x * x; }
__device__ int clampi(int v, int lo, int hi) {
  if (v < lo) return lo;
  return v > hi ? hi : v;
}
__device__ void store(float* p, int i, float v) { p[i] = v; }
__global__ void use(float* out, int n) {
  int i = clampi(threadIdx.x, 0, n - 1);
  store(out, i, sq(i) + sq(1.5f));
}

/* EXPECT-IR
__device__ __forceinline__ float sq(float x) {
  return x * x;
}

__device__ int clampi(int v, int lo, int hi) {
  if (v < lo) {
    return lo;
  }
  return v > hi ? hi : v;
}

__device__ void store(float* p, int i, float v) {
  p[i] = v;
}

__global__ void use(float* out, int n) {
  int i = clampi((int)threadIdx.x, 0, n - 1);
  store(out, i, sq((float)i) + sq(1.5f));
}
*/
