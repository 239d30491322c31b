#pragma once
// The message of any exception as a user should read it. LibTorch's c10::Error::what() carries
// "Exception raised from … frame #0 …", a C++ backtrace that means nothing to a caller of the
// command line, the C API or the bindings; what_without_backtrace() (LibTorch 1.13 and 2.x) is the
// text alone.
#include <exception>
#include <string>

namespace scorekit {

std::string error_text(const std::exception& e);

}  // namespace scorekit
