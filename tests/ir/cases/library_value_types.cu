// Value types of the CUDA runtime in device code: a `dim3` is three unsigned ints whose missing
// constructor components are 1; `cudaPitchedPtr` has the runtime's documented fields.
__global__ void dims(unsigned* out, int n) {
  dim3 full(threadIdx.x + 1, 2, n);
  dim3 two(3, 4);
  dim3 one = 5;
  dim3 none;
  dim3 copy = dim3(full);
  out[0] = full.x + full.z + two.z + one.y + none.x + copy.y + dim3(7).z;
}
__global__ void pitched(cudaPitchedPtr p, int w) {
  char* base = (char*)p.ptr;
  float* row = (float*)(base + blockIdx.y * p.pitch);
  if (threadIdx.x < w) row[threadIdx.x] = (float)p.xsize;
}
__global__ void too_many(unsigned* out) {
  dim3 d(1, 2, 3, 4);
  out[0] = d.x;
}

/* EXPECT-IR
__global__ void dims(unsigned int* out, int n) {
  uint3 full = make_uint3(threadIdx.x + (unsigned int)1, (unsigned int)2, (unsigned int)n);
  uint3 two = make_uint3((unsigned int)3, (unsigned int)4, 1u);
  uint3 one = make_uint3((unsigned int)5, 1u, 1u);
  uint3 none = make_uint3(1u, 1u, 1u);
  uint3 copy = full;
  out[0] = full.x + full.z + two.z + one.y + none.x + copy.y + make_uint3((unsigned int)7, 1u, 1u).z;
}

__global__ void pitched(cudaPitchedPtr p, int w) {
  signed char* base = (signed char*)p.ptr;
  float* row = (float*)(base + (unsigned long long)blockIdx.y * p.pitch);
  if (threadIdx.x < (unsigned int)w) {
    row[threadIdx.x] = (float)p.xsize;
  }
}

// FAILED too_many
library_value_types.cu:17:9: error[CL001]: cannot lower dim3: takes at most 3 components
      dim3 d(1, 2, 3, 4);
            ^
*/
