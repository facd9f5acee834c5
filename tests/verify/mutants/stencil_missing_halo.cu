// mutant: corpus=stencil/stencil1d kernel=stencil1d_early_exit fault=skipped right halo (zeros at block edges)
#define RADIUS 3
#define BLOCK 128

__global__ void stencil1d_early_exit(const float *in, float *out, int n)
{
    const float w[2 * RADIUS + 1] = {0.05f, 0.1f, 0.2f, 0.3f, 0.2f, 0.1f, 0.05f};
    __shared__ float s[BLOCK + 2 * RADIUS];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    if (i >= n)
        return;
    int li = threadIdx.x + RADIUS;
    s[li] = in[i];
    if (threadIdx.x == 0) {
        for (int h = 0; h < RADIUS; ++h) {
            int left = i - RADIUS + h;
            s[h] = left >= 0 ? in[left] : 0.0f;
            s[RADIUS + BLOCK + h] = 0.0f;
        }
    }
    __syncthreads();
    float acc = 0.0f;
    for (int k = -RADIUS; k <= RADIUS; ++k) {
        int j = i + k;
        if (j >= 0 && j < n)
            acc += w[k + RADIUS] * s[li + k];
    }
    out[i] = acc;
}
