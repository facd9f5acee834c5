__global__ void sync_all(int* out, const int* in) {
  int v = in[threadIdx.x];
  __syncthreads();
  int c = __syncthreads_count(v > 0);
  int all = __syncthreads_and(v);
  int any = __syncthreads_or(v != 0);
  __syncwarp();
  __syncwarp(0xffffffff);
  __threadfence_block();
  __threadfence();
  __threadfence_system();
  out[threadIdx.x] = c + all + any;
}

/* EXPECT-IR
__global__ void sync_all(int* out, const int* in) {
  int v = in[threadIdx.x];
  __syncthreads();
  int c = __syncthreads_count((int)(v > 0));
  int all = __syncthreads_and(v);
  int any = __syncthreads_or((int)(v != 0));
  __syncwarp();
  __syncwarp(4294967295u);
  __threadfence_block();
  __threadfence();
  __threadfence_system();
  out[threadIdx.x] = c + all + any;
}
*/
