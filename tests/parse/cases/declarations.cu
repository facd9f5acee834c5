// Prototypes and parameter shapes: unnamed, arrays, references, function pointers, void, ellipsis.
__global__ void proto(int, float *);
__device__ void arrays(float m[4][4], const int n[]);
__device__ void refs(float &r, const float &c);
__device__ int apply(int (*op)(int, int), int a, int b) { return op(a, b); }
__device__ int nothing(void) { return 0; }
__device__ int defaults(int a, int b = 2, float c = 1.5f) { return a + b; }
__host__ __device__ void variadic(const char *fmt, ...);
__global__ void proto(int n, float *p) {}

/* EXPECTED INVENTORY
   function global void proto(int, float*) @2:17 | declaration
   function device void arrays(float[4][4] m, const int[] n) @3:17 | declaration
   function device void refs(float& r, const float& c) @4:17 | declaration
   function device int apply(int (*)(int, int) op, int a, int b) @5:16 | definition
   function device int nothing() @6:16 | definition
   function device int defaults(int a, int b = 2, float c = 1.5f) @7:16 | definition
   function host device void variadic(const char* fmt, ...) @8:26 | declaration
   function global void proto(int n, float* p) @9:17 | definition
*/
