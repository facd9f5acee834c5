// TEMPLATE: conv T=float
// TEMPLATE: lookup K=unsigned
// Variable templates: a __constant__ array per instantiation (named mask_float), const ones as
// the value of their initializer with the arguments bound; host-only constexpr functions and
// static constexpr methods of class templates evaluated at compile time.
template <typename T> __constant__ T mask[8];

template <typename K> constexpr K empty_key() {
  if constexpr (sizeof(K) == 8) {
    return 0xffffffffffffffffull;
  } else {
    static_assert(sizeof(K) == 4, "32-bit keys");
    return 0xffffffffu;
  }
}

template <typename K> const K EMPTY = empty_key<K>();

template <int N> constexpr int twice_plus(int a) { return 2 * a + N; }

template <typename K> struct Table {
  __host__ __device__ static constexpr K tomb() { if (sizeof(K) == 4) return 7; else return 9; }
};

template <typename T>
__global__ void conv(const T* in, T* out, int n, int width) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  T s = 0;
  for (int j = 0; j < width && i + j < n; j++) s += in[i + j] * mask<T>[j];
  out[i] = s;
}

template <typename K>
__global__ void lookup(const K* keys, int* found, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) found[i] = keys[i] != EMPTY<K> && keys[i] != Table<K>::tomb() ? twice_plus<1>(3) : 0;
}

/* EXPECT-IR
__constant__ float mask_float[8];

template <typename T = float>
__global__ void conv(const float* in, float* out, int n, int width) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i >= n) {
    return;
  }
  float s = (float)0;
  for (int j = 0; j < width && i + j < n; j += 1) {
    s += in[i + j] * mask_float[j];
  }
  out[i] = s;
}

template <typename K = unsigned int>
__global__ void lookup(const unsigned int* keys, int* found, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n) {
    found[i] = keys[i] != 4294967295u && keys[i] != 7u ? 7 : 0;
  }
}
*/
