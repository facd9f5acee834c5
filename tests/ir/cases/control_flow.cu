// Early return, if/else chains, while, do-while, break and continue.
__global__ void flow(int* data, int n) {
  int i = threadIdx.x;
  if (i >= n) return;
  int x = data[i];
  if (x < 0) {
    x = -x;
  } else if (x == 0) {
    x = 1;
  } else {
    x *= 2;
  }
  while (x > 100) {
    x >>= 1;
    if (x == 50) break;
  }
  do {
    x++;
  } while (x % 3 != 0);
  for (int j = 0, k = 10; j < k; j++, k--) {
    if (j & 1) continue;
    x += j;
  }
  bool neg = !(x > 0);
  data[i] = neg ? 0 : x;
}

/* EXPECT-IR
__global__ void flow(int* data, int n) {
  int i = (int)threadIdx.x;
  if (i >= n) {
    return;
  }
  int x = data[i];
  if (x < 0) {
    x = -x;
  } else if (x == 0) {
    x = 1;
  } else {
    x *= 2;
  }
  while (x > 100) {
    x >>= 1;
    if (x == 50) {
      break;
    }
  }
  do {
    x += 1;
  } while (x % 3 != 0);
  for (int j = 0, k = 10; j < k; j += 1, k -= 1) {
    if ((bool)(j & 1)) {
      continue;
    }
    x += j;
  }
  bool neg = !(x > 0);
  data[i] = neg ? 0 : x;
}
*/
