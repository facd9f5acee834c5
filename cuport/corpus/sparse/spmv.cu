// Sparse matrix-vector products y = A x in three formats.
// spmv_ell: ELLPACK, a fixed number of slots per row stored column-major, column -1 = empty slot.
// spmv_coo_atomic: coordinate format, one thread per nonzero, rows combined with float atomicAdd.
// spmv_csr_vector: CSR with a group of 8 lanes per row and __shfl_down_sync(..., 8) to combine.
// Exercises: indirect (gathered) loads, padding slots, float atomics on random rows, and warp
// shuffles with width 8 (four rows per warp, lane math with & 7).
__global__ void spmv_ell(const int *cols, const float *vals, const float *x, float *y, int rows,
                         int slots, int ncols)
{
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows)
        return;
    float acc = 0.0f;
    for (int s = 0; s < slots; ++s) {
        int c = cols[s * rows + r];
        if (c >= 0 && c < ncols)
            acc += vals[s * rows + r] * x[c];
    }
    y[r] = acc;
}

__global__ void spmv_coo_atomic(const int *row_idx, const int *col_idx, const float *vals,
                                const float *x, float *y, int nnz)
{
    int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < nnz)
        atomicAdd(&y[row_idx[k]], vals[k] * x[col_idx[k]]);
}

#define LANES_PER_ROW 8

__global__ void spmv_csr_vector(const int *row_ptr, const int *col_idx, const float *vals,
                                const float *x, float *y, int rows)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    int row = t / LANES_PER_ROW;
    int lane = threadIdx.x & (LANES_PER_ROW - 1);
    float acc = 0.0f;
    if (row < rows)  // no early return: every lane of the warp must reach the shuffles
        for (int k = row_ptr[row] + lane; k < row_ptr[row + 1]; k += LANES_PER_ROW)
            acc += vals[k] * x[col_idx[k]];
    for (int off = LANES_PER_ROW / 2; off > 0; off >>= 1)
        acc += __shfl_down_sync(0xffffffff, acc, off, LANES_PER_ROW);
    if (row < rows && lane == 0)
        y[row] = acc;
}
