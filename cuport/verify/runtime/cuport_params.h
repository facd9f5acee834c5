// Parameter descriptions shared by the CPU runtime's registry (cuport_registry.h) and the nvcc
// timing harness (../bench_gpu_harness.cuh), so both runners name a kernel's parameter types alike
// (numpy dtype names; "struct:Foo" for other types). Include after the CUDA vector and half types
// are declared (the runtime's own headers, or cuda_runtime.h and cuda_fp16.h).
#ifndef CUPORT_PARAMS_H
#define CUPORT_PARAMS_H

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace cuport_params {

struct ParamInfo {
  bool pointer;
  bool is_const;  // pointee is const
  std::size_t size;
  char dtype[128];
};

template <class T> const char* pretty_type() { return __PRETTY_FUNCTION__; }

// "[with T = Foo]" out of the pretty function name: a readable name for types we do not know
template <class T> void type_name(char* out, std::size_t cap) {
  const char* s = std::strstr(pretty_type<T>(), "T = ");
  std::size_t n = 0;
  if (s) {
    s += 4;
    while (s[n] && s[n] != ']' && s[n] != ';') ++n;
  }
  std::snprintf(out, cap, "struct:%.*s", (int)n, s ? s : "?");
}

template <class T> struct VecInfo { static constexpr int lanes = 0; using base = void; };
#define CUPORT_VECINFO(N, B) \
  template <> struct VecInfo<N##1> { static constexpr int lanes = 1; using base = B; }; \
  template <> struct VecInfo<N##2> { static constexpr int lanes = 2; using base = B; }; \
  template <> struct VecInfo<N##3> { static constexpr int lanes = 3; using base = B; }; \
  template <> struct VecInfo<N##4> { static constexpr int lanes = 4; using base = B; };
CUPORT_VECINFO(char, signed char)
CUPORT_VECINFO(uchar, unsigned char)
CUPORT_VECINFO(short, short)
CUPORT_VECINFO(ushort, unsigned short)
CUPORT_VECINFO(int, int)
CUPORT_VECINFO(uint, unsigned int)
CUPORT_VECINFO(long, long)
CUPORT_VECINFO(ulong, unsigned long)
CUPORT_VECINFO(longlong, long long)
CUPORT_VECINFO(ulonglong, unsigned long long)
CUPORT_VECINFO(float, float)
CUPORT_VECINFO(double, double)
#undef CUPORT_VECINFO
template <> struct VecInfo<__half2> { static constexpr int lanes = 2; using base = __half; };

// numpy dtype names: float -> "float32", float4 -> "float32x4", __half -> "float16"
template <class T> void dtype_name(char* out, std::size_t cap) {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<U, bool>) {
    std::snprintf(out, cap, "bool");
  } else if constexpr (std::is_same_v<U, __half>) {
    std::snprintf(out, cap, "float16");
  } else if constexpr (std::is_floating_point_v<U>) {
    std::snprintf(out, cap, "float%d", (int)(8 * sizeof(U)));
  } else if constexpr (std::is_integral_v<U>) {
    std::snprintf(out, cap, "%s%d", std::is_signed_v<U> ? "int" : "uint", (int)(8 * sizeof(U)));
  } else if constexpr (std::is_enum_v<U>) {
    // enumerators are int constants; g++ picks an unsigned underlying type when none is negative,
    // which the ports (and nvcc's view of the parameter) treat as int
    dtype_name<std::make_signed_t<std::underlying_type_t<U>>>(out, cap);
  } else if constexpr (std::is_void_v<U>) {
    std::snprintf(out, cap, "void");
  } else if constexpr (std::is_pointer_v<U>) {
    std::snprintf(out, cap, "pointer");
  } else if constexpr (VecInfo<U>::lanes > 0) {
    char base[64];
    dtype_name<typename VecInfo<U>::base>(base, sizeof base);
    std::snprintf(out, cap, "%sx%d", base, VecInfo<U>::lanes);
  } else {
    type_name<U>(out, cap);
  }
}

template <class P> void describe_param(ParamInfo* out) {
  using D = std::decay_t<P>;
  if constexpr (std::is_pointer_v<D>) {
    using E = std::remove_pointer_t<D>;
    out->pointer = true;
    out->is_const = std::is_const_v<E>;
    if constexpr (std::is_void_v<E>) out->size = 1;
    else out->size = sizeof(E);
    dtype_name<E>(out->dtype, sizeof out->dtype);
  } else {
    out->pointer = false;
    out->is_const = false;
    out->size = sizeof(D);
    dtype_name<D>(out->dtype, sizeof out->dtype);
  }
}

template <class... P> void describe_params(ParamInfo* out) {
  int i = 0;
  ((describe_param<P>(&out[i++])), ...);
  (void)out;
  (void)i;
}

}  // namespace cuport_params

#endif
