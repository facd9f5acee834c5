// A case that falls through runs the next case's statements too; a `break` before the end of a
// case leaves the switch; a `break` in a loop inside a case leaves the loop; a `continue` belongs
// to the enclosing loop; labels sharing default's statements need no test.
__device__ int next_code(int* p) { return atomicAdd(p, 1); }

__global__ void fallthrough(int* out, int code, int limit) {
  int row = 0, col = 0;
  switch (code) {
    case 64:
      row += 1;
      col -= 1;
    case 1:
      row -= 1;
      break;
    case 2:
      if (limit == 3) break;
      col += 2;
      break;
    case 4:
      for (int i = 0; i < limit; i++) {
        if (out[i] < 0) break;
        col += out[i];
      }
      break;
    case 8:
      if (limit > 0) {
        if (out[0] == 0) break;
        row = 8;
      }
      col = 8;
      break;
    case 5:
    default:
      row = -1;
  }
  out[0] = row;
  out[1] = col;
  for (int k = 0; k < limit; k++) {
    switch (next_code(out)) {
      case 0:
        continue;
      case 1:
        out[k] = 1;
    }
  }
}

// Not allowed: a case label that is not a constant.
__global__ void variable_label(int* out, int code, int n) {
  switch (code) {
    case 1:
      out[0] = 1;
      break;
    case n:
      out[0] = 2;
  }
}

/* EXPECT-IR
__device__ int next_code(int* p) {
  return atomicAdd(p, 1);
}

__global__ void fallthrough(int* out, int code, int limit) {
  int row = 0;
  int col = 0;
  bool tmp_1 = false;
  {
    if (code == 64) {
      {
        row += 1;
        col -= 1;
      }
      {
        row -= 1;
      }
    } else if (code == 1) {
      row -= 1;
    } else if (code == 2) {
      if (!(limit == 3)) {
        col += 2;
      }
    } else if (code == 4) {
      for (int i = 0; i < limit; i += 1) {
        if (out[i] < 0) {
          break;
        }
        col += out[i];
      }
    } else if (code == 8) {
      if (limit > 0) {
        if (out[0] == 0) {
          tmp_1 = true;
        }
        if (!tmp_1) {
          row = 8;
        }
      }
      if (!tmp_1) {
        col = 8;
      }
    } else {
      row = -1;
    }
  }
  out[0] = row;
  out[1] = col;
  for (int k = 0; k < limit; k += 1) {
    int tmp_2 = next_code(out);
    {
      if (tmp_2 == 0) {
        continue;
      } else if (tmp_2 == 1) {
        out[k] = 1;
      }
    }
  }
}

// FAILED variable_label
switch_fallthrough_breaks.cu:54:10: error[CL007]: 'n' is not an integer constant
        case n:
             ^
*/
