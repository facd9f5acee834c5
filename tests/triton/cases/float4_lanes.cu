// float4 values are scalarised: a load of one float4 is four loads of its lanes, make_float4 a
// store per lane, v.x the local v_x; float* read through reinterpret_cast<float4*> is the same
// pointer (lanes at 4 * i + j).
__global__ void swizzle4(const float *a, float4 *out, int n4)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n4) {
        float4 v = reinterpret_cast<const float4 *>(a)[i];
        v.x += 1.0f;
        out[i] = make_float4(v.w, v.z, v.y, v.x);
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n4', 'limit'])
def swizzle4_kernel(a, out, n4, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    v_x = tl.load(a + i * 4, mask=active)
    v_y = tl.load(a + i * 4 + 1, mask=active)
    v_z = tl.load(a + i * 4 + 2, mask=active)
    v_w = tl.load(a + i * 4 + 3, mask=active)
    v_x = v_x + 1.0
    tl.store(out + i * 4, v_w, mask=active)
    tl.store(out + i * 4 + 1, v_z, mask=active)
    tl.store(out + i * 4 + 2, v_y, mask=active)
    tl.store(out + i * 4 + 3, v_x, mask=active)
*/
