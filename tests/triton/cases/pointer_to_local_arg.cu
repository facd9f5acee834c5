// A device function that takes `&local` and only reads and writes `*p`: inlined onto the local
// itself (Triton has no addresses of per-thread values).
__device__ float step(unsigned int *state)
{
    *state = (*state * 1103515245u + 12345u) % 65536u;
    return (float)(*state) / 65536.0f;
}

__global__ void noise(const unsigned int *seeds, float *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned int s = seeds[i];
        float a = step(&s);
        out[i] = a + step(&s);
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'limit'])
def noise_kernel(seeds, out, n, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    s = tl.load(seeds + i, mask=active)
    step1_result = tl.zeros([ELEMS], tl.float32)
    s = (s * 1103515245 + 12345) % 65536
    step1_result = s.to(tl.float32) / 65536.0
    a = step1_result
    step2_result = tl.zeros([ELEMS], tl.float32)
    s = (s * 1103515245 + 12345) % 65536
    step2_result = s.to(tl.float32) / 65536.0
    tl.store(out + i, a + step2_result, mask=active)
*/
