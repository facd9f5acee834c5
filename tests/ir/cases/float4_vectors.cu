// Vector types: lanes, make_*, reinterpret_cast of pointers for vectorised loads.
__global__ void vec(const float* in, float4* out, int2* idx, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i * 4 >= n) return;
  float4 v = reinterpret_cast<const float4*>(in)[i];
  float4 r = make_float4(v.x * 2.0f, v.y, v.z, v.w + 1.0f);
  out[i] = r;
  int2 p = make_int2(i, i + 1);
  idx[i] = p;
  out[i].x = v.w;
}

/* EXPECT-IR
__global__ void vec(const float* in, float4* out, int2* idx, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i * 4 >= n) {
    return;
  }
  float4 v = reinterpret_cast<const float4*>(in)[i];
  float4 r = make_float4(v.x * 2.0f, v.y, v.z, v.w + 1.0f);
  out[i] = r;
  int2 p = make_int2(i, i + 1);
  idx[i] = p;
  out[i].x = v.w;
}
*/
