// The scheduler of the cuport CPU runtime: worker pool, fibers, barriers, warp rendezvous,
// deadlock detection. Compiled once per flag set and cached; kernels link against it.
//
// A block runs on one worker thread. Its CUDA threads start one after another on whatever stack
// is running (the worker's own at first). A thread that has to wait (barrier, warp operation)
// saves its registers and hands off directly: to a fresh pooled stack that starts the next
// unstarted thread, or to a thread that became runnable. A thread that never waits therefore
// runs inline, without a stack of its own and without a context switch.
#include "cuport_rt.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

__thread uint3 threadIdx;
__thread uint3 blockIdx;
dim3 blockDim;
dim3 gridDim;
int warpSize = 32;

#if !defined(__x86_64__)
#error "the cuport CPU runtime's context switch is written for x86-64"
#endif

// cuport_switch(save, to): push the callee-saved registers on the current stack, store the stack
// pointer in *save, load `to` and pop the same from there.
// The floating-point environment (MXCSR, x87 control word) is not switched: all fibers of a block
// share one OS thread, device code has no way to change rounding or flush-to-zero modes, and the
// runtime's own helpers never block while they differ from the default. stmxcsr/ldmxcsr cost more
// than the rest of the switch together on AMD Zen (perf: 75% of the switch), so they are only
// switched in a build with -DCUPORT_SWITCH_FP_ENV.
#ifdef CUPORT_SWITCH_FP_ENV
#define CUPORT_SAVE_FP "subq $8, %rsp\nstmxcsr (%rsp)\nfnstcw 4(%rsp)\n"
#define CUPORT_LOAD_FP "ldmxcsr (%rsp)\nfldcw 4(%rsp)\naddq $8, %rsp\n"
#define CUPORT_FP_SLOTS 1
#else
#define CUPORT_SAVE_FP ""
#define CUPORT_LOAD_FP ""
#define CUPORT_FP_SLOTS 0
#endif
asm(R"(
  .text
  .p2align 4
  .globl cuport_switch
  .hidden cuport_switch
  .type cuport_switch,@function
cuport_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
)" CUPORT_SAVE_FP R"(
  movq %rsp, (%rdi)
  movq %rsi, %rsp
)" CUPORT_LOAD_FP R"(
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size cuport_switch, .-cuport_switch

  .p2align 4
  .globl cuport_fiber_entry
  .hidden cuport_fiber_entry
  .type cuport_fiber_entry,@function
cuport_fiber_entry:
  movq %r12, %rdi
  callq *%r13
  ud2
  .size cuport_fiber_entry, .-cuport_fiber_entry
)");
extern "C" void cuport_switch(void** save, void* to);
extern "C" void cuport_fiber_entry();

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define CUPORT_ASAN 1
#endif

