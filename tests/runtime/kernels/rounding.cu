// CUDA's type-casting intrinsics with a rounding mode, one launch per family.
__global__ void ll_to_float(const long long* x, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    out[4 * i + 0] = __ll2float_rn(x[i]);
    out[4 * i + 1] = __ll2float_rz(x[i]);
    out[4 * i + 2] = __ll2float_ru(x[i]);
    out[4 * i + 3] = __ll2float_rd(x[i]);
  }
}
__global__ void double_to_float(const double* x, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    out[4 * i + 0] = __double2float_rn(x[i]);
    out[4 * i + 1] = __double2float_rz(x[i]);
    out[4 * i + 2] = __double2float_ru(x[i]);
    out[4 * i + 3] = __double2float_rd(x[i]);
  }
}
__global__ void double_to_ll(const double* x, long long* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    out[4 * i + 0] = __double2ll_rn(x[i]);
    out[4 * i + 1] = __double2ll_rz(x[i]);
    out[4 * i + 2] = __double2ll_ru(x[i]);
    out[4 * i + 3] = __double2ll_rd(x[i]);
  }
}
