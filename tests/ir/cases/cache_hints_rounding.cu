// Cache-hint loads and stores are MathCall rows: loads are `ldg` (a plain load of the pointee),
// stores `st` (void); lrintf and friends round in the current mode to an integer type; clock_t is
// a 64-bit integer.
__global__ void hints(const float* x, float4* v, float* y, long* r, clock_t* c) {
  int i = threadIdx.x;
  float a = __ldcs(x + i) + __ldcg(&x[i]) + __ldlu(x) + __ldca(x) + __ldcv(x);
  float4 q = __ldcs(v + i);
  __stcs(y + i, a);
  __stwt(v + i, q);
  __stcg(y, 1);
  r[i] = lrintf(a) + llrint((double)a);
  c[i] = clock();
}

/* EXPECT-IR
__global__ void hints(const float* x, float4* v, float* y, long long* r, long long* c) {
  int i = (int)threadIdx.x;
  float a = __ldcs(x + i) + __ldcg(&x[i]) + __ldlu(x) + __ldca(x) + __ldcv(x);
  float4 q = __ldcs(v + i);
  __stcs(y + i, a);
  __stwt(v + i, q);
  __stcg(y, (float)1);
  r[i] = lrintf(a) + llrint((double)a);
  c[i] = clock();
}
*/