namespace cuport {

__thread unsigned int tl_lane;
__thread unsigned int tl_linear;

namespace {

struct Options {
  int workers = 1;
  int warp_size = 32;
  bool shuffle = false;
  unsigned long long seed = 0;
  std::size_t stack_bytes = 256 * 1024;
  std::size_t dyn_shared_cap = 228 * 1024;
  FILE* report = nullptr;
};

Options& options() {
  static Options o = [] {
    Options r;
    unsigned hw = std::thread::hardware_concurrency();
    r.workers = hw ? (int)hw : 1;
    if (const char* s = std::getenv("CUPORT_WORKERS")) r.workers = std::max(1, std::atoi(s));
    if (const char* s = std::getenv("CUPORT_WARP_SIZE")) r.warp_size = std::atoi(s) == 64 ? 64 : 32;
    if (const char* s = std::getenv("CUPORT_BLOCK_ORDER_SEED")) {
      r.shuffle = true;
      r.seed = std::strtoull(s, nullptr, 10);
    }
    if (const char* s = std::getenv("CUPORT_STACK_KB")) r.stack_bytes = std::max(16, std::atoi(s)) * 1024ul;
    if (const char* s = std::getenv("CUPORT_REPORT")) r.report = std::fopen(s, "a");
    if (!r.report) r.report = stderr;
    return r;
  }();
  return o;
}

std::mutex g_report_mutex;

void report_line(const std::string& line) {
  std::lock_guard<std::mutex> lk(g_report_mutex);
  std::fprintf(options().report, "%s\n", line.c_str());
  std::fflush(options().report);
}

std::string escape(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (c == '\n') r += "\\n";
    else if (c == '\\') r += "\\\\";
    else r += c;
  }
  return r;
}

// Ends the process with a report line; used for deadlocks and other kernel errors.
[[noreturn]] void fatal(const char* kind, const std::string& msg, int code) {
  std::fflush(stdout);
  {
    std::lock_guard<std::mutex> lk(g_report_mutex);
    std::fprintf(options().report, "%s\t%s\n", kind, escape(msg).c_str());
    std::fflush(options().report);
    if (options().report != stderr) std::fprintf(stderr, "cuport: %s: %s\n", kind, msg.c_str());
  }
  std::fflush(stderr);
  _exit(code);
}

std::atomic<unsigned long long> g_cr003_threads{0};
std::atomic<unsigned long long> g_cr003_blocks{0};

enum FiberState : unsigned char { F_RUNNING, F_BLOCKED };

struct Gathering {
  unsigned long long mask = 0, arrived = 0;
  unsigned long long values[64];
  int readers_left = 0;
  bool complete = false;
  const char* what = "";
  const char* file = "";
  int line = 0;
  Gathering* next = nullptr;
};

struct Fiber {
  void* sp = nullptr;
  char* stack = nullptr;  // nullptr: the worker's own stack
  uint3 tid{};
  unsigned char state = F_RUNNING;
  const char* what = "";
  const char* file = "";
  int line = 0;
};

struct Worker {
  // the block being run
  BodyFn body = nullptr;
  const void* ctx = nullptr;
  unsigned n = 0, next = 0, exited = 0, ws = 32;
  unsigned lane_bits = 31;  // ws - 1: warp sizes are powers of two, so no division per switch
  uint3 next_tid{};
  std::vector<Fiber> fiber_store;
  Fiber* fibers = nullptr;  // fiber_store's data: indexed on every switch, without vector checks
  // Runnable fibers: a ring of a power-of-two capacity >= n (a fiber is queued at most once, so it
  // never overflows); head and tail count up and wrap.
  std::vector<unsigned> queue_store, waiters_store;
  unsigned* queue = nullptr;
  unsigned queue_mask = 0, q_head = 0, q_tail = 0;
  std::vector<unsigned long long> warp_exited;
  std::vector<Gathering*> warp_active;
  Gathering* free_gatherings = nullptr;
  // barrier
  unsigned bar_arrived = 0;
  const char* bar_file = nullptr;
  int bar_line = 0;
  int acc_count = 0, acc_and = 1, acc_or = 0;
  int res_count = 0, res_and = 1, res_or = 0;
  unsigned* bar_waiters = nullptr;  // the same capacity as the queue, swapped with it
  unsigned bar_nwait = 0;
  unsigned block_cr003 = 0;
  // stacks
  char* cur_stack = nullptr;
  char* starting_stack = nullptr;
  void* main_sp = nullptr;
  void* dead_sp = nullptr;
  std::vector<char*> free_stacks;
  std::size_t stack_bytes = 0;
  // dynamic shared memory: a region that ends at a guard page, so overruns fault
  char* dyn_region = nullptr;
  std::size_t dyn_cap = 0;
  char* dyn_base = nullptr;
#ifdef CUPORT_ASAN
  void* asan_fake = nullptr;
#endif
};

__thread Worker* tl_w = nullptr;

Worker& worker() {
  if (!tl_w) tl_w = new Worker();  // lives as long as its thread; never freed on purpose
  return *tl_w;
}

const std::size_t kPage = 4096;

char* new_stack(Worker& w) {
  if (!w.free_stacks.empty()) {
    char* s = w.free_stacks.back();
    w.free_stacks.pop_back();
    return s;
  }
  w.stack_bytes = options().stack_bytes;
  void* mem = mmap(nullptr, w.stack_bytes + kPage, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (mem == MAP_FAILED) fatal("error", "cannot allocate a fiber stack", 5);
  mprotect(mem, kPage, PROT_NONE);  // guard page under the stack: an overflow faults
  return static_cast<char*>(mem) + kPage;
}

// Stacks are page-aligned, so their tops would all fall into the same cache sets; each stack
// starts a different number of cache lines below its top instead.
std::size_t stack_colour(const char* stack) {
  return ((reinterpret_cast<std::uintptr_t>(stack) / (64 * 1024)) % 61) * 64 + 64;
}

void run_loop(Worker& w);

void fiber_main(void* arg) {
  Worker& w = *static_cast<Worker*>(arg);
#ifdef CUPORT_ASAN
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
  w.cur_stack = w.starting_stack;
  run_loop(w);
  __builtin_unreachable();
}

// The initial frame of a fresh stack, as cuport_switch pops it: (FP environment,) r15, r14,
// r13 = fiber_main, r12 = its argument, rbx, rbp, return address = the entry stub.
void* prepare_stack(char* base, std::size_t size, Worker* w) {
  const std::uintptr_t top = (reinterpret_cast<std::uintptr_t>(base + size - stack_colour(base))) & ~std::uintptr_t(15);
  // after the pops and the ret, rsp is 16-byte aligned (the stub's call then makes it 8 mod 16,
  // as a function entry expects)
  std::uint64_t* sp = reinterpret_cast<std::uint64_t*>(top - 16 - 8 * (7 + CUPORT_FP_SLOTS));
#if CUPORT_FP_SLOTS
  unsigned short fpucw;
  asm volatile("fnstcw %0" : "=m"(fpucw));
  *sp++ = (std::uint64_t)__builtin_ia32_stmxcsr() | ((std::uint64_t)fpucw << 32);
#endif
  sp[0] = 0;                                            // r15
  sp[1] = 0;                                            // r14
  sp[2] = reinterpret_cast<std::uint64_t>(&fiber_main);  // r13: called by the entry stub
  sp[3] = reinterpret_cast<std::uint64_t>(w);           // r12: its argument
  sp[4] = 0;                                            // rbx
  sp[5] = 0;                                            // rbp
  sp[6] = reinterpret_cast<std::uint64_t>(&cuport_fiber_entry);
  return sp - CUPORT_FP_SLOTS;
}

inline void switch_to(Worker& w, void** save, void* to, char* to_stack) {
#ifdef CUPORT_ASAN
  char* bottom = to_stack ? to_stack : nullptr;
  __sanitizer_start_switch_fiber(save == &w.dead_sp ? nullptr : &w.asan_fake, bottom, bottom ? w.stack_bytes : 0);
  cuport_switch(save, to);
  __sanitizer_finish_switch_fiber(w.asan_fake, nullptr, nullptr);
#else
  (void)w;
  (void)to_stack;
  cuport_switch(save, to);
#endif
}

std::string tid_str(uint3 t) {
  return "(" + std::to_string(t.x) + "," + std::to_string(t.y) + "," + std::to_string(t.z) + ")";
}

uint3 tid_of(const Worker& w, unsigned linear) {
  const unsigned bx = blockDim.x, by = blockDim.y;
  return uint3{linear % bx, (linear / bx) % by, linear / (bx * by)};
}

[[noreturn]] void deadlock(Worker& w, const std::string& why) {
  // group the waiting threads by where they wait
  struct Group { std::string where; std::vector<unsigned> tids; };
  std::vector<Group> groups;
  unsigned waiting = 0;
  for (unsigned t = 0; t < w.next; ++t) {
    const Fiber& f = w.fibers[t];
    if (f.state != F_BLOCKED) continue;
    ++waiting;
    std::string where = std::string(f.what) + " at " + f.file + ":" + std::to_string(f.line);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.where == where; });
    if (it == groups.end()) groups.push_back(Group{where, {t}});
    else it->tids.push_back(t);
  }
  std::string msg = why + " in block " + tid_str(blockIdx) + ": " + std::to_string(waiting) + " of " +
                    std::to_string(w.n) + " threads wait and none can go on (" + std::to_string(w.exited) +
                    " exited)";
  for (const Group& g : groups) {
    msg += "\n  " + std::to_string(g.tids.size()) + " thread(s) wait in " + g.where + ": ";
    for (std::size_t i = 0; i < g.tids.size() && i < 8; ++i) msg += (i ? " " : "") + tid_str(tid_of(w, g.tids[i]));
    if (g.tids.size() > 8) msg += " ...";
  }
  fatal("deadlock", msg, 3);
}

