// Explicit specializations of a body-less function template are overloads: a call picks the one
// its arguments fit, or the one its explicit template arguments name.
template <class T> __device__ __forceinline__ T MIN(T a, T b);
template <> __device__ __forceinline__ double MIN<double>(double a, double b) { return fmin(a, b); }
template <> __device__ __forceinline__ float MIN<float>(float a, float b) { return fminf(a, b); }

__global__ void spec(const double* x, float* y) {
  double d = MIN(x[0], x[1]);
  y[0] = MIN(y[1], y[2]) + (float)MIN<double>(d, 0.5) + INFINITY;
  y[3] = __double2hiint(d) + __double2loint(d);
}

/* EXPECT-IR
__device__ __forceinline__ double MIN(double a, double b) {
  return fmin(a, b);
}

__device__ __forceinline__ float MIN_ovl1(float a, float b) {
  return fminf(a, b);
}

__global__ void spec(const double* x, float* y) {
  double d = MIN(x[0], x[1]);
  y[0] = MIN_ovl1(y[1], y[2]) + (float)MIN(d, 0.5) + 1e999f;
  y[3] = (float)(__double2hiint(d) + __double2loint(d));
}
*/
