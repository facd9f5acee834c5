// Explicit specializations of a body-less function template are overloads: a call picks the one
// its arguments fit, or the one its explicit template arguments name (or whose return type they
// name, when the specialization leaves its arguments to deduction).
template <class T> __device__ __forceinline__ T MIN(T a, T b);
template <> __device__ __forceinline__ double MIN<double>(double a, double b) { return fmin(a, b); }
template <> __device__ __forceinline__ float MIN<float>(float a, float b) { return fminf(a, b); }

template <typename T> __device__ T fromFloat(float a);
template <> __device__ float fromFloat(float a) { return a; }
template <> __device__ double fromFloat(float a) { return (double)a * 2.0; }

__global__ void spec(const double* x, float* y) {
  double d = MIN(x[0], x[1]);
  y[0] = MIN(y[1], y[2]) + (float)MIN<double>(d, 0.5) + INFINITY;
  y[3] = __double2hiint(d) + __double2loint(d);
  y[4] = fromFloat<float>(y[5]) + (float)fromFloat<double>(y[6]);
}

/* EXPECT-IR
__device__ __forceinline__ double MIN(double a, double b) {
  return fmin(a, b);
}

__device__ __forceinline__ float MIN_ovl1(float a, float b) {
  return fminf(a, b);
}

__device__ float fromFloat(float a) {
  return a;
}

__device__ double fromFloat_ovl1(float a) {
  return (double)a * 2.0;
}

__global__ void spec(const double* x, float* y) {
  double d = MIN(x[0], x[1]);
  y[0] = MIN_ovl1(y[1], y[2]) + (float)MIN(d, 0.5) + 1e999f;
  y[3] = (float)(__double2hiint(d) + __double2loint(d));
  y[4] = fromFloat(y[5]) + (float)fromFloat_ovl1(y[6]);
}
*/
