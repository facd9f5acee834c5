// Standard type traits under the bound template arguments are compile-time constants (with
// `if constexpr`, only the branch they pick is lowered); `std::make_unsigned<T>::type` is a type.
// `long` and `long long` are one IR type: their spellings tell them apart (x86-64 Linux).
// TEMPLATE: pick T=unsigned
template <typename T>
__global__ void pick(T* out, const T* in) {
  using U = typename std::make_unsigned<T>::type;
  if constexpr (std::is_same_v<T, unsigned>) {
    out[0] = in[0] + 1u;
  } else {
    out[0] = undefined_here;
  }
  const bool is_fp = std::is_floating_point<T>::value;
  U u = in[1];
  out[1] = u + (is_fp ? 2 : 3);
  out[2] = std::is_same<long, long long>::value + std::is_same<int64_t, long>::value;
  out[3] = std::is_signed_v<T> + std::is_integral_v<half> * 2;
}
typedef long long my_ll;
__global__ void unknown_spelling(int* out) {
  out[0] = std::is_same<my_ll, long>::value;  // a typedef the table does not know: refused
}
__global__ void not_unsigned(float* out) {
  using U = std::make_unsigned_t<float>;  // ill-formed in C++: no type
  U u = 0;
  out[0] = u;
}

/* EXPECT-IR
template <typename T = unsigned int>
__global__ void pick(unsigned int* out, const unsigned int* in) {
  {
    out[0] = in[0] + 1u;
  }
  const bool is_fp = false;
  unsigned int u = in[1];
  out[1] = u + (unsigned int)(is_fp ? 2 : 3);
  out[2] = (unsigned int)1;
  out[3] = (unsigned int)0;
}

// FAILED unknown_spelling
type_traits.cu:21:12: error[CL001]: cannot lower 'std::is_same<my_ll, long>::value': the trait's answer is not known for these types
      out[0] = std::is_same<my_ll, long>::value;  // a typedef the table does not know: refused
               ^

// FAILED not_unsigned
type_traits.cu:24:13: error[CL005]: unknown type 'std::make_unsigned_t<float>'
      using U = std::make_unsigned_t<float>;  // ill-formed in C++: no type
                ^
*/
