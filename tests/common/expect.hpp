#pragma once
// Assertions shared by the C++ suites.
#include <gtest/gtest.h>

#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>

#include "util/error.hpp"

namespace sk_test {

// Expects `body` to throw scorekit::Error whose message contains every fragment.
template <class F>
void expect_error(F&& body, std::initializer_list<const char*> fragments) {
  try {
    body();
    ADD_FAILURE() << "no error thrown";
  } catch (const scorekit::Error& e) {
    for (const char* f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what() << " lacks " << f;
  }
}

// The message of the exception `body` throws ("" when it throws none).
template <class F>
std::string error_of(F&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// The bytes of a file ("" when it cannot be read).
inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace sk_test
