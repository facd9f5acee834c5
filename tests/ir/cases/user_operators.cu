// Operators the file defines for vector types are device functions named operator_<word>.
__device__ float3 operator+(float3 a, float3 b) { return make_float3(a.x + b.x, a.y + b.y, a.z + b.z); }
__device__ float3 operator*(float3 a, float s) { return make_float3(a.x * s, a.y * s, a.z * s); }
__device__ float3 operator*(float s, float3 a) { return make_float3(a.x * s, a.y * s, a.z * s); }
__device__ float3 operator-(float3 a) { return make_float3(-a.x, -a.y, -a.z); }
__device__ void operator+=(float3& a, float3 b) { a.x += b.x; a.y += b.y; a.z += b.z; }
__global__ void axpy3(float3* y, const float3* x, float a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float3 v = a * x[i] + y[i] * 2.0f;
    v += -x[i];
    y[i] = v;
  }
}

/* EXPECT-IR
__device__ float3 operator_add(float3 a, float3 b) {
  return make_float3(a.x + b.x, a.y + b.y, a.z + b.z);
}

__device__ float3 operator_mul(float3 a, float s) {
  return make_float3(a.x * s, a.y * s, a.z * s);
}

__device__ float3 operator_mul_ovl1(float s, float3 a) {
  return make_float3(a.x * s, a.y * s, a.z * s);
}

__device__ float3 operator_sub(float3 a) {
  return make_float3(-a.x, -a.y, -a.z);
}

__device__ void operator_add_assign(float3* a, float3 b) {
  (*a).x += b.x;
  (*a).y += b.y;
  (*a).z += b.z;
}

__global__ void axpy3(float3* y, const float3* x, float a, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n) {
    float3 v = operator_add(operator_mul_ovl1(a, x[i]), operator_mul(y[i], 2.0f));
    operator_add_assign(&v, operator_sub(x[i]));
    y[i] = v;
  }
}
*/
