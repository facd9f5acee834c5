// mutant: corpus=transpose/transpose kernel=transpose_tiled fault=wrong index (tile read untransposed)
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
    int oc = blockIdx.y * TILE + threadIdx.x;
    int or0 = blockIdx.x * TILE + threadIdx.y;
    for (int k = 0; k < TILE; k += ROWS_PER_PASS)
        if (oc < rows && or0 + k < cols)
            out[(or0 + k) * rows + oc] = tile[threadIdx.y + k][threadIdx.x];
}
