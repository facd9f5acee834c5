// Qualifiers spelled through macros defined in the same file. The grammar reads the macro as the
// return type; the inventory knows the macro and reports the function with `via macro`.
#define KERNEL __global__
#define HD __host__ __device__
#define NOT_A_QUALIFIER 42

KERNEL void hidden(int *p) {}
HD inline float f(float x) { return x; }
static KERNEL void __launch_bounds__(64) g(int *p) {}
#define INLINE_DEVICE inline __attribute__((always_inline)) __device__
INLINE_DEVICE float g2(float v) { return v; }

/* EXPECTED INVENTORY
   function global void hidden(int* p) @7:13 | definition | via macro KERNEL
   function host device float f(float x) @8:17 | specifiers inline | definition | via macro HD
   function global void g(int* p) @9:42 | specifiers static | definition | via macro KERNEL
   function device float g2(float v) @11:21 | definition | via macro INLINE_DEVICE
   problem unexpected 'void' @7:8
   problem unexpected 'float' @8:11
   problem unexpected 'void __launch_bounds__(64)' @9:15
   problem unexpected 'float' @11:15
*/