inline void restore(Worker& w, unsigned me) {
  Fiber& f = w.fibers[me];
  f.state = F_RUNNING;
  threadIdx = f.tid;
  tl_linear = me;
  tl_lane = me & w.lane_bits;
  w.cur_stack = f.stack;
}

inline bool pop_runnable(Worker& w, unsigned* out) {
  if (w.q_head == w.q_tail) return false;
  *out = w.queue[w.q_head++ & w.queue_mask];
  return true;
}

// The fiber keeps state F_BLOCKED while queued: a deadlock is only declared when the queue is
// empty, so the deadlock report never sees a queued fiber, and queueing stays one store.
inline void make_runnable(Worker& w, unsigned t) { w.queue[w.q_tail++ & w.queue_mask] = t; }

// The running thread waits: hand off directly to the next unstarted thread (on a fresh stack) or
// to a queued one; come back here when someone queues this thread and switches to it.
__attribute__((always_inline)) inline void block_current(Worker& w, unsigned me, const char* why) {
  Fiber& f = w.fibers[me];
  f.tid = threadIdx;
  f.stack = w.cur_stack;
  f.state = F_BLOCKED;
  unsigned g;
  if (w.next < w.n) {
    char* s = new_stack(w);
    w.starting_stack = s;
    switch_to(w, &f.sp, prepare_stack(s, w.stack_bytes, &w), s);
  } else if (__builtin_expect(pop_runnable(w, &g), 1)) {
    const Fiber& to = w.fibers[g];
    switch_to(w, &f.sp, to.sp, to.stack);
  } else {
    deadlock(w, why);
  }
  restore(w, me);
}

