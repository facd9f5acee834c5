// Kernel and symbol registration for kernel mode. The generated translation unit lists each
// requested kernel as `kernel_entry("name", &name)`; the parameter types are deduced from the
// function pointer, so the driver can describe the signature and unpack arguments without any
// parser of ours.
#ifndef CUPORT_REGISTRY_H
#define CUPORT_REGISTRY_H

#include "cuport_rt.h"
#include "cuport_params.h"  // after the runtime: it names the vector and half types

namespace cuport {

using cuport_params::ParamInfo;
using cuport_params::describe_params;

struct ArgSlot {
  enum Kind { PTR, INT, FLOAT, BYTES } kind;
  void* p;
  long long i;
  double d;
  const unsigned char* bytes;
  std::size_t nbytes;
};

struct KernelEntry {
  const char* name;
  int nparams;
  void (*describe)(ParamInfo* out);
  int (*launch)(void* fn, const LaunchConfig& cfg, const ArgSlot* args);
  void* fn;
};

struct SymbolEntry {
  const char* name;
  void* addr;
  std::size_t size;
};

template <class T> T from_slot(const ArgSlot& s) {
  if constexpr (std::is_pointer_v<T>) {
    return s.kind == ArgSlot::PTR ? reinterpret_cast<T>(s.p) : reinterpret_cast<T>((std::uintptr_t)s.i);
  } else if constexpr (std::is_same_v<T, __half>) {
    return __half((float)(s.kind == ArgSlot::FLOAT ? s.d : (double)s.i));
  } else if constexpr (std::is_same_v<T, bool>) {
    return s.kind == ArgSlot::FLOAT ? s.d != 0 : s.i != 0;
  } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    return s.kind == ArgSlot::FLOAT ? (T)s.d : (T)s.i;
  } else {
    alignas(T) unsigned char raw[sizeof(T)] = {};
    if (s.kind == ArgSlot::BYTES) std::memcpy(raw, s.bytes, s.nbytes < sizeof(T) ? s.nbytes : sizeof(T));
    T v;
    std::memcpy(static_cast<void*>(&v), raw, sizeof(T));
    return v;
  }
}

template <class... P, std::size_t... I>
int launch_entry_impl(void* fn, const LaunchConfig& cfg, const ArgSlot* s, std::index_sequence<I...>) {
  auto f = reinterpret_cast<void (*)(P...)>(fn);
  std::tuple<std::decay_t<P>...> t{from_slot<std::decay_t<P>>(s[I])...};
  (void)s;
  auto call = [f](auto&... a) { f(a...); };
  using Ctx = LaunchCtx<decltype(call), decltype(t)>;
  Ctx ctx{&call, &t};
  return run_grid(cfg, &Ctx::body, &ctx);
}

template <class... P> int launch_entry(void* fn, const LaunchConfig& cfg, const ArgSlot* s) {
  return launch_entry_impl<P...>(fn, cfg, s, std::index_sequence_for<P...>{});
}

template <class... P> KernelEntry kernel_entry(const char* name, void (*f)(P...)) {
  return KernelEntry{name, (int)sizeof...(P), &describe_params<P...>, &launch_entry<P...>, reinterpret_cast<void*>(f)};
}

template <class T> SymbolEntry symbol_entry(const char* name, T& sym) {
  return SymbolEntry{name, static_cast<void*>(&sym), sizeof(T)};
}

}  // namespace cuport

// defined by the generated translation unit
const cuport::KernelEntry* cuport_kernel_table(int* n);
const cuport::SymbolEntry* cuport_symbol_table(int* n);

#endif  // CUPORT_REGISTRY_H
