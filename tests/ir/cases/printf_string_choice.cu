// printf with a ?: of string literals (as a %s argument or as the format): an if over printf
// calls, the condition evaluated once; nested choices nest the ifs.
__device__ int node_id(int lit) { return lit >> 1; }

__global__ void show(const int* lits, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  printf("%s%d\t", (lits[i] & 1) ? "!" : "", node_id(lits[i]));
  printf(i == 0 ? "first %d\n" : "other %d\n", i);
  printf("%s\n", lits[i] > 0 ? "pos" : (lits[i] < 0 ? "neg" : "zero"));
}

// Refused: side effects in the arguments, and a result that is used.
__global__ void counted(const int* lits, int* out) {
  int k = 0;
  printf("%s%d\n", lits[0] ? "a" : "b", k++);
  out[0] = k;
}

__global__ void result_used(const int* lits, int* out) { out[0] = printf("%s", lits[1] ? "a" : "b"); }

/* EXPECT-IR
__device__ int node_id(int lit) {
  return lit >> 1;
}

__global__ void show(const int* lits, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i >= n) {
    return;
  }
  if ((bool)(lits[i] & 1)) {
    printf("!%d\t", node_id(lits[i]));
  } else {
    printf("%d\t", node_id(lits[i]));
  }
  if (i == 0) {
    printf("first %d\n", i);
  } else {
    printf("other %d\n", i);
  }
  if (lits[i] > 0) {
    printf("pos\n");
  } else if (lits[i] < 0) {
    printf("neg\n");
  } else {
    printf("zero\n");
  }
}

// FAILED counted
printf_string_choice.cu:16:3: error[CL001]: cannot lower printf with a ?: of strings: an argument has side effects
      printf("%s%d\n", lits[0] ? "a" : "b", k++);
      ^

// FAILED result_used
printf_string_choice.cu:20:67: error[CL001]: cannot lower printf with a ?: of strings: its result is used (only a printf statement is lowered)
    __global__ void result_used(const int* lits, int* out) { out[0] = printf("%s", lits[1] ? "a" : "b"); }
                                                                      ^
*/
