#pragma once
// The library version, shared by the core, the command line and the C ABI.
#define SCOREKIT_VERSION_MAJOR 0
#define SCOREKIT_VERSION_MINOR 1
#define SCOREKIT_VERSION_PATCH 0
#define SCOREKIT_VERSION_STRING "0.1.0"
