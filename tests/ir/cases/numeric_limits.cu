// std::numeric_limits<T> members become literals of T (T a template parameter or a scalar name).
// TEMPLATE: clamp_all T=int
template <typename T>
__global__ void clamp_all(T* x, float* f, unsigned char* b) {
  x[0] = x[0] > std::numeric_limits<T>::max() - 1 ? std::numeric_limits<T>::lowest() : x[0];
  f[0] = std::numeric_limits<float>::infinity() + std::numeric_limits<float>::epsilon();
  f[1] = ::std::numeric_limits<double>::max();
  b[0] = std::numeric_limits<unsigned char>::max();
}

/* EXPECT-IR
template <typename T = int>
__global__ void clamp_all(int* x, float* f, unsigned char* b) {
  x[0] = x[0] > 2147483646 ? (-2147483647 - 1) : x[0];
  f[0] = 1e999f + 1.1920928955078125e-07f;
  f[1] = (float)1.7976931348623157e+308;
  b[0] = (unsigned char)255;
}
*/
