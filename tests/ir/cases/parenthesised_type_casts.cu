// `(R)-2.5`: the grammar cannot know that R (a template parameter, a typedef) is a type and parses
// a subtraction; C++ reads the cast of -2.5, applied before the operators that follow.
typedef double real;
template <class R>
__global__ void pc(R* out, const R* a) {
  out[0] = (R)-2.5 + (R)7.0 * a[0];
  out[1] = (real)-a[0] * a[1] + 1;
  out[2] = (R)+3;
}
// TEMPLATE: pc R=float

/* EXPECT-IR
template <typename R = float>
__global__ void pc(float* out, const float* a) {
  out[0] = (float)-2.5 + (float)7.0 * a[0];
  out[1] = (float)((double)-a[0] * (double)a[1] + (double)1);
  out[2] = (float)3;
}
*/
