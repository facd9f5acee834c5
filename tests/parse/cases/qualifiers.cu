// Qualifier placement the inventory must understand: storage classes, inlining hints, launch
// bounds, attributes, linkage blocks, namespaces and member functions.
static __global__ void __launch_bounds__(256, 2) bounded(float *a) {}

static __device__ __forceinline__ float fast(float x) { return x; }

__device__ __noinline__ int slow(int x) { return x; }

__global__ void __attribute__((noinline)) attributed(const float *__restrict__ in, float *__restrict__ out) {}

extern "C" {
__global__ void c_linkage(int *p) {}
}

extern "C" __global__ void c_single(int *p) {}

namespace outer {
namespace inner {
__global__ void nested(double *d) {}
}  // namespace inner
}  // namespace outer

struct Vec {
  float x, y;
  __host__ __device__ Vec operator+(const Vec &o) const { return {x + o.x, y + o.y}; }
  __device__ float dot(const Vec &o) const;
};

__device__ float *pick(float *a, float *b, bool first) { return first ? a : b; }

__host__ int host_only(int v) { return v; }

int not_cuda(int v) { return v; }

/* EXPECTED INVENTORY
   function global void bounded(float* a) @3:50 | specifiers static | launch_bounds(256, 2) | definition
   function device float fast(float x) @5:41 | specifiers static __forceinline__ | definition
   function device int slow(int x) @7:29 | specifiers __noinline__ | definition
   function global void attributed(const float*__restrict__ in, float*__restrict__ out) @9:43 | definition
   function global void c_linkage(int* p) @12:17 | extern "C" | definition
   function global void c_single(int* p) @15:28 | extern "C" | definition
   function global void outer::inner::nested(double* d) @19:17 | definition
   function host device Vec Vec::operator+(const Vec& o) @25:27 | definition
   function device float Vec::dot(const Vec& o) @26:20 | declaration
   function device float* pick(float* a, float* b, bool first) @29:19 | definition
   function host int host_only(int v) @31:14 | definition
*/
