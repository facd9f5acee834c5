// Static shared arrays (sized by a constant expression) and dynamic extern shared memory.
#define UNUSED 0
enum { TILE = 16 };
__global__ void tile(const float* in, float* out) {
  __shared__ float t[TILE][TILE + 1];
  __shared__ int count;
  extern __shared__ float dyn[];
  t[threadIdx.y][threadIdx.x] = in[threadIdx.x];
  dyn[threadIdx.x] = t[threadIdx.x][threadIdx.y];
  if (threadIdx.x == 0) count = 0;
  __syncthreads();
  out[threadIdx.x] = dyn[threadIdx.x] + count;
}

/* EXPECT-IR
__global__ void tile(const float* in, float* out) {
  __shared__ float t[16][17];
  __shared__ int count;
  extern __shared__ float dyn[];
  t[threadIdx.y][threadIdx.x] = in[threadIdx.x];
  dyn[threadIdx.x] = t[threadIdx.x][threadIdx.y];
  if (threadIdx.x == (unsigned int)0) {
    count = 0;
  }
  __syncthreads();
  out[threadIdx.x] = dyn[threadIdx.x] + (float)count;
}
*/
