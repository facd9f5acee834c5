// A loop whose trip count differs by thread runs while any lane is active; break as a mask.
__global__ void collatz_steps(int n, const int *start, int *steps)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int v = start[i];
    int k = 0;
    while (v != 1) {
        if (k >= 1000) break;
        v = (v % 2 == 0) ? v / 2 : 3 * v + 1;
        k++;
    }
    steps[i] = k;
}
/* TRITON
@triton.jit(do_not_specialize=['n'])
def collatz_steps_kernel(n, start, steps, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    i = tl.program_id(0) * BLOCK_X + tx
    m1 = active & (i >= n)
    active = active & ~m1  # return
    m1 = m1 & active
    v = tl.load(start + i, mask=active)
    k = tl.full([BLOCK], 0, tl.int32)
    loop2 = active & (v != 1)
    while _any(loop2):
        m3 = loop2 & (k >= 1000)
        loop2 = loop2 & ~m3  # break
        m3 = m3 & loop2
        v = tl.where(loop2, tl.where(v % 2 == 0, v // 2, 3 * v + 1), v)
        k = tl.where(loop2, k + 1, k)
        loop2 = loop2 & (v != 1)
    tl.store(steps + i, k, mask=active)
*/
