// Template arguments deduced from a call: a pointer type for `T p`, an array bound through a
// reference `(&a)[N]`, and a value named in the explicit arguments (`sum<float, W>`: W is a value).
template <class P>
__device__ int first(P p) { return p[0]; }
template <int N>
__device__ int count(const int (&a)[N]) { return N + a[0]; }
template <class T, int K>
__device__ T scaled(T x) { return x * K; }
template <int W>
__global__ void deduce(const int* __restrict__ in, int* out) {
  int local[3] = {1, 2, 3};
  out[0] = first(in) + count(local) + scaled<int, W>(in[1]);
}
// TEMPLATE: deduce W=4

/* EXPECT-IR
template <int W = 4>
__global__ void deduce(const int* __restrict__ in, int* out) {
  int local[3] = {1, 2, 3};
  out[0] = first<const int*>(in) + count<3>((int*)local) + scaled<int, 4>(in[1]);
}

template <typename P = const int*>
__device__ int first(const int* p) {
  return p[0];
}

template <int N = 3>
__device__ int count(const int* a) {
  return 3 + a[0];
}

template <typename T = int, int K = 4>
__device__ int scaled(int x) {
  return x * 4;
}
*/
