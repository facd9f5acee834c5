// Math functions become MathCall rows of math_ops.toml; overloads follow the argument types.
__global__ void math(const float* x, double* y, float* z, int* w) {
  float a = x[threadIdx.x];
  z[0] = sqrtf(a) + expf(a) + __expf(a) + fmaxf(a, 0.0f) + fabsf(a);
  z[1] = powf(a, 2.0f) + rsqrtf(a) + __fdividef(a, 3.0f) + fmaf(a, a, 1.0f);
  y[0] = sqrt(2.0) + exp((double)a) + sqrt(2);
  z[2] = sqrt(a) + min(a, 1.0f) + max(1, 2);
  w[0] = __popc(w[1]) + __clz(w[2]) + __float_as_int(a) + __float2int_rn(a) + abs(w[3]);
  z[3] = __saturatef(a) + __int_as_float(w[4]);
}

/* EXPECT-IR
__global__ void math(const float* x, double* y, float* z, int* w) {
  float a = x[threadIdx.x];
  z[0] = sqrtf(a) + expf(a) + __expf(a) + fmaxf(a, 0.0f) + fabsf(a);
  z[1] = powf(a, 2.0f) + rsqrtf(a) + __fdividef(a, 3.0f) + fmaf(a, a, 1.0f);
  y[0] = sqrt(2.0) + exp((double)a) + sqrt((double)2);
  z[2] = sqrt(a) + min(a, 1.0f) + (float)max(1, 2);
  w[0] = __popc((unsigned int)w[1]) + __clz(w[2]) + __float_as_int(a) + __float2int_rn(a) + abs(w[3]);
  z[3] = __saturatef(a) + __int_as_float(w[4]);
}
*/