void complete_barrier(Worker& w) {
  w.res_count = w.acc_count;
  w.res_and = w.acc_and;
  w.res_or = w.acc_or;
  w.acc_count = 0;
  w.acc_and = 1;
  w.acc_or = 0;
  w.bar_arrived = 0;
  w.bar_file = nullptr;
  if (w.exited > w.block_cr003) w.block_cr003 = w.exited;  // exited threads released this barrier
  if (w.q_head == w.q_tail) {
    // every live thread is at this barrier, so nothing else is queued: the waiters, in arrival
    // order, become the queue without a copy
    std::swap(w.queue, w.bar_waiters);
    w.q_head = 0;
    w.q_tail = w.bar_nwait;
  } else {
    for (unsigned i = 0; i < w.bar_nwait; ++i) make_runnable(w, w.bar_waiters[i]);
  }
  w.bar_nwait = 0;
}

void check_gatherings_on_exit(Worker& w, unsigned warp, unsigned lane) {
  for (Gathering* g = w.warp_active[warp]; g; g = g->next) {
    if (!g->complete && ((g->mask >> lane) & 1ull) && !((g->arrived >> lane) & 1ull)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "0x%llx", g->mask);
      const unsigned t = warp * w.ws + lane;
      fatal("deadlock",
            std::string("warp operation ") + g->what + " at " + g->file + ":" + std::to_string(g->line) +
                " with mask " + buf + " waits for lane " + std::to_string(lane) + " (thread " +
                tid_str(tid_of(w, t)) + " of block " + tid_str(blockIdx) + "), which exited",
            3);
    }
  }
}

void thread_exit(Worker& w, unsigned t) {
  ++w.exited;
  const unsigned warp = t / w.ws, lane = t % w.ws;
  w.warp_exited[warp] |= 1ull << lane;
  if (w.warp_active[warp]) check_gatherings_on_exit(w, warp, lane);
  if (w.bar_arrived && w.bar_arrived == w.n - w.exited) complete_barrier(w);
}

void run_loop(Worker& w) {
  const unsigned bx = blockDim.x, by = blockDim.y;
  for (;;) {
    while (w.next < w.n) {
      const unsigned t = w.next++;
      threadIdx = w.next_tid;
      if (++w.next_tid.x == bx) {
        w.next_tid.x = 0;
        if (++w.next_tid.y == by) {
          w.next_tid.y = 0;
          ++w.next_tid.z;
        }
      }
      tl_linear = t;
      tl_lane = t & w.lane_bits;
      w.body(w.ctx);
      thread_exit(w, t);
    }
    unsigned g;
    if (pop_runnable(w, &g)) {
      if (w.cur_stack == nullptr) {
        switch_to(w, &w.main_sp, w.fibers[g].sp, w.fibers[g].stack);
        w.cur_stack = nullptr;
        return;  // only the last context of the block switches back here
      }
      w.free_stacks.push_back(w.cur_stack);
      switch_to(w, &w.dead_sp, w.fibers[g].sp, w.fibers[g].stack);
      __builtin_unreachable();
    }
    if (w.exited == w.n) {
      if (w.cur_stack == nullptr) return;
      w.free_stacks.push_back(w.cur_stack);
      switch_to(w, &w.dead_sp, w.main_sp, nullptr);
      __builtin_unreachable();
    }
    deadlock(w, "deadlock");
  }
}

