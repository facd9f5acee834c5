// Written for cuport's LLM tests: a kernel small enough that every cheat is easy to write.
__global__ void triple(int n, const int* x, int* y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = 3 * x[i];
    }
}
