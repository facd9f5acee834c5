// Kernel-mode driver: describes the registered kernels (--signature) or runs one launch described
// by a request file over a data file that both this process and the harness memory-map, so each
// buffer's guard zones travel with it (--run REQUEST DATA).
#include "cuport_registry.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

void json_str(std::string& out, const char* s) {
  out += '"';
  for (; *s; ++s) {
    if (*s == '"' || *s == '\\') out += '\\';
    if ((unsigned char)*s < 0x20) continue;
    out += *s;
  }
  out += '"';
}

int print_signature() {
  int nk = 0, ns = 0;
  const cuport::KernelEntry* ks = cuport_kernel_table(&nk);
  const cuport::SymbolEntry* ss = cuport_symbol_table(&ns);
  std::string out = "{\"kernels\": [";
  for (int k = 0; k < nk; ++k) {
    std::vector<cuport::ParamInfo> ps(ks[k].nparams + 1);
    ks[k].describe(ps.data());
    out += k ? ", " : "";
    out += "{\"name\": ";
    json_str(out, ks[k].name);
    out += ", \"params\": [";
    for (int i = 0; i < ks[k].nparams; ++i) {
      out += i ? ", " : "";
      out += std::string("{\"kind\": \"") + (ps[i].pointer ? "pointer" : "scalar") + "\", \"dtype\": ";
      json_str(out, ps[i].dtype);
      out += std::string(", \"const\": ") + (ps[i].is_const ? "true" : "false") + ", \"size\": " + std::to_string(ps[i].size) + "}";
    }
    out += "]}";
  }
  out += "], \"symbols\": [";
  for (int s = 0; s < ns; ++s) {
    out += s ? ", " : "";
    out += "{\"name\": ";
    json_str(out, ss[s].name);
    out += ", \"size\": " + std::to_string(ss[s].size) + "}";
  }
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}

[[noreturn]] void bad_request(const std::string& why) {
  std::fprintf(stderr, "error\tbad request: %s\n", why.c_str());
  std::exit(4);
}

// CPU time of the whole process (all workers): on a shared machine the launch's wall time also
// counts other processes, its CPU time does not.
double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

