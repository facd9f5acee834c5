// Hexadecimal float literals (C++17: the binary exponent after `p` is required) and bool template
// arguments (`kFirst = true`).
template <bool kFirst>
__global__ void hex_floats(float* out, double* d) {
  out[0] = 0x1p-3f + -0xf.8eed2p-4f;
  d[0] = 0x1.8p1;
  if (kFirst) out[1] = 0xAp0F;
}
// TEMPLATE: hex_floats kFirst=true

/* EXPECT-IR
template <int kFirst = 1>
__global__ void hex_floats(float* out, double* d) {
  out[0] = 0.125f + -0.9723941087722778f;
  d[0] = 3.0;
  if ((bool)1) {
    out[1] = 10.0f;
  }
}
*/
