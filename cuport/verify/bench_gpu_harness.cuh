// GPU timing harness for original CUDA kernels (verify/bench_gpu.py builds it with nvcc around the
// unmodified source). It speaks the CPU runtime driver's protocol (runtime/driver.cpp): --signature
// describes the registered kernels; --run REQUEST DATA runs `repeat` launches of one kernel on a
// device copy of the data file and writes the last launch's bytes back. Each launch starts from the
// same bytes (restored device-to-device), after an L2 flush, and is timed with CUDA events; the
// restore and the flush are outside the timed span.
#ifndef CUPORT_BENCH_GPU_HARNESS_CUH
#define CUPORT_BENCH_GPU_HARNESS_CUH

#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/cuport_params.h"  // the parameter descriptions the CPU runtime uses too

namespace cuport_gpu {

using cuport_params::ParamInfo;
using cuport_params::describe_params;

struct ArgSlot { enum Kind { PTR, INT, FLOAT, BYTES } kind; void* p; long long i; double d; std::vector<unsigned char> bytes; };
struct KernelEntry {
  const char* name;
  int nparams;
  void (*describe)(ParamInfo* out);
  cudaError_t (*launch)(const void* fn, dim3 g, dim3 b, std::size_t shared, const ArgSlot* args);
  const void* fn;
};
struct SymbolEntry { const char* name; const void* symbol; std::size_t size; };

template <class T> T from_slot(const ArgSlot& s) {
  if constexpr (std::is_pointer_v<T>) return reinterpret_cast<T>(s.p);
  else if constexpr (std::is_same_v<T, __half>) return __float2half((float)(s.kind == ArgSlot::FLOAT ? s.d : (double)s.i));
  else if constexpr (std::is_same_v<T, bool>) return s.kind == ArgSlot::FLOAT ? s.d != 0 : s.i != 0;
  else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) return s.kind == ArgSlot::FLOAT ? (T)s.d : (T)s.i;
  else {
    T v;
    std::memset(static_cast<void*>(&v), 0, sizeof(T));
    std::memcpy(static_cast<void*>(&v), s.bytes.data(), s.bytes.size() < sizeof(T) ? s.bytes.size() : sizeof(T));
    return v;
  }
}

template <class... P, std::size_t... I>
cudaError_t launch_impl(const void* fn, dim3 g, dim3 b, std::size_t shared, const ArgSlot* s, std::index_sequence<I...>) {
  std::tuple<std::decay_t<P>...> values{from_slot<std::decay_t<P>>(s[I])...};
  void* ptrs[sizeof...(P) + 1] = {static_cast<void*>(&std::get<I>(values))..., nullptr};
  (void)s;
  return cudaLaunchKernel(fn, g, b, ptrs, shared, 0);
}

template <class... P> cudaError_t launch_entry(const void* fn, dim3 g, dim3 b, std::size_t shared, const ArgSlot* s) {
  return launch_impl<P...>(fn, g, b, shared, s, std::index_sequence_for<P...>{});
}

template <class... P> KernelEntry kernel_entry(const char* name, void (*f)(P...)) {
  return KernelEntry{name, (int)sizeof...(P), &describe_params<P...>, &launch_entry<P...>, reinterpret_cast<const void*>(f)};
}

template <class T> SymbolEntry symbol_entry(const char* name, T& sym) { return SymbolEntry{name, static_cast<const void*>(&sym), sizeof(T)}; }

}  // namespace cuport_gpu

const cuport_gpu::KernelEntry* cuport_kernel_table(int* n);
const cuport_gpu::SymbolEntry* cuport_symbol_table(int* n);

namespace cuport_gpu {

// larger than any current GPU's L2 (H100 50 MB, H200 60 MB): writing it evicts the inputs
constexpr std::size_t kFlushBytes = std::size_t(256) << 20;

[[noreturn]] inline void fail(int code, const std::string& why) {
  const char* rp = std::getenv("CUPORT_REPORT");
  FILE* rep = rp ? std::fopen(rp, "a") : nullptr;
  std::fprintf(rep ? rep : stderr, "error\t%s\n", why.c_str());
  if (rep) std::fclose(rep);
  std::exit(code);
}

inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) fail(e == cudaErrorLaunchFailure || e == cudaErrorIllegalAddress ? 5 : 6,
                             std::string(what) + ": " + cudaGetErrorString(e));
}

