// Kernels inside preprocessor branches are all listed: the inventory reads raw source, so both
// sides of an #ifdef appear (preprocess first to choose one).
#ifdef USE_FAST
__global__ void kernel_fast(float *a) { a[0] = 1.0f; }
#else
__global__ void kernel_slow(float *a) { a[0] = 2.0f; }
#endif

#if __CUDA_ARCH__ >= 700
__device__ unsigned lane_mask() { return __activemask(); }
#endif

/* EXPECTED INVENTORY
   function global void kernel_fast(float* a) @4:17 | definition
   function global void kernel_slow(float* a) @6:17 | definition
   function device unsigned lane_mask() @10:21 | definition
*/
