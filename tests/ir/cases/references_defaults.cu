// Writable references become pointers (callers pass &arg, bodies use *p); const references are
// values. Default arguments fill missing ones; overloads pick the fewest conversions; namespaces.
namespace util {
__device__ void swap2(float& a, float& b) { float t = a; a = b; b = t; }
__device__ float scale(const float& v, float k = 2.0f) { return v * k; }
}
__device__ int pick(int v) { return v + 1; }
__device__ float pick(float v) { return v * 3.0f; }
__global__ void refs(float* out, int n) {
  float lo = out[0];
  util::swap2(lo, out[1]);
  float& r = out[2];
  r += util::scale(lo);
  r = util::scale(r, 0.5f) + pick(1.0f) + pick(n);
}

/* EXPECT-IR
__device__ void swap2(float* a, float* b) {
  float t = *a;
  *a = *b;
  *b = t;
}

__device__ float scale(float v, float k) {
  return v * k;
}

__device__ int pick(int v) {
  return v + 1;
}

__device__ float pick_ovl1(float v) {
  return v * 3.0f;
}

__global__ void refs(float* out, int n) {
  float lo = out[0];
  swap2(&lo, &out[1]);
  float* const r = &out[2];
  *r += scale(lo, 2.0f);
  *r = scale(*r, 0.5f) + pick_ovl1(1.0f) + (float)pick(n);
}
*/
