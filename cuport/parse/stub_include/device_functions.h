/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_DEVICE_FUNCTIONS_H
#define CUPORT_STUB_DEVICE_FUNCTIONS_H
#endif
