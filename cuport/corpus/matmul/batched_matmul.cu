// Batched matrix multiply: C[b] = A[b] * B[b] for a batch of small matrices.
// Exercises: a 3-D grid whose z dimension is the batch index, pointer offsets per batch,
// and an 8x8 block (64 threads, two warps).
__global__ void batched_matmul(const float *A, const float *B, float *C, int M, int N, int K)
{
    int b = blockIdx.z;
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    int row = blockIdx.y * blockDim.y + threadIdx.y;
    if (row >= M || col >= N)
        return;
    const float *a = A + (size_t)b * M * K;
    const float *bm = B + (size_t)b * K * N;
    float acc = 0.0f;
    for (int k = 0; k < K; ++k)
        acc += a[row * K + k] * bm[k * N + col];
    C[(size_t)b * M * N + row * N + col] = acc;
}
