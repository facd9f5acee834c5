// Code the grammar cannot read without preprocessing: an `#if` splitting a signature, a statement
// macro without `;`, and a qualifier hidden in a macro. Kernels lost in ERROR regions are recovered
// by token text and marked RECOVERED.
#define CHECK(x) x
#define KERNEL __global__

#if USE_INT
__global__ void split(int *p) {
#else
__global__ void split(long *p) {
#endif
  p[0] = 1;
}

__global__ void statement_macro(float *a, int n) {
  CHECK(cudaGetLastError())
  int i = threadIdx.x
  if (i < n) a[i] = 0;
}

KERNEL void hidden(int *p) {}

__global__ void still_fine(int *q) { q[0] = 2; }

/* EXPECTED INVENTORY
   function global void split(int* p) @8:17 | definition | RECOVERED
   function global void split(long* p) @10:17 | definition
   function global void statement_macro(float* a, int n) @15:17 | definition
   function global void hidden(int* p) @21:13 | definition | via macro KERNEL
   function global void still_fine(int* q) @23:17 | definition
   problem unexpected '#if USE_INT' @7:1
   problem missing ';' @16:28
   problem missing ';' @17:22
   problem unexpected 'void' @21:8
*/
