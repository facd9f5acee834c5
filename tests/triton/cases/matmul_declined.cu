// Not the tiled pattern: the tiles are 8x8 (tl.dot needs at least 16), so triton.idiom.matmul
// declines and the general lowering runs with shared memory in the scratch buffer.
#define T 8
__global__ void mm8(const float *P, const float *Q, float *R, int rows, int cols, int inner)
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
@triton.jit(do_not_specialize=['rows', 'cols', 'inner', 'scratch_stride'])
def mm8_kernel(P, Q, R, rows, cols, inner, scratch, scratch_stride, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    ty = tid // BLOCK_X % BLOCK_Y
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    program = tl.program_id(0) + tl.num_programs(0) * (tl.program_id(1) + tl.num_programs(1) * tl.program_id(2))
    smem = scratch + program.to(tl.int64) * scratch_stride  # this block's shared memory
    Ps = (smem + 0).to(tl.pointer_type(tl.float32))
    Qs = (smem + 256).to(tl.pointer_type(tl.float32))
    x = tx
    y = ty
    r = (tl.program_id(1) * 8 + y.to(tl.uint32)).to(tl.int32)
    c = (tl.program_id(0) * 8 + x.to(tl.uint32)).to(tl.int32)
    sum = tl.full([BLOCK], 0.0, tl.float32)
    for kk in range(0, inner, 8):
        m1 = active & (r < rows) & (kk + x < inner)
        tl.store(Ps + y * 8 + x, tl.where((r < rows) & (kk + x < inner), tl.load(P + (r * inner + kk + x), mask=m1), 0.0), mask=active)
        m2 = active & (kk + y < inner) & (c < cols)
        tl.store(Qs + y * 8 + x, tl.where((kk + y < inner) & (c < cols), tl.load(Q + ((kk + y) * cols + c), mask=m2), 0.0), mask=active)
        tl.debug_barrier()
        for k in range(0, 8):
            sum = sum + tl.load(Ps + y * 8 + k, mask=active) * tl.load(Qs + k * 8 + x, mask=active)
        tl.debug_barrier()
    m3 = active & (r < rows) & (c < cols)
    tl.store(R + (r * cols + c), sum, mask=m3)
*/
