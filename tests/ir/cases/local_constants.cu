// Local `const`/`constexpr` integers fold where C++ needs a constant (array bounds, template
// arguments); the IR keeps their names elsewhere. A specialisation is found by type, not spelling.
typedef float real_t;
template <typename T, int N>
__device__ T pick(const T* p);
template <>
__device__ real_t pick<real_t, 2>(const real_t* p) { return p[1]; }
__global__ void local_constants(const float* in, float* out) {
  const int lo = 3;
  constexpr int hi = lo + 2;
  const int width = (hi > 4) ? 2 : 1;
  float tile[lo + hi];
  for (int i = 0; i < lo + hi; ++i) tile[i] = in[i];
  out[0] = tile[hi - 1] + pick<float, width>(in);
}

/* EXPECT-IR
__device__ float pick(const float* p) {
  return p[1];
}

__global__ void local_constants(const float* in, float* out) {
  const int lo = 3;
  const int hi = lo + 2;
  const int width = hi > 4 ? 2 : 1;
  float tile[8];
  for (int i = 0; i < lo + hi; i += 1) {
    tile[i] = in[i];
  }
  out[0] = tile[hi - 1] + pick(in);
}
*/