void run_block(Worker& w, unsigned nthreads) {
  w.n = nthreads;
  w.next = 0;
  w.exited = 0;
  w.next_tid = uint3{0, 0, 0};
  w.ws = (unsigned)warpSize;
  w.lane_bits = w.ws - 1;
  if (w.fiber_store.size() < nthreads) {
    w.fiber_store.resize(nthreads);
    w.fibers = w.fiber_store.data();
    unsigned cap = 1;
    while (cap < nthreads) cap *= 2;
    w.queue_store.assign(cap, 0);
    w.waiters_store.assign(cap, 0);
    w.queue = w.queue_store.data();
    w.bar_waiters = w.waiters_store.data();
    w.queue_mask = cap - 1;
  }
  const unsigned nwarps = (nthreads + w.ws - 1) / w.ws;
  w.warp_exited.assign(nwarps, 0);
  w.warp_active.assign(nwarps, nullptr);
  w.bar_arrived = 0;
  w.bar_nwait = 0;
  w.acc_count = 0;
  w.acc_and = 1;
  w.acc_or = 0;
  w.block_cr003 = 0;
  w.q_head = w.q_tail = 0;
  w.cur_stack = nullptr;
  run_loop(w);
  if (w.block_cr003) {
    g_cr003_threads += w.block_cr003;
    g_cr003_blocks += 1;
  }
}

// ---- the worker pool ----------------------------------------------------------------------------
struct Job {
  const LaunchConfig* cfg;
  BodyFn body;
  const void* ctx;
  unsigned long long nblocks;
  const std::vector<unsigned long long>* order;  // shuffled block order, or null
  std::atomic<unsigned long long> next{0};
};

void set_dynamic_shared(Worker& w, std::size_t bytes) {
  const std::size_t need = (bytes + kPage - 1) / kPage * kPage;
  if (!w.dyn_region || w.dyn_cap < need) {
    const std::size_t cap = std::max(need, options().dyn_shared_cap / kPage * kPage + kPage);
    void* mem = mmap(nullptr, cap + kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) fatal("error", "cannot allocate dynamic shared memory", 5);
    mprotect(static_cast<char*>(mem) + cap, kPage, PROT_NONE);
    w.dyn_region = static_cast<char*>(mem);
    w.dyn_cap = cap;
  }
  w.dyn_base = w.dyn_region + w.dyn_cap - (bytes + 15) / 16 * 16;
}

void run_job(Job& job) {
  Worker& w = worker();
  set_dynamic_shared(w, job.cfg->shared);
  const dim3 g = job.cfg->grid, b = job.cfg->block;
  const unsigned nthreads = b.x * b.y * b.z;
  w.body = job.body;
  w.ctx = job.ctx;
  for (;;) {
    const unsigned long long i = job.next.fetch_add(1, std::memory_order_relaxed);
    if (i >= job.nblocks) break;
    const unsigned long long id = job.order ? (*job.order)[i] : i;
    blockIdx = uint3{(unsigned)(id % g.x), (unsigned)((id / g.x) % g.y), (unsigned)(id / ((unsigned long long)g.x * g.y))};
    run_block(w, nthreads);
  }
}

struct Pool {
  std::mutex m;
  std::condition_variable start, done;
  unsigned long long generation = 0;
  int busy = 0;
  Job* job = nullptr;
  int size = 0;  // helper threads
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: its threads sleep until the process ends
  return *p;
}

void helper_main() {
  Pool& p = pool();
  unsigned long long seen = 0;
  for (;;) {
    Job* job;
    {
      std::unique_lock<std::mutex> lk(p.m);
      p.start.wait(lk, [&] { return p.generation != seen; });
      seen = p.generation;
      job = p.job;
    }
    run_job(*job);
    std::lock_guard<std::mutex> lk(p.m);
    if (--p.busy == 0) p.done.notify_all();
  }
}

