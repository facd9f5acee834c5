// A side effect in the right operand of && or ||, or in a branch of ?:, runs only when C++
// evaluates that operand: the operand becomes an `if` on a temporary.
__global__ void lazy(long* out, const long* list, int n) {
  long node, next;
  int index = 0;
  while (((node = list[index]) >> 32) != -1 && ((next = list[node >> 32]) >> 32) != -1) {
    out[index] = next;
    index++;
  }
  int k = 0;
  if (n < 0 || list[k++] > 0) out[0] = k;
  int x = (int)list[0];
  int rounded = list[1] < 5 ? x : x++;
  out[1] = rounded + x;
}
// Not allowed: `i` is read outside the operand that updates it.
__global__ void used_elsewhere(int* out, int i) { out[0] = i + (i > 0 ? i++ : 0); }

/* EXPECT-IR
__global__ void lazy(long long* out, const long long* list, int n) {
  long long node;
  long long next;
  int index = 0;
  for (;; ) {
    node = list[index];
    bool tmp_1 = node >> 32 != (long long)-1;
    if (tmp_1) {
      next = list[node >> 32];
      tmp_1 = next >> 32 != (long long)-1;
    }
    if (!tmp_1) {
      break;
    }
    {
      out[index] = next;
      index += 1;
    }
  }
  int k = 0;
  bool tmp_3 = n < 0;
  if (!tmp_3) {
    bool tmp_2 = list[k] > (long long)0;
    k += 1;
    tmp_3 = tmp_2;
  }
  if (tmp_3) {
    out[0] = (long long)k;
  }
  int x = (int)list[0];
  int tmp_5;
  if (list[1] < (long long)5) {
    tmp_5 = x;
  } else {
    int tmp_4 = x;
    x += 1;
    tmp_5 = tmp_4;
  }
  int rounded = tmp_5;
  out[1] = (long long)(rounded + x);
}

// FAILED used_elsewhere
effects_lazy_operands.cu:17:65: error[CL006]: an update of 'i' (also used outside its lazily evaluated operand) inside an expression is not supported
    __global__ void used_elsewhere(int* out, int i) { out[0] = i + (i > 0 ? i++ : 0); }
                                                                    ^
*/
