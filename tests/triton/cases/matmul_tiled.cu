// triton.idiom.matmul: the shared-memory tiled multiply (two 32x32 tiles, zero padding at the
// edges) -> one program per output tile, one tl.dot (fp32, input_precision="ieee") per K step.
#define T 32
__global__ void mm(const float *P, const float *Q, float *R, int rows, int cols, int inner)
{
    __shared__ float Ps[T][T];
    __shared__ float Qs[T][T];
    int x = threadIdx.x, y = threadIdx.y;
    int r = blockIdx.y * T + y;
    int c = blockIdx.x * T + x;
    float sum = 0.0f;
    for (int kk = 0; kk < inner; kk += T) {
        Ps[y][x] = (r < rows && kk + x < inner) ? P[r * inner + kk + x] : 0.0f;
        Qs[y][x] = (kk + y < inner && c < cols) ? Q[(kk + y) * cols + c] : 0.0f;
        __syncthreads();
        for (int k = 0; k < T; ++k)
            sum += Ps[y][k] * Qs[k][x];
        __syncthreads();
    }
    if (r < rows && c < cols)
        R[r * cols + c] = sum;
}
/* TRITON
@triton.jit(do_not_specialize=['rows', 'cols', 'inner'])
def mm_kernel(P, Q, R, rows, cols, inner, TILE: tl.constexpr):
    # tiled matrix multiply: this program computes the TILE x TILE tile of R that the CUDA
    # block computes, one tl.dot per step of TILE along inner (fp32, no TF32)
    rows_ = tl.program_id(1) * TILE + tl.arange(0, TILE)
    cols_ = tl.program_id(0) * TILE + tl.arange(0, TILE)
    acc = tl.zeros([TILE, TILE], tl.float32)
    for k0 in range(0, inner, TILE):
        ks = k0 + tl.arange(0, TILE)
        a = tl.load(P + rows_[:, None] * inner + ks[None, :], mask=(rows_[:, None] < rows) & (ks[None, :] < inner), other=0.0)
        b = tl.load(Q + ks[:, None] * cols + cols_[None, :], mask=(ks[:, None] < inner) & (cols_[None, :] < cols), other=0.0)
        acc = tl.dot(a, b, acc, input_precision="ieee")
    tl.store(R + rows_[:, None] * cols + cols_[None, :], acc, mask=(rows_[:, None] < rows) & (cols_[None, :] < cols))
*/
