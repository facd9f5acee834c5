/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_VECTOR_TYPES_H
#define CUPORT_STUB_VECTOR_TYPES_H
#endif
