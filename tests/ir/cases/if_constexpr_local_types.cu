// `if constexpr` lowers only the branch its constant condition picks; an enum defined inside a
// function body is local to it.
// TEMPLATE: pick N=4
template <int N>
__global__ void pick(float* out) {
  enum Mode { A = 3, B };
  float b = B;
  if constexpr (N > 2) {
    out[0] = b * N;
  } else {
    out[0] = undefined_here;
  }
  if constexpr (N == 0) out[1] = 0.0f;
}

/* EXPECT-IR
template <int N = 4>
__global__ void pick(float* out) {
  float b = (float)4;
  {
    out[0] = b * (float)4;
  }
}
*/