void report_at_exit() {
  if (g_cr003_blocks) {
    report_line("diag\tCR003\tcount=" + std::to_string(g_cr003_threads.load()) + "\tblocks=" +
                std::to_string(g_cr003_blocks.load()));
  }
}

int g_last_error = 0;
bool g_in_launch = false;

}  // namespace

void* dynamic_shared() { return worker().dyn_base; }

void trap(const char* why, const char* file, int line) {
  fatal("trap", std::string(why) + " at " + file + ":" + std::to_string(line) + " in thread " + tid_str(threadIdx) +
                    " of block " + tid_str(blockIdx), 5);
}

namespace {
// One arrival at a block barrier. The block's fibers share this OS thread, so the counting is
// plain integers; op is a constant in each caller, so the unused reductions fold away.
__attribute__((always_inline)) inline int barrier_arrive(int op, int pred, const char* file, int line) {
  Worker& w = *tl_w;
  const unsigned me = tl_linear;
  if (w.bar_arrived == 0) {
    w.bar_file = file;
    w.bar_line = line;
  }
  Fiber& f = w.fibers[me];
  f.what = op < 0 ? "__syncthreads" : op == 0 ? "__syncthreads_count" : op == 1 ? "__syncthreads_and" : "__syncthreads_or";
  f.file = file;
  f.line = line;
  if (__builtin_expect(w.bar_line != line || (w.bar_file != file && std::strcmp(w.bar_file, file) != 0), 0)) {
    // a thread at another barrier: the two groups can never meet (divergent barriers)
    block_current(w, me, "divergent barriers");
    fatal("error", "internal: a thread at a divergent barrier was resumed", 5);
  }
  ++w.bar_arrived;
  if (op >= 0) {
    w.acc_count += pred != 0;
    w.acc_and &= pred != 0;
    w.acc_or |= pred != 0;
  }
  if (w.bar_arrived == w.n - w.exited) {
    complete_barrier(w);
  } else {
    w.bar_waiters[w.bar_nwait++] = me;
    block_current(w, me, "deadlock");
  }
  return op == 0 ? w.res_count : op == 1 ? w.res_and : w.res_or;
}
}  // namespace

void syncthreads(const char* file, int line) { barrier_arrive(-1, 0, file, line); }

int syncthreads_reduce(int op, int pred, const char* file, int line) {
  switch (op) {
    case 0: return barrier_arrive(0, pred, file, line);
    case 1: return barrier_arrive(1, pred, file, line);
    case 2: return barrier_arrive(2, pred, file, line);
    default: return barrier_arrive(-1, pred, file, line);
  }
}

unsigned long long warp_live_mask() {
  Worker& w = *tl_w;
  const unsigned warp = tl_linear / w.ws;
  const unsigned first = warp * w.ws;
  const unsigned lanes = std::min(w.ws, w.n - first);
  const unsigned long long existing = lanes >= 64 ? ~0ull : ((1ull << lanes) - 1);
  return existing & ~w.warp_exited[warp];
}

