// `enum class` enumerators are reached as `E::k` only; a plain enum's as `k` and `E::k`;
// constants and types of the file's namespaces as `ns::name` (namespaces nested too).
enum class Mode { kAuto, kFp8 = 4 };
enum Plain { P0 = 2, P1 };
namespace util {
const int kZero = 7;
namespace detail {
enum Flag { kOn = 1 };
typedef float real;
}  // namespace detail
}  // namespace util
template <Mode M>
__device__ float scale(float x) {
  if constexpr (M == Mode::kAuto) return x;
  return x * 2.0f;
}
__global__ void scoped(float* out) {
  util::detail::real r = out[0];
  out[0] = r + util::kZero + util::detail::kOn + util::detail::Flag::kOn + P1 + Plain::P0;
  out[1] = scale<Mode::kFp8>(r) + (int)Mode::kFp8;
}
__global__ void unscoped_use(float* out) {
  out[0] = kFp8;  // an enum class's enumerator needs its scope
}

/* EXPECT-IR
__global__ void scoped(float* out) {
  float r = out[0];
  out[0] = r + (float)7 + (float)1 + (float)1 + (float)3 + (float)2;
  out[1] = scale<4>(r) + (float)4;
}

template <int M = 4>
__device__ float scale(float x) {
  return x * 2.0f;
}

// FAILED unscoped_use
scoped_enums_namespaces.cu:23:12: error[CL002]: unknown identifier 'kFp8'
      out[0] = kFp8;  // an enum class's enumerator needs its scope
               ^
*/
