// Constructs without an IR form fail with a CL code at their location; other kernels still lower.
__global__ void bad_ident(float* out) {
  out[threadIdx.x] = undefined_value;
}
__global__ void bad_assign(int* out, int n) {
  int i = 0;
  out[i++] = n + i;  // i occurs twice: the order of the update is not obvious
}
__global__ void bad_call(float* out) {
  out[0] = mystery(1.0f);
}
template <typename T>
__global__ void needs_args(T* out) { out[0] = 0; }
__global__ void good(float* out) { out[0] = 1.0f; }

/* EXPECT-IR
__global__ void good(float* out) {
  out[0] = 1.0f;
}

// FAILED bad_ident
failure_unknown.cu:3:22: error[CL002]: unknown identifier 'undefined_value'
      out[threadIdx.x] = undefined_value;
                         ^

// FAILED bad_assign
failure_unknown.cu:7:7: error[CL006]: ++ inside an expression is not supported
      out[i++] = n + i;  // i occurs twice: the order of the update is not obvious
          ^

// FAILED bad_call
failure_unknown.cu:10:12: error[CL008]: unknown function 'mystery'
      out[0] = mystery(1.0f);
               ^

// FAILED needs_args
failure_unknown.cu:12:11: error[CL003]: template kernel 'needs_args' needs template arguments to be lowered
    template <typename T>
              ^
*/
