// mutant: corpus=constant/constant_memory kernel=poly_eval fault=off-by-one loop (constant term dropped)
#define DEGREE 7

__constant__ float poly_coeffs[DEGREE + 1];

__global__ void poly_eval(const float *x, float *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    float v = x[i];
    float acc = poly_coeffs[DEGREE];
    for (int k = DEGREE - 1; k > 0; --k)
        acc = acc * v + poly_coeffs[k];
    y[i] = acc;
}
