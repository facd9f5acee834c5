// 3-D seven-point stencil: interior cells get c0 * centre + c1 * (sum of six neighbours),
// boundary cells are copied.
// Exercises: a 3-D grid and a 3-D block (8x8x4), blockIdx.z/threadIdx.z, strides of a
// nx*ny plane computed in size_t, float scalar coefficients.
__global__ void stencil3d_7pt(const float *in, float *out, int nx, int ny, int nz, float c0, float c1)
{
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    int z = blockIdx.z * blockDim.z + threadIdx.z;
    if (x >= nx || y >= ny || z >= nz)
        return;
    size_t plane = (size_t)nx * ny;
    size_t idx = z * plane + (size_t)y * nx + x;
    if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1) {
        out[idx] = in[idx];
        return;
    }
    float nb = in[idx - 1] + in[idx + 1] + in[idx - nx] + in[idx + nx] + in[idx - plane] + in[idx + plane];
    out[idx] = c0 * in[idx] + c1 * nb;
}
