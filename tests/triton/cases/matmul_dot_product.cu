// One CUDA thread per element of C, a dot product over K each, in a 3-D grid whose z picks the
// matrices of a batch: triton.idiom.matmul makes it one tl.dot tile program (32 x 32 tiles of C,
// whatever the CUDA block; row_limit/col_limit keep to the elements the CUDA threads compute).
__global__ void bmm(const float *P, const float *Q, float *R, int rows, int cols, int inner)
{
    int z = blockIdx.z;
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r >= rows || c >= cols)
        return;
    const float *p = P + (size_t)z * rows * inner;
    const float *q = Q + (size_t)z * inner * cols;
    float sum = 0.0f;
    for (int k = 0; k < inner; ++k)
        sum += p[r * inner + k] * q[k * cols + c];
    R[(size_t)z * rows * cols + r * cols + c] = sum;
}
/* TRITON
@triton.jit(do_not_specialize=['rows', 'cols', 'inner', 'row_limit', 'col_limit'])
def bmm_kernel(P, Q, R, rows, cols, inner, row_limit, col_limit, TILE: tl.constexpr):
    # matrix multiply (one CUDA thread per element of R, each one dot product over inner): this
    # program computes one TILE x TILE tile of R, one tl.dot per step of TILE along inner (fp32,
    # no TF32); row_limit x col_limit are the elements that the CUDA threads which exist compute
    batch = tl.program_id(2).to(tl.int64)  # blockIdx.z: the matrices of this batch
    P += batch * rows * inner
    Q += batch * inner * cols
    R += batch * rows * cols
    rows_ = tl.program_id(1) * TILE + tl.arange(0, TILE)
    cols_ = tl.program_id(0) * TILE + tl.arange(0, TILE)
    acc = tl.zeros([TILE, TILE], tl.float32)
    for k0 in range(0, inner, TILE):
        ks = k0 + tl.arange(0, TILE)
        a = tl.load(P + rows_[:, None] * inner + ks[None, :], mask=(rows_[:, None] < row_limit) & (ks[None, :] < inner), other=0.0)
        b = tl.load(Q + ks[:, None] * cols + cols_[None, :], mask=(ks[:, None] < inner) & (cols_[None, :] < col_limit), other=0.0)
        acc = tl.dot(a, b, acc, input_precision="ieee")
    tl.store(R + rows_[:, None] * cols + cols_[None, :], acc, mask=(rows_[:, None] < row_limit) & (cols_[None, :] < col_limit))
*/
