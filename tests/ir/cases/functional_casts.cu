// Functional casts `T(x)` with a template's type parameter or a typedef: tree-sitter reads them as
// calls, the lowering looks the name up as a type first. `T()` value-initialises, a vector type
// with one argument per lane constructs the vector; `(std::uint32_t)(x)` is a C cast.
// TEMPLATE: fill T=double
typedef float real;
template <typename T>
__global__ void fill(T* out, int n) {
  int i = threadIdx.x;
  out[i] = i < n ? T(i) * T(0.5f) : T();
  float2 v = float2(1.0f, 2.0f);
  out[0] += real(v.x);
  out[1] = (std::uint32_t)(n) - 1;
}

/* EXPECT-IR
template <typename T = double>
__global__ void fill(double* out, int n) {
  int i = (int)threadIdx.x;
  out[i] = i < n ? (double)i * (double)0.5f : (double)0;
  float2 v = make_float2(1.0f, 2.0f);
  out[0] += (double)(float)v.x;
  out[1] = (double)((unsigned int)n - (unsigned int)1);
}
*/
