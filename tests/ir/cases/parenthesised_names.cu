// `(i) + (j) * N` (what a macro body leaves behind) parses as a cast of `+(j)` to a type `i`; a name
// that is no type of the file is read as the value it is, and the arithmetic keeps C's precedence.
typedef float real;
template <typename T>
__global__ void parens(const float* a, float* out, int i, int j, T t) {
  out[((i) + (j) * 16)] = a[(i) + (j) * 2] - (real)(a[0]) + (T)(+t);
  out[1] = (a[i]) - 1.0f;  // a cast to an array type `a[i]` to the parser
}
// TEMPLATE: parens T=float

/* EXPECT-IR
template <typename T = float>
__global__ void parens(const float* a, float* out, int i, int j, float t) {
  out[i + j * 16] = a[i + j * 2] - (float)a[0] + (float)+t;
  out[1] = a[i] - 1.0f;
}
*/
