// Double-precision matrix-vector product y = alpha * A x + beta * y, one thread per row.
// Exercises: double pointers and double scalars, a per-thread loop over a row, in/out y.
__global__ void gemv_double(const double *A, const double *x, double *y, double alpha, double beta,
                            int rows, int cols)
{
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows)
        return;
    double acc = 0.0;
    for (int c = 0; c < cols; ++c)
        acc += A[(size_t)r * cols + c] * x[c];
    y[r] = alpha * acc + beta * y[r];
}
