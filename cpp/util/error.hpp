#pragma once
#include <stdexcept>
#include <string>

namespace scorekit {

// Every error the core raises: the message says what is wrong and, where it helps, what is accepted.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Raised when a progress callback asks to stop; callers treat it as a clean cancellation.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled by the progress callback") {}
};

// A file could not be opened, read, written, flushed or renamed (the OS said no).
class IoError : public Error {
 public:
  using Error::Error;
};

// A checkpoint file is damaged, foreign, too new, or disagrees with the spec it carries.
class CheckpointError : public Error {
 public:
  using Error::Error;
};

}  // namespace scorekit
