// File-scope CUDA variables; the local __shared__ array inside the kernel is not a global.
__constant__ float coef[16];
__constant__ int table[3] = {1, 2, 3};
__device__ int counter = 0, other;
__device__ const float *ptrs[4];
__managed__ double total;
static __device__ __constant__ float both;
__shared__ float file_scope_shared[32];
extern __shared__ float dynamic_smem[];
texture<float, 1, cudaReadModeElementType> tex1;
surface<void, 2> surf;
int plain_host_global = 3;

__global__ void use(float *out) {
  __shared__ float tile[256];
  tile[threadIdx.x] = coef[threadIdx.x % 16] + tex1Dfetch(tex1, threadIdx.x);
  out[threadIdx.x] = tile[threadIdx.x];
}

/* EXPECTED INVENTORY
   function global void use(float* out) @14:17 | definition
   global constant float[16] coef @2:20
   global constant int[3] table = {1, 2, 3} @3:18
   global device int counter = 0 @4:16
   global device int other @4:29
   global device const float*[4] ptrs @5:25
   global managed double total @6:20
   global constant float both @7:38
   global shared float[32] file_scope_shared @8:18
   global shared float[] dynamic_smem extern @9:25
   global texture texture<float, 1, cudaReadModeElementType> tex1 @10:44
   global surface surface<void, 2> surf @11:18
*/
