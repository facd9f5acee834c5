// half2 arithmetic, comparisons and lane shuffles are scalarised lane by lane; each lane is the
// scalar half operation (rounded to half like CUDA's; h2sqrt through float, correctly rounded).
#include <cuda_fp16.h>

__global__ void half2_lanes(const __half *a, const __half *b, __half *out, float *lo_hi, int n2)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n2) {
        __half2 x = reinterpret_cast<const __half2 *>(a)[i];
        __half2 y = reinterpret_cast<const __half2 *>(b)[i];
        const __half2 half_h2 = __float2half2_rn(0.5f);
        __half2 s = __hadd2(__hmul2(x, half_h2), __hmul2(y, y));
        __half2 m = __hmul2(__hgt2(x, y), __hsub2(x, y));
        __half2 p = __lowhigh2highlow(__hadd2(s, m));
        __half2 q = __lows2half2(p, __hadd2(__hneg2(m), h2sqrt(__habs2(x))));
        reinterpret_cast<__half2 *>(out)[2 * i] = q;
        reinterpret_cast<__half2 *>(out)[2 * i + 1] = __highs2half2(__hle2(x, y), __halves2half2(__low2half(s), __high2half(y)));
        lo_hi[2 * i] = __low2float(p) + (__hne(__low2half(x), __high2half(y)) ? 1.0f : 0.0f);
        lo_hi[2 * i + 1] = __high2float(__high2half2(q)) * (__heq(__low2half(x), __low2half(x)) ? 2.0f : 3.0f);
    }
}

// Bit casts keep the bits: `.to(dtype, bitcast=True)`; a literal gets its source type first.
__global__ void bit_casts(const float *x, const double *d, unsigned *bits, float *y, long long *dbits, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned u = __float_as_uint(x[i]);
        bits[i] = u ^ 0x80000000u;
        y[i] = __uint_as_float(u & 0x7fffffffu) + __int_as_float(0x3f800000) + __int_as_float(__float_as_int(x[i]) + 1);
        dbits[i] = __double_as_longlong(d[i]) >> 3;
        if (i == 0) {
            dbits[i] = __double_as_longlong(__longlong_as_double(dbits[i]) * 2.0);
        }
    }
}
