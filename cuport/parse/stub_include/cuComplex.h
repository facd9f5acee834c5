/* cuport stub: unlike the other stubs, cuComplex.h's helpers are device functions the lowering must
 * see (CUDA defines them inline in the header), so this includes the CPU runtime's definitions. */
#include "../../verify/runtime/cuComplex.h"
