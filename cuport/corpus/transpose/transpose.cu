// Matrix transpose out[c][r] = in[r][c], naive and through a padded shared tile.
// Exercises: 2-D grids and 2-D blocks, a [32][33] tile padded against bank conflicts,
// a 32x8 block where each thread moves four elements, edges of non-multiple sizes.
__global__ void transpose_naive(const float *in, float *out, int rows, int cols)
{
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r < rows && c < cols)
        out[c * rows + r] = in[r * cols + c];
}

#define TILE 32
#define ROWS_PER_PASS 8

__global__ void transpose_tiled(const float *in, float *out, int rows, int cols)
{
    __shared__ float tile[TILE][TILE + 1];
    int c = blockIdx.x * TILE + threadIdx.x;
    int r0 = blockIdx.y * TILE + threadIdx.y;
    for (int k = 0; k < TILE; k += ROWS_PER_PASS)
        if (c < cols && r0 + k < rows)
            tile[threadIdx.y + k][threadIdx.x] = in[(r0 + k) * cols + c];
    __syncthreads();
    // Swap the block coordinates: this block writes the transposed tile.
    int oc = blockIdx.y * TILE + threadIdx.x;
    int or0 = blockIdx.x * TILE + threadIdx.y;
    for (int k = 0; k < TILE; k += ROWS_PER_PASS)
        if (oc < rows && or0 + k < cols)
            out[(or0 + k) * rows + oc] = tile[threadIdx.x][threadIdx.y + k];
}
