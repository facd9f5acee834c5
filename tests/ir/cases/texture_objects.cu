// A texture object is an opaque handle parameter; tex1Dfetch<T>/tex2D<T> are MathCall rows whose
// result type is the template argument.
__global__ void tex(cudaTextureObject_t t1, cudaTextureObject_t t2, float* out, float4* v, int n) {
  int i = threadIdx.x;
  out[i] = tex1Dfetch<float>(t1, i) + tex2D<float>(t2, i + 0.5f, 0.5f);
  v[i] = tex1Dfetch<float4>(t1, n - i);
}

/* EXPECT-IR
__global__ void tex(cudaTextureObject_t t1, cudaTextureObject_t t2, float* out, float4* v, int n) {
  int i = (int)threadIdx.x;
  out[i] = tex1Dfetch<float>(t1, i) + tex2D<float>(t2, (float)i + 0.5f, 0.5f);
  v[i] = tex1Dfetch<float4>(t1, n - i);
}
*/
