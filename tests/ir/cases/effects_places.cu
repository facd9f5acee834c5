// Updates of array elements and members inside an expression: another member of the same variable
// is another object; `a = b = c` assigns b, then a the value b then holds.
__global__ void places(int* out, float* x, float* cx, int4* cuts, int k) {
  int4* cut = &cuts[threadIdx.x];
  out[cut->x++] = cut->y;
  int4 local = cuts[0];
  out[local.z--] = local.w;
  out[0] = local.z;
  x[k] = cx[threadIdx.x] = cx[threadIdx.x + 4];
  int change = out[threadIdx.x] = k;
  out[1] = change;
}
// Not allowed: the index reads the array being assigned, or the same member is read again.
__global__ void self_index(int* out, int* a) { out[0] = a[a[0]] = 7; }
__global__ void same_member(int* out, int4* cut) { out[cut->x] = cut->x++; }

/* EXPECT-IR
__global__ void places(int* out, float* x, float* cx, int4* cuts, int k) {
  int4* cut = &cuts[threadIdx.x];
  out[cut->x] = cut->y;
  cut->x += 1;
  int4 local = cuts[0];
  out[local.z] = local.w;
  local.z -= 1;
  out[0] = local.z;
  cx[threadIdx.x] = cx[threadIdx.x + (unsigned int)4];
  x[k] = cx[threadIdx.x];
  out[threadIdx.x] = k;
  int change = out[threadIdx.x];
  out[1] = change;
}

// FAILED self_index
effects_places.cu:14:57: error[CL006]: assignment inside an expression is not supported
    __global__ void self_index(int* out, int* a) { out[0] = a[a[0]] = 7; }
                                                            ^

// FAILED same_member
effects_places.cu:15:66: error[CL006]: ++ inside an expression is not supported
    __global__ void same_member(int* out, int4* cut) { out[cut->x] = cut->x++; }
                                                                     ^
*/
