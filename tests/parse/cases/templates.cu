// Templates: type and value parameters, defaults, packs, explicit specialisation, launches with
// template arguments.
template <typename T, int BLOCK = 256>
__global__ void fill(T *out, T value, int n) {
  int i = blockIdx.x * BLOCK + threadIdx.x;
  if (i < n) out[i] = value;
}

template <>
__global__ void fill<double, 128>(double *out, double value, int n) {}

template <typename... Ts, template <typename> class Box, typename U = float>
__device__ U first(Ts... args);

template <typename T>
__host__ __device__ inline T clamp01(T v) { return v < T(0) ? T(0) : (v > T(1) ? T(1) : v); }

void run(float *p, int n, cudaStream_t s) {
  fill<float><<<n / 256 + 1, 256, 0, s>>>(p, 1.0f, n);
  fill<float, 64><<<dim3(n / 64 + 1), dim3(64)>>>(p, 0.5f, n);
}

/* EXPECTED INVENTORY
   function global void fill(T* out, T value, int n) @4:17 | template<typename T, int BLOCK = 256> | definition
   function global void fill(double* out, double value, int n) @10:17 | specialization<double, 128> | definition
   function device U first(Ts... args) @13:14 | template<typename... Ts, template Box, typename U = float> | declaration
   function host device T clamp01(T v) @16:30 | template<typename T> | specifiers inline | definition
   launch fill<float> via <<<>>> config(n / 256 + 1, 256, 0, s) args(p, 1.0f, n) in run @19:3
   launch fill<float, 64> via <<<>>> config(dim3(n / 64 + 1), dim3(64)) args(p, 0.5f, n) in run @20:3
*/
