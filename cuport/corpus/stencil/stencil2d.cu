// 2-D stencils on a row-major nx-by-ny grid.
// jacobi5: one Jacobi sweep (average of the four neighbours), boundary cells copied unchanged.
// laplace2d_tiled: 5-point Laplacian through an 18x18 shared tile with clamp-to-edge borders.
// Exercises: 2-D grids and blocks, a halo loaded cooperatively by a flattened thread index,
// index clamping with min/max, and grid sizes that leave partial blocks on both axes.
__global__ void jacobi5(const float *in, float *out, int nx, int ny)
{
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= nx || y >= ny)
        return;
    int idx = y * nx + x;
    if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
        out[idx] = in[idx];
        return;
    }
    out[idx] = 0.25f * (in[idx - 1] + in[idx + 1] + in[idx - nx] + in[idx + nx]);
}

#define BX 16
#define BY 16

__global__ void laplace2d_tiled(const float *in, float *out, int nx, int ny)
{
    __shared__ float tile[BY + 2][BX + 2];
    int x0 = blockIdx.x * BX - 1;
    int y0 = blockIdx.y * BY - 1;
    int t = threadIdx.y * BX + threadIdx.x;
    for (int k = t; k < (BX + 2) * (BY + 2); k += BX * BY) {
        int ty = k / (BX + 2), tx = k % (BX + 2);
        int gx = min(max(x0 + tx, 0), nx - 1);
        int gy = min(max(y0 + ty, 0), ny - 1);
        tile[ty][tx] = in[gy * nx + gx];
    }
    __syncthreads();
    int x = blockIdx.x * BX + threadIdx.x;
    int y = blockIdx.y * BY + threadIdx.y;
    if (x < nx && y < ny) {
        int lx = threadIdx.x + 1, ly = threadIdx.y + 1;
        out[y * nx + x] = 4.0f * tile[ly][lx] - tile[ly][lx - 1] - tile[ly][lx + 1]
                          - tile[ly - 1][lx] - tile[ly + 1][lx];
    }
}