inline int print_signature() {
  int nk = 0, ns = 0;
  const KernelEntry* ks = cuport_kernel_table(&nk);
  const SymbolEntry* ss = cuport_symbol_table(&ns);
  std::string out = "{\"kernels\": [";
  for (int k = 0; k < nk; ++k) {
    std::vector<ParamInfo> ps(ks[k].nparams + 1);
    ks[k].describe(ps.data());
    out += std::string(k ? ", " : "") + "{\"name\": \"" + ks[k].name + "\", \"params\": [";
    for (int i = 0; i < ks[k].nparams; ++i) {
      out += std::string(i ? ", " : "") + "{\"kind\": \"" + (ps[i].pointer ? "pointer" : "scalar") + "\", \"dtype\": \"" +
             ps[i].dtype + "\", \"const\": " + (ps[i].is_const ? "true" : "false") + ", \"size\": " + std::to_string(ps[i].size) + "}";
    }
    out += "]}";
  }
  out += "], \"symbols\": [";
  for (int s = 0; s < ns; ++s) out += std::string(s ? ", " : "") + "{\"name\": \"" + ss[s].name + "\", \"size\": " + std::to_string(ss[s].size) + "}";
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}

inline int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

inline int run(const char* request_path, const char* data_path) {
  int nk = 0, ns = 0;
  const KernelEntry* ks = cuport_kernel_table(&nk);
  const SymbolEntry* ss = cuport_symbol_table(&ns);
  int fd = open(data_path, O_RDWR);
  if (fd < 0) fail(4, "bad request: cannot open the data file");
  struct stat st;
  fstat(fd, &st);
  const std::size_t size = (std::size_t)st.st_size;
  unsigned char* host = size ? static_cast<unsigned char*>(mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) : nullptr;
  close(fd);
  if (host == MAP_FAILED) fail(4, "bad request: cannot map the data file");
  unsigned char *dev = nullptr, *pristine = nullptr;
  check(cudaMalloc(&dev, size ? size : 1), "cudaMalloc");
  check(cudaMalloc(&pristine, size ? size : 1), "cudaMalloc");
  if (size) check(cudaMemcpy(pristine, host, size, cudaMemcpyHostToDevice), "copying the inputs");

  FILE* rf = std::fopen(request_path, "r");
  if (!rf) fail(4, "bad request: cannot open the request file");
  int kernel = -1, repeat = 1;
  dim3 grid(1), block(1);
  std::size_t shared = 0;
  std::vector<ArgSlot> args;
  struct Sym { int index; std::size_t offset, size; };
  std::vector<Sym> syms;
  static char line[1 << 16];
  while (std::fgets(line, sizeof line, rf)) {
    char word[32] = {0}, kind[32] = {0};
    if (std::sscanf(line, "%31s", word) != 1) continue;
    const std::string w = word;
    if (w == "kernel") std::sscanf(line, "%*s %d", &kernel);
    else if (w == "grid") std::sscanf(line, "%*s %u %u %u", &grid.x, &grid.y, &grid.z);
    else if (w == "block") std::sscanf(line, "%*s %u %u %u", &block.x, &block.y, &block.z);
    else if (w == "shared") std::sscanf(line, "%*s %zu", &shared);
    else if (w == "repeat") std::sscanf(line, "%*s %d", &repeat);
    else if (w == "arg") {
      std::sscanf(line, "%*s %31s", kind);
      ArgSlot a{};
      const std::string k = kind;
      if (k == "ptr") {
        std::size_t off = 0, len = 0, payload = 0;
        std::sscanf(line, "%*s %*s %zu %zu %zu", &off, &len, &payload);
        if (off + len > size || payload > len) fail(4, "bad request: buffer outside the data file");
        a.kind = ArgSlot::PTR;
        a.p = dev + off + payload;
      } else if (k == "null") {
        a.kind = ArgSlot::PTR;
      } else if (k == "int") {
        a.kind = ArgSlot::INT;
        std::sscanf(line, "%*s %*s %lld", &a.i);
      } else if (k == "float") {
        char num[128];
        a.kind = ArgSlot::FLOAT;
        std::sscanf(line, "%*s %*s %127s", num);
        a.d = std::strtod(num, nullptr);
      } else if (k == "bytes") {
        char* hex = std::strstr(line, "bytes") + 5;
        while (*hex == ' ') ++hex;
        a.kind = ArgSlot::BYTES;
        for (; hex[0] && hex[1] && hex[0] != '\n'; hex += 2) a.bytes.push_back((unsigned char)(hexval(hex[0]) * 16 + hexval(hex[1])));
      } else {
        fail(4, "bad request: unknown argument kind " + k);
      }
      args.push_back(a);
    } else if (w == "symbol") {
      Sym s{};
      std::sscanf(line, "%*s %d %zu %zu", &s.index, &s.offset, &s.size);
      if (s.index < 0 || s.index >= ns || s.offset + s.size > size) fail(4, "bad request: bad symbol");
      syms.push_back(s);
    }
  }
  std::fclose(rf);
  if (kernel < 0 || kernel >= nk || repeat < 1) fail(4, "bad request: unknown kernel index or repeat < 1");
  const KernelEntry& e = ks[kernel];
  if ((int)args.size() != e.nparams) fail(4, "bad request: wrong number of arguments for " + std::string(e.name));

  void* flush = nullptr;
  check(cudaMalloc(&flush, kFlushBytes), "cudaMalloc (L2 flush buffer)");
  cudaEvent_t start, stop;
  check(cudaEventCreate(&start), "cudaEventCreate");
  check(cudaEventCreate(&stop), "cudaEventCreate");
  std::vector<float> samples;
  for (int r = 0; r < repeat; ++r) {
    if (size) check(cudaMemcpy(dev, pristine, size, cudaMemcpyDeviceToDevice), "restoring the inputs");
    for (const Sym& s : syms) {
      const std::size_t n = s.size < ss[s.index].size ? s.size : ss[s.index].size;
      check(cudaMemcpyToSymbol(ss[s.index].symbol, host + s.offset, n), "filling a symbol");
    }
    // queued before the start event: the launch's host overhead passes while the GPU clears L2
    check(cudaMemsetAsync(flush, r & 0xff, kFlushBytes, 0), "flushing L2");
    check(cudaEventRecord(start, 0), "cudaEventRecord");
    check(e.launch(e.fn, grid, block, shared, args.data()), "launch rejected");
    check(cudaEventRecord(stop, 0), "cudaEventRecord");
    check(cudaEventSynchronize(stop), "the kernel failed");
    check(cudaGetLastError(), "the kernel failed");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    samples.push_back(ms);
  }
  if (size) check(cudaMemcpy(host, dev, size, cudaMemcpyDeviceToHost), "copying the results back");
  for (const Sym& s : syms) {
    const std::size_t n = s.size < ss[s.index].size ? s.size : ss[s.index].size;
    check(cudaMemcpyFromSymbol(host + s.offset, ss[s.index].symbol, n), "reading a symbol back");
  }
  if (host) munmap(host, size);
  const char* rp = std::getenv("CUPORT_REPORT");
  FILE* rep = rp ? std::fopen(rp, "a") : stderr;
  std::fprintf(rep ? rep : stderr, "elapsed\t%.9f\n", samples.back() / 1e3);
  for (float ms : samples) std::fprintf(rep ? rep : stderr, "sample\t%.9f\n", ms / 1e3);
  if (rep && rep != stderr) std::fclose(rep);
  return 0;
}

}  // namespace cuport_gpu

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--signature") == 0) return cuport_gpu::print_signature();
  if (argc >= 4 && std::strcmp(argv[1], "--run") == 0) return cuport_gpu::run(argv[2], argv[3]);
  std::fprintf(stderr, "usage: %s --signature | --run REQUEST DATA\n", argv[0]);
  return 2;
}

#endif  // CUPORT_BENCH_GPU_HARNESS_CUH
