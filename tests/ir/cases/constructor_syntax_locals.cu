// `T v(a * b);` and `T v(a[i]);` parse as function declarations (a parameter of type `a`); with
// variables inside the parentheses they are variables initialised by the expression (file-scope
// constants too).
constexpr unsigned int kBase = 8;
constexpr unsigned int kScaled(kBase * 4);
__global__ void ctor(unsigned int* out, const unsigned int* idx, float f, int a, int b) {
  unsigned int product(a * b);
  unsigned int picked(idx[blockIdx.x]);
  unsigned int copy(product);
  __half h(f);
  out[0] = product + picked + copy + kScaled;
  out[1] = (unsigned int)__half2float(h);
}
// Not allowed: two values for a scalar.
__global__ void two_values(int* out, int a, int b) {
  int v(a, b);
  out[0] = v;
}

/* EXPECT-IR
__global__ void ctor(unsigned int* out, const unsigned int* idx, float f, int a, int b) {
  unsigned int product = (unsigned int)(a * b);
  unsigned int picked = idx[blockIdx.x];
  unsigned int copy = product;
  __half h = (__half)f;
  out[0] = product + picked + copy + (unsigned int)32;
  out[1] = (unsigned int)__half2float(h);
}

// FAILED two_values
constructor_syntax_locals.cu:16:8: error[CL001]: cannot lower constructor initialisation: not supported
      int v(a, b);
           ^
*/