namespace {
[[noreturn]] void bad_warp_mask(Worker& w, unsigned long long mask, unsigned long long eff, unsigned long long bit,
                                unsigned warp, unsigned lane, const char* what, const char* file, int line) {
  char mbuf[40];
  std::snprintf(mbuf, sizeof mbuf, "0x%llx", mask);
  if (!(eff & bit)) {
    fatal("error", std::string(what) + " at " + file + ":" + std::to_string(line) + ": lane " + std::to_string(lane) +
                       " (thread " + tid_str(threadIdx) + ") is not in its own mask " + mbuf +
                       (w.ws == 64 ? " (a 32-bit mask on a 64-wide warp?)" : ""), 3);
  }
  fatal("deadlock", std::string(what) + " at " + file + ":" + std::to_string(line) + " with mask " + mbuf +
                        " names lanes that exited (block " + tid_str(blockIdx) + ", warp " + std::to_string(warp) + ")", 3);
}

// The caller's lane deposits `value` in the rendezvous of the lanes in `mask` and waits until all
// have arrived. Returns the complete gathering, or null when the caller is the only lane (then
// *eff == its own bit and nothing was stored). The caller reads what it needs, then calls
// gather_release.
Gathering* gather_arrive(Worker& w, unsigned long long mask, unsigned long long value, unsigned long long* eff_out,
                         const char* what, const char* file, int line) {
  const unsigned me = tl_linear;
  const unsigned warp = me / w.ws, lane = me & w.lane_bits;
  const unsigned first = warp * w.ws;
  const unsigned lanes = std::min(w.ws, w.n - first);
  const unsigned long long existing = lanes >= 64 ? ~0ull : ((1ull << lanes) - 1);
  const unsigned long long bit = 1ull << lane;
  const unsigned long long eff = mask & existing;
  *eff_out = eff;
  if (__builtin_expect(!(eff & bit) || (eff & w.warp_exited[warp]), 0)) bad_warp_mask(w, mask, eff, bit, warp, lane, what, file, line);
  if (eff == bit) return nullptr;
  Gathering* g = w.warp_active[warp];
  Gathering* last = nullptr;
  for (; g; last = g, g = g->next)
    if (g->mask == eff && !g->complete && !(g->arrived & bit)) break;
  if (!g) {
    if (w.free_gatherings) {
      g = w.free_gatherings;
      w.free_gatherings = g->next;
    } else {
      g = new Gathering();
    }
    g->mask = eff;
    g->arrived = 0;
    g->complete = false;
    g->what = what;
    g->file = file;
    g->line = line;
    g->next = nullptr;
    if (last) last->next = g;
    else w.warp_active[warp] = g;
  }
  g->values[lane] = value;
  g->arrived |= bit;
  if (g->arrived == eff) {
    g->complete = true;
    g->readers_left = __builtin_popcountll(eff);
    for (unsigned long long m = eff & ~bit; m; m &= m - 1) make_runnable(w, first + (unsigned)__builtin_ctzll(m));
  } else {
    Fiber& f = w.fibers[me];
    f.what = what;
    f.file = file;
    f.line = line;
    block_current(w, me, "deadlock in warp operation");
  }
  return g;
}

// The last reader of a gathering returns it to the free list.
inline void gather_release(Worker& w, Gathering* g) {
  if (--g->readers_left != 0) return;
  Gathering** pp = &w.warp_active[tl_linear / w.ws];
  while (*pp != g) pp = &(*pp)->next;
  *pp = g->next;
  g->next = w.free_gatherings;
  w.free_gatherings = g;
}
}  // namespace

unsigned long long warp_gather(unsigned long long mask, unsigned long long value, unsigned long long* out,
                               const char* what, const char* file, int line) {
  Worker& w = *tl_w;
  unsigned long long eff;
  Gathering* g = gather_arrive(w, mask, value, &eff, what, file, line);
  if (!g) {
    out[tl_linear & w.lane_bits] = value;
    return eff;
  }
  for (unsigned long long m = eff; m; m &= m - 1) {
    const int l = __builtin_ctzll(m);
    out[l] = g->values[l];
  }
  gather_release(w, g);
  return eff;
}

unsigned long long warp_shfl(unsigned long long mask, unsigned long long value, int src, const char* what,
                             const char* file, int line) {
  Worker& w = *tl_w;
  unsigned long long eff;
  Gathering* g = gather_arrive(w, mask, value, &eff, what, file, line);
  if (!g) return value;
  // a source lane outside the mask has no defined value: the lane keeps its own (like pval false)
  const unsigned long long got = (src >= 0 && src < 64 && ((eff >> src) & 1ull)) ? g->values[src] : value;
  gather_release(w, g);
  return got;
}

namespace {
// Starts the helper threads of the pool (they then sleep until a launch). Called with the pool's
// mutex held.
void grow_pool(Pool& p, int workers) {
  while (p.size < workers - 1) {
    std::thread(helper_main).detach();
    ++p.size;
  }
}
}  // namespace

void start_workers() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lk(p.m);
  grow_pool(p, options().workers);
}

