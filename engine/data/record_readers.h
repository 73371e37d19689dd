// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming readers for record formats: CSV/TSV after RFC 4180 and JSON
// Lines. They read from a stream a buffer at a time and report problems
// with the file and line, so a bad row in a large file can be found.
#pragma once

#include "data/byte_stream.h"

#include <cstddef>
#include <memory>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace wb {

// RFC 4180: fields separated by `delimiter`, records by CRLF or LF; a field
// in double quotes may hold delimiters, line breaks and doubled quotes ("").
class CsvReader {
public:
    CsvReader(std::istream& in, char delimiter, std::string fileName);
    CsvReader(ByteStream& in, char delimiter, std::string fileName);

    // Reads the next record into `fields`; false at the end of the input.
    // InputError for an unterminated quote or a quote inside a bare field.
    bool next(std::vector<std::string>& fields);
    // Line (1-based) and byte offset at which the record last returned started.
    std::size_t recordLine() const { return m_recordLine; }
    std::size_t recordOffset() const { return m_recordOffset; }
    // Byte offset in the file of each field of the record last returned.
    const std::vector<std::size_t>& fieldOffsets() const { return m_fieldOffsets; }

private:
    int get();
    int peek();

    std::unique_ptr<ByteStream> m_owned;
    ByteStream& m_in;
    std::vector<std::size_t> m_fieldOffsets;
    char m_delimiter;
    std::string m_file;
    std::size_t m_line = 1;
    std::size_t m_recordLine = 1;
    std::size_t m_offset = 0;
    std::size_t m_recordOffset = 0;
};

// One JSON object per line; blank lines are skipped.
class JsonlReader {
public:
    JsonlReader(std::istream& in, std::string fileName);
    JsonlReader(ByteStream& in, std::string fileName);

    struct Record {
        std::string text;
        std::optional<std::string> label;
        std::optional<std::string> target; // with a target field: its string
        std::size_t line = 0;
    };

    // The next record's `textField` (a string) and, when `labelField` is not
    // empty, its label (a string, or a number or boolean written as JSON).
    // InputError naming file, line and field for a malformed line, a missing
    // or non-string text field, or a missing label.
    bool next(Record& record, const std::string& textField, const std::string& labelField);

    // Parses one line (false for a blank one); the same errors as next().
    // With `targetField`, that field (a string) too.
    static bool parseLine(const std::string& line, std::size_t lineNumber, const std::string& fileName,
                          Record& record, const std::string& textField, const std::string& labelField,
                          const std::string& targetField = {});

private:
    std::unique_ptr<ByteStream> m_owned;
    ByteStream& m_in;
    std::string m_file;
    std::size_t m_line = 0;
    std::string m_buffer;
};

} // namespace wb
