// triton.idiom.scan: the __shfl_up_sync ladder with a `lane >= offset` guard -> one tl.cumsum
// per warp (full ladder) and a windowed sum (a ladder that stops at offset 2).
__global__ void scans(const float *in, float *full, float *window, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x % 32;
    float v = i < n ? in[i] : 0.0f;
    float w = v;
    for (int d = 1; d < 32; d *= 2) {
        float up = __shfl_up_sync(0xffffffff, v, d);
        if (lane >= d)
            v += up;
    }
    for (int d = 1; d < 4; d <<= 1) {
        float up = __shfl_up_sync(0xffffffff, w, d);
        if (lane >= d)
            w += up;
    }
    if (i < n) {
        full[i] = v;
        window[i] = w;
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n'])
def scans_kernel(in_v, full, window, n, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    i = tl.program_id(0) * BLOCK_X + tx
    lane = (tx % 32).to(tl.int32)
    m1 = active & (i < n)
    v = tl.where(i < n, tl.load(in_v + i, mask=m1), 0.0)
    w = v
    # warp scan (shuffle-up ladder over offsets 1..16) as one tl.cumsum: inclusive scan per warp
    v = _warp_window_sum(v, 32, BLOCK)
    # warp scan (shuffle-up ladder over offsets 1..2) as one tl.cumsum: sum of the last 4 lanes per warp
    w = _warp_window_sum(w, 4, BLOCK)
    m2 = active & (i < n)
    tl.store(full + i, v, mask=m2)
    tl.store(window + i, w, mask=m2)
*/
