// Pointer arithmetic stays PtrAdd; *p is Deref; &a[i] is AddrOf(Index); p - q is PtrDiff.
__global__ void ptrs(float* base, const float* src, long long* diff, int n) {
  float* row = base + blockIdx.x * n;
  const float* s = src + threadIdx.x;
  *row = *s;
  row[1] = *(s + 1);
  float* p = &row[2];
  p += 3;
  p[-1] = 0.0f;
  diff[0] = p - row;
  if (p != nullptr && s) *p = 1.0f;
}

/* EXPECT-IR
__global__ void ptrs(float* base, const float* src, long long* diff, int n) {
  float* row = base + blockIdx.x * (unsigned int)n;
  const float* s = src + threadIdx.x;
  *row = *s;
  row[1] = *(s + 1);
  float* p = &row[2];
  p += 3;
  p[-1] = 0.0f;
  diff[0] = p - row;
  if (p != nullptr && (bool)s) {
    *p = 1.0f;
  }
}
*/
