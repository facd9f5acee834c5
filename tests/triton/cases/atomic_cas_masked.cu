// atomicCAS: tl.atomic_cas has no mask, so lanes outside it offer `compare` back (no change) at
// an active lane's address (theirs may be past the end), and only while some lane is active.
__global__ void claim(int *slots, int *won, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        won[i] = atomicCAS(slots + i, 0, i + 1);
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'limit'])
def claim_kernel(slots, won, n, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    cas1 = tl.zeros([ELEMS], tl.int32)
    if _any(active):
        addr2 = slots + i + tl.zeros([ELEMS], tl.int32)
        addr2_bytes = addr2.to(tl.int64)
        addr2_live = tl.min(tl.where(active, addr2_bytes, 9223372036854775807), 0)
        addr2 = addr2 + tl.where(active, 0, (addr2_live - addr2_bytes) // 4)
        cas1 = tl.atomic_cas(addr2, tl.full([ELEMS], 0, tl.int32), tl.where(active, i + 1, tl.full([ELEMS], 0, tl.int32)).to(tl.int32), sem='relaxed')
    tl.store(won + i, cas1, mask=active)
*/