int run(const char* request_path, const char* data_path) {
  int nk = 0, ns = 0;
  const cuport::KernelEntry* ks = cuport_kernel_table(&nk);
  const cuport::SymbolEntry* ss = cuport_symbol_table(&ns);
  unsigned char* data = nullptr;
  std::size_t data_size = 0;
  {
    int fd = open(data_path, O_RDWR);
    if (fd < 0) bad_request("cannot open the data file");
    struct stat st;
    fstat(fd, &st);
    data_size = (std::size_t)st.st_size;
    if (data_size) {
      // populated: the page faults of the harness's buffers are not the kernel's time
      void* m = mmap(nullptr, data_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
      if (m == MAP_FAILED) bad_request("cannot map the data file");
      data = static_cast<unsigned char*>(m);
    }
    close(fd);
  }
  FILE* rf = std::fopen(request_path, "r");
  if (!rf) bad_request("cannot open the request file");
  int kernel = -1;
  dim3 grid(1), block(1);
  std::size_t shared = 0;
  int repeat = 1;
  std::vector<cuport::ArgSlot> args;
  std::vector<std::vector<unsigned char>> blobs;
  struct Sym { int index; std::size_t offset, size; };
  std::vector<Sym> syms;
  char line[1 << 16];
  blobs.reserve(256);
  while (std::fgets(line, sizeof line, rf)) {
    char word[32] = {0}, kind[32] = {0};
    if (std::sscanf(line, "%31s", word) != 1) continue;
    const std::string w = word;
    if (w == "kernel") {
      std::sscanf(line, "%*s %d", &kernel);
    } else if (w == "grid") {
      std::sscanf(line, "%*s %u %u %u", &grid.x, &grid.y, &grid.z);
    } else if (w == "block") {
      std::sscanf(line, "%*s %u %u %u", &block.x, &block.y, &block.z);
    } else if (w == "shared") {
      std::sscanf(line, "%*s %zu", &shared);
    } else if (w == "repeat") {
      std::sscanf(line, "%*s %d", &repeat);
      if (repeat < 1) bad_request("repeat must be at least 1");
    } else if (w == "arg") {
      std::sscanf(line, "%*s %31s", kind);
      cuport::ArgSlot a{};
      const std::string k = kind;
      if (k == "ptr") {
        std::size_t off = 0, len = 0, payload = 0;
        std::sscanf(line, "%*s %*s %zu %zu %zu", &off, &len, &payload);
        if (off + len > data_size || payload > len) bad_request("buffer outside the data file");
        a.kind = cuport::ArgSlot::PTR;
        a.p = data + off + payload;
      } else if (k == "null") {
        a.kind = cuport::ArgSlot::PTR;
        a.p = nullptr;
      } else if (k == "int") {
        a.kind = cuport::ArgSlot::INT;
        std::sscanf(line, "%*s %*s %lld", &a.i);
      } else if (k == "float") {
        a.kind = cuport::ArgSlot::FLOAT;
        char num[128];
        std::sscanf(line, "%*s %*s %127s", num);
        a.d = std::strtod(num, nullptr);
      } else if (k == "bytes") {
        char* hex = std::strstr(line, "bytes") + 5;
        while (*hex == ' ') ++hex;
        blobs.emplace_back();
        for (; hex[0] && hex[1] && hex[0] != '\n'; hex += 2) blobs.back().push_back((unsigned char)(hexval(hex[0]) * 16 + hexval(hex[1])));
        a.kind = cuport::ArgSlot::BYTES;
        a.bytes = blobs.back().data();
        a.nbytes = blobs.back().size();
      } else {
        bad_request("unknown argument kind " + k);
      }
      args.push_back(a);
    } else if (w == "symbol") {
      Sym s{};
      std::sscanf(line, "%*s %d %zu %zu", &s.index, &s.offset, &s.size);
      if (s.index < 0 || s.index >= ns) bad_request("unknown symbol index");
      if (s.offset + s.size > data_size) bad_request("symbol data outside the data file");
      syms.push_back(s);
    }
  }
  std::fclose(rf);
  if (kernel < 0 || kernel >= nk) bad_request("unknown kernel index");
  const cuport::KernelEntry& e = ks[kernel];
  if ((int)args.size() != e.nparams) {
    bad_request("kernel " + std::string(e.name) + " takes " + std::to_string(e.nparams) + " arguments, got " +
                std::to_string(args.size()));
  }
  // Repeats run on the same inputs: the whole data file (guard zones included) is kept and put
  // back before every launch but the first, untimed, so a kernel that updates its buffers in place
  // sees the harness's bytes each time and the last launch's results are the ones checked.
  std::vector<unsigned char> initial;
  if (repeat > 1 && data_size) initial.assign(data, data + data_size);
  std::vector<double> samples;
  samples.reserve((std::size_t)repeat);
  cuport::start_workers();
  int err = 0;
  long long t0 = 0, t1 = 0;
  double c0 = 0, c1 = 0;
  for (int r = 0; r < repeat && err == 0; ++r) {
    if (r > 0 && data_size) std::memcpy(data, initial.data(), data_size);
    for (const Sym& s : syms) {
      const cuport::SymbolEntry& se = ss[s.index];
      std::memcpy(se.addr, data + s.offset, s.size < se.size ? s.size : se.size);
    }
    t0 = cuport::now_ns();
    c0 = cpu_seconds();
    err = e.launch(e.fn, cuport::LaunchConfig(grid, block, shared), args.data());
    t1 = cuport::now_ns();
    c1 = cpu_seconds();
    samples.push_back((double)(t1 - t0) / 1e9);
  }
  for (const Sym& s : syms) {
    const cuport::SymbolEntry& se = ss[s.index];
    std::memcpy(data + s.offset, se.addr, s.size < se.size ? s.size : se.size);
  }
  std::fflush(stdout);
  if (err != 0) {
    std::fprintf(stderr, "error\tlaunch rejected: %s (grid %u,%u,%u block %u,%u,%u shared %zu)\n",
                 cudaGetErrorString((cudaError_t)err), grid.x, grid.y, grid.z, block.x, block.y, block.z, shared);
    return 6;
  }
  const char* rp = std::getenv("CUPORT_REPORT");
  FILE* rep = rp ? std::fopen(rp, "a") : stderr;
  std::fprintf(rep ? rep : stderr, "elapsed\t%.9f\n", (double)(t1 - t0) / 1e9);
  std::fprintf(rep ? rep : stderr, "cpu\t%.9f\n", c1 - c0);
  for (double t : samples) std::fprintf(rep ? rep : stderr, "sample\t%.9f\n", t);
  if (rep && rep != stderr) std::fclose(rep);
  if (data) munmap(data, data_size);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--signature") == 0) return print_signature();
  if (argc >= 4 && std::strcmp(argv[1], "--run") == 0) return run(argv[2], argv[3]);
  std::fprintf(stderr, "usage: %s --signature | --run REQUEST DATA\n", argv[0]);
  return 2;
}
