// C designated initializers of structs: each value to the field it names, an undesignated value to the
// next field, left-out scalar fields zero; nested and array designators are refused.
typedef struct { unsigned char r, g, b; } pixel;
__constant__ pixel BORDER = {.r = 0, .g = 1, .b = 2};
__global__ void k(pixel* out) {
  pixel p = {.r = 3, .g = 4, .b = 5};
  out[0] = BORDER;
  out[1] = p;
}
typedef struct { float x, y, z; int tag; } point;
__global__ void partial(point* out) {
  point q = {.y = 2.0f, 3.0f};
  out[0] = q;
}
typedef struct { point at; int n; } holder;
__global__ void nested(holder* out) {
  holder h = {.at.x = 1.0f};
  out[0] = h;
}

/* EXPECT-IR
typedef struct pixel {
  unsigned char r;
  unsigned char g;
  unsigned char b;
} pixel;

typedef struct point {
  float x;
  float y;
  float z;
  int tag;
} point;

__constant__ pixel BORDER = {(unsigned char)0, (unsigned char)1, (unsigned char)2};

__global__ void k(pixel* out) {
  pixel p = {(unsigned char)3, (unsigned char)4, (unsigned char)5};
  out[0] = BORDER;
  out[1] = p;
}

__global__ void partial(point* out) {
  point q = {(float)0, 2.0f, 3.0f, 0};
  out[0] = q;
}

// FAILED nested
designated_initializers.cu:17:15: error[CL001]: cannot lower a nested or array designator: not supported
      holder h = {.at.x = 1.0f};
                  ^
*/
