// C++'s alternative tokens for operators: and, or, not, bitand, bitor, xor, compl, not_eq.
__global__ void alt(int* out, bool done, int a, int b) {
  if (not done or a == b) out[0] = 1;
  if (a > 0 and b > 0) out[1] = (a bitand b) bitor (a xor b);
  out[2] = compl a;
  out[3] = a not_eq b;
}

/* EXPECT-IR
__global__ void alt(int* out, bool done, int a, int b) {
  if (!done || a == b) {
    out[0] = 1;
  }
  if (a > 0 && b > 0) {
    out[1] = a & b | a ^ b;
  }
  out[2] = ~a;
  out[3] = (int)(a != b);
}
*/
