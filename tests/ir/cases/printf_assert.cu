// printf keeps its format; float and short arguments get C's default promotions. assert is a node.
__global__ void report(const float* x, short s, int n) {
  int i = threadIdx.x;
  assert(i < n);
  if (i == 0) printf("x[0]=%f s=%d n=%d\n", x[0], s, n);
  printf("tab\t\"quoted\" " "joined %s\n", "str");
}

/* EXPECT-IR
__global__ void report(const float* x, short s, int n) {
  int i = (int)threadIdx.x;
  assert(i < n);
  if (i == 0) {
    printf("x[0]=%f s=%d n=%d\n", (double)x[0], (int)s, n);
  }
  printf("tab\t\"quoted\" joined str\n");
}
*/
