// `i < n >> 3`, `(d < lo || d >= hi)` and `a < b > (c)` parse as template uses of `i`, `d` and `a`;
// when the name is a variable of the function they are the comparisons C++ reads.
__global__ void compare(int* out, int n, int lo, int hi) {
  for (int i = 0; i < n >> 3; i++) out[i] = 1;
  int d = out[0];
  out[1] = out[2] - (d < lo || d >= hi);
  out[3] = d < lo > (hi);
}
// A real template of the file stays a template.
template <int N>
__device__ int scaled(int x) { return x * N; }
__global__ void real_template(int* out, int x) { out[0] = scaled<4>(x); }

/* EXPECT-IR
__global__ void compare(int* out, int n, int lo, int hi) {
  for (int i = 0; i < n >> 3; i += 1) {
    out[i] = 1;
  }
  int d = out[0];
  out[1] = out[2] - (int)(d < lo || d >= hi);
  out[3] = (int)((int)(d < lo) > hi);
}

__global__ void real_template(int* out, int x) {
  out[0] = scaled<4>(x);
}

template <int N = 4>
__device__ int scaled(int x) {
  return x * 4;
}
*/
