// Kernels reading __constant__ symbols filled by the host (cudaMemcpyToSymbol).
// poly_eval: a degree-7 polynomial by Horner's rule with coefficients in constant memory.
// conv1d_const: a 9-tap convolution with clamp-to-edge borders plus a scalar constant bias.
// Exercises: __constant__ arrays and a __constant__ scalar, uniform reads of constant memory
// from every thread, #pragma unroll over a constant-sized loop.
#define DEGREE 7
#define TAPS 9

__constant__ float poly_coeffs[DEGREE + 1];
__constant__ float conv_taps[TAPS];
__constant__ float conv_bias;

__global__ void poly_eval(const float *x, float *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    float v = x[i];
    float acc = poly_coeffs[DEGREE];
#pragma unroll
    for (int k = DEGREE - 1; k >= 0; --k)
        acc = acc * v + poly_coeffs[k];
    y[i] = acc;
}

__global__ void conv1d_const(const float *x, float *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    float acc = conv_bias;
#pragma unroll
    for (int t = 0; t < TAPS; ++t) {
        int j = min(max(i + t - TAPS / 2, 0), n - 1);
        acc += conv_taps[t] * x[j];
    }
    y[i] = acc;
}
