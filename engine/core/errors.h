// SPDX-License-Identifier: GPL-3.0-or-later
// Typed engine errors: InputError is something the user can fix (it names the
// file, line, byte offset or spec field); RuntimeError is everything else.
// The CLI maps them to exit codes 2 and 1; the GUI shows the message.
#pragma once

#include <stdexcept>
#include <string>

namespace wb {

class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class RuntimeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The catalog's database refused an operation. what() is in the user's terms
// (names the file, says what to do); detail() is the SQL statement, for the
// log and for developers.
class CatalogError : public RuntimeError {
public:
    CatalogError(const std::string& message, std::string detail) : RuntimeError(message), m_detail(std::move(detail)) {}
    const std::string& detail() const { return m_detail; }

private:
    std::string m_detail;
};

// The machine ran out of something a run needs (memory, disk space): the run
// ends like a diverged one, with its last good checkpoint kept.
class ResourceError : public RuntimeError {
public:
    using RuntimeError::RuntimeError;
};

// Raised when a job notices its stop flag in a place where it cannot keep
// partial work (for example a corpus import): the caller rolls back.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

} // namespace wb
