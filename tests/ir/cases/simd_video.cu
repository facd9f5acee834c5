// SIMD video intrinsics (__vadd2, __vmaxs4, __vcmpgtu4, __vsads2, __viaddmax_s16x2, __vibmax_s32 ...)
// are MathCall rows over 32-bit words: two 16-bit or four 8-bit lanes. The s32 forms keep int.
__global__ void simd_words(const unsigned* a, const unsigned* b, unsigned* out, int* s, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    unsigned x = a[i], y = b[i];
    out[i] = __vadd2(x, y) ^ __vsubss4(x, y) ^ __vabs2(x) ^ __vnegss4(y);
    out[i] += __vcmpgtu4(x, y) + __vsetles2(x, y) + __vsads2(x, y) + __vavgs4(x, y);
    out[i] ^= __viaddmax_s16x2(x, y, 0u) ^ __vimin3_u16x2(x, y, x) ^ __vimax_s16x2_relu(x, y);
    bool p, hi, lo;
    s[i] = __viaddmin_s32_relu(s[i], 3, -1) + __vibmax_s32(s[i], n, &p);
    out[i] ^= __vibmin_u16x2(x, y, &hi, &lo) + (p ? 1u : 0u) + (hi ? 2u : 0u);
  }
}

/* EXPECT-IR
__global__ void simd_words(const unsigned int* a, const unsigned int* b, unsigned int* out, int* s, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n) {
    unsigned int x = a[i];
    unsigned int y = b[i];
    out[i] = __vadd2(x, y) ^ __vsubss4(x, y) ^ __vabs2(x) ^ __vnegss4(y);
    out[i] += __vcmpgtu4(x, y) + __vsetles2(x, y) + __vsads2(x, y) + __vavgs4(x, y);
    out[i] ^= __viaddmax_s16x2(x, y, 0u) ^ __vimin3_u16x2(x, y, x) ^ __vimax_s16x2_relu(x, y);
    bool p;
    bool hi;
    bool lo;
    s[i] = __viaddmin_s32_relu(s[i], 3, -1) + __vibmax_s32(s[i], n, &p);
    out[i] ^= __vibmin_u16x2(x, y, &hi, &lo) + (p ? 1u : 0u) + (hi ? 2u : 0u);
  }
}
*/
