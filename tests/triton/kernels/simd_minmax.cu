// SIMD video min/max: a 32-bit word as four bytes or two halves, each lane compared signed or
// unsigned as the spelling says.
__global__ void simd_minmax(const unsigned *a, const int *b, unsigned *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned x = a[i], y = (unsigned)b[i];
        out[8 * i + 0] = __vmaxs4(x, y);
        out[8 * i + 1] = __vmins4(x, y);
        out[8 * i + 2] = __vmaxu4(x, y);
        out[8 * i + 3] = __vminu4(x, y);
        out[8 * i + 4] = __vmaxs2(x, y);
        out[8 * i + 5] = __vmins2(x, y);
        out[8 * i + 6] = __vmaxu2(x, 0x80007fffu);
        out[8 * i + 7] = __vminu2(b[i], 0);
    }
}
