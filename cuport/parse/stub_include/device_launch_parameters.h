/* cuport stub: resolves the include; see README.md. */
#ifndef CUPORT_STUB_DEVICE_LAUNCH_PARAMETERS_H
#define CUPORT_STUB_DEVICE_LAUNCH_PARAMETERS_H
#endif
