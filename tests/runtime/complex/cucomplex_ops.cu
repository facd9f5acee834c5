// Complex helpers of <cuComplex.h> on float2/double2: the CPU runtime's header and the lowering
// of the same kernel (tests/runtime/test_cucomplex.py).
#include <cuComplex.h>

__global__ void complex_ops(const float* re, const float* im, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i + 1 >= n) return;
  cuFloatComplex a = make_cuFloatComplex(re[i], im[i]);
  cuFloatComplex b = make_cuFloatComplex(re[i + 1], im[i + 1]);
  cuFloatComplex q = cuCdivf(a, b);
  cuFloatComplex p = cuCmulf(cuConjf(a), b);
  out[4 * i] = cuCrealf(q);
  out[4 * i + 1] = cuCimagf(q);
  out[4 * i + 2] = cuCabsf(a);
  out[4 * i + 3] = cuCrealf(cuCsubf(p, cuCaddf(a, b)));
}

__global__ void complex_abs_double(const double* re, const double* im, double* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  cuDoubleComplex z = make_cuDoubleComplex(re[i], im[i]);
  out[i] = cuCabs(z) + cuCreal(cuCdiv(z, cuConj(z)));
}
