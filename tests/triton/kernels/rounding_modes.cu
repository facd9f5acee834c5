// Float-to-integer intrinsics round as their spelling says (a plain `.to(int)` truncates).
__global__ void rounding_modes(const float* x, const double* d, int* a, long long* b, unsigned* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    a[4 * i + 0] = __float2int_rn(x[i]);
    a[4 * i + 1] = __float2int_rz(x[i]);
    a[4 * i + 2] = __float2int_ru(x[i]);
    a[4 * i + 3] = __float2int_rd(x[i]);
    b[i] = __double2ll_rd(d[i]) + __double2ll_ru(d[i]);
    c[i] = __double2uint_rd(fabs(d[i]));
  }
}