int run_grid(const LaunchConfig& cfg, BodyFn body, const void* ctx) {
  Options& opt = options();
  static bool registered = (std::atexit(report_at_exit), true);
  (void)registered;
  const dim3 g = cfg.grid, b = cfg.block;
  const unsigned long long nthreads = (unsigned long long)b.x * b.y * b.z;
  const unsigned long long nblocks = (unsigned long long)g.x * g.y * g.z;
  if (nthreads == 0 || nthreads > 1024 || b.z > 64 || nblocks == 0 || g.y > 65535 || g.z > 65535 ||
      cfg.shared > opt.dyn_shared_cap) {
    return cudaErrorInvalidConfiguration;
  }
  if (g_in_launch) fatal("error", "a kernel launched another kernel (dynamic parallelism is not supported)", 5);
  g_in_launch = true;
  blockDim = b;
  gridDim = g;
  warpSize = opt.warp_size;
  std::vector<unsigned long long> order;
  if (opt.shuffle) {
    order.resize(nblocks);
    for (unsigned long long i = 0; i < nblocks; ++i) order[i] = i;
    std::mt19937_64 rng(opt.seed);
    std::shuffle(order.begin(), order.end(), rng);
  }
  Job job;
  job.cfg = &cfg;
  job.body = body;
  job.ctx = ctx;
  job.nblocks = nblocks;
  job.order = opt.shuffle ? &order : nullptr;
  const int helpers = (int)std::min<unsigned long long>((unsigned long long)opt.workers, nblocks) - 1;
  Pool& p = pool();
  if (helpers > 0) {
    std::unique_lock<std::mutex> lk(p.m);
    grow_pool(p, opt.workers);
    p.job = &job;
    p.busy = p.size;
    ++p.generation;
    p.start.notify_all();
  }
  run_job(job);
  if (helpers > 0) {
    std::unique_lock<std::mutex> lk(p.m);
    p.done.wait(lk, [&] { return p.busy == 0; });
  }
  g_in_launch = false;
  return cudaSuccess;
}

void set_last_error(int e) {
  if (e != 0) g_last_error = e;
}
int take_last_error() {
  const int e = g_last_error;
  g_last_error = 0;
  return e;
}
int peek_last_error() { return g_last_error; }

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void* device_alloc(std::size_t bytes) {
  // 256-byte alignment like cudaMalloc, so vector loads and atomics on any type are aligned
#ifdef CUPORT_ASAN
  // the exact size, so ASan reports an access one byte past the allocation
  void* p = nullptr;
  return posix_memalign(&p, 256, bytes ? bytes : 1) == 0 ? p : nullptr;
#else
  return std::aligned_alloc(256, (bytes + 255) / 256 * 256 + (bytes == 0 ? 256 : 0));
#endif
}
void device_free(void* p) { std::free(p); }

}  // namespace cuport

void cuport_fill_device_props(cudaDeviceProp* p) {
  std::memset(p, 0, sizeof(*p));
  std::snprintf(p->name, sizeof p->name, "cuport CPU runtime");
  p->totalGlobalMem = (std::size_t)16 << 30;
  p->sharedMemPerBlock = 48 * 1024;
  p->sharedMemPerBlockOptin = cuport::options().dyn_shared_cap;
  p->sharedMemPerMultiprocessor = cuport::options().dyn_shared_cap;
  p->regsPerBlock = 65536;
  p->regsPerMultiprocessor = 65536;
  p->warpSize = cuport::options().warp_size;
  p->memPitch = (std::size_t)1 << 31;
  p->maxThreadsPerBlock = 1024;
  p->maxThreadsDim[0] = 1024;
  p->maxThreadsDim[1] = 1024;
  p->maxThreadsDim[2] = 64;
  p->maxGridSize[0] = 2147483647;
  p->maxGridSize[1] = 65535;
  p->maxGridSize[2] = 65535;
  p->clockRate = 1500000;
  p->totalConstMem = 65536;
  p->major = 8;
  p->minor = 0;
  p->multiProcessorCount = cuport::options().workers;
  p->maxThreadsPerMultiProcessor = 2048;
  p->maxBlocksPerMultiProcessor = 32;
  p->memoryClockRate = 1000000;
  p->memoryBusWidth = 256;
  p->l2CacheSize = 4 << 20;
  p->concurrentKernels = 1;
  p->unifiedAddressing = 1;
  p->managedMemory = 1;
  p->canMapHostMemory = 1;
  p->cooperativeLaunch = 1;
  p->asyncEngineCount = 1;
}
