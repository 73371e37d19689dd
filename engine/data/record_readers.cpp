// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/record_readers.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

namespace wb {

CsvReader::CsvReader(std::istream& in, char delimiter, std::string fileName)
    : m_owned(std::make_unique<ByteStream>(in)), m_in(*m_owned), m_delimiter(delimiter), m_file(std::move(fileName))
{
}

CsvReader::CsvReader(ByteStream& in, char delimiter, std::string fileName)
    : m_in(in), m_delimiter(delimiter), m_file(std::move(fileName))
{
}

int CsvReader::get()
{
    const int c = m_in.get();
    if (c == '\n')
        ++m_line;
    if (c != -1)
        ++m_offset;
    return c;
}

int CsvReader::peek()
{
    return m_in.peek();
}

bool CsvReader::next(std::vector<std::string>& fields)
{
    fields.clear();
    m_fieldOffsets.clear();
    if (peek() == -1)
        return false;
    m_recordLine = m_line;
    m_recordOffset = m_offset;
    m_fieldOffsets.push_back(m_offset);
    std::string field;
    bool quoted = false;      // inside a quoted field
    bool wasQuoted = false;   // the current field started with a quote
    std::size_t quoteLine = 0;
    for (;;) {
        const int c = get();
        if (c == -1) {
            if (quoted)
                throw InputError(m_file + ": line " + std::to_string(quoteLine)
                                 + ": quoted field is never closed (unterminated quote)");
            fields.push_back(std::move(field));
            return true;
        }
        if (quoted) {
            if (c == '"') {
                if (peek() == '"') {
                    get();
                    field.push_back('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push_back(static_cast<char>(c));
            }
            continue;
        }
        if (c == m_delimiter) {
            fields.push_back(std::move(field));
            field.clear();
            wasQuoted = false;
            m_fieldOffsets.push_back(m_offset);
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && peek() == '\n')
                get();
            fields.push_back(std::move(field));
            return true;
        } else if (c == '"') {
            if (!field.empty() || wasQuoted)
                throw InputError(m_file + ": line " + std::to_string(m_line)
                                 + ": a double quote inside an unquoted field (quote the whole field and double it)");
            quoted = wasQuoted = true;
            quoteLine = m_line;
            m_fieldOffsets.back() = m_offset; // the text starts after the quote
        } else {
            if (wasQuoted)
                throw InputError(m_file + ": line " + std::to_string(m_line)
                                 + ": text after the closing quote of a field");
            field.push_back(static_cast<char>(c));
        }
    }
}

JsonlReader::JsonlReader(std::istream& in, std::string fileName)
    : m_owned(std::make_unique<ByteStream>(in)), m_in(*m_owned), m_file(std::move(fileName))
{
}

JsonlReader::JsonlReader(ByteStream& in, std::string fileName) : m_in(in), m_file(std::move(fileName))
{
}

bool JsonlReader::next(Record& record, const std::string& textField, const std::string& labelField)
{
    std::uint64_t offset = 0;
    while (m_in.readLine(m_buffer, offset)) {
        ++m_line;
        if (parseLine(m_buffer, m_line, m_file, record, textField, labelField))
            return true;
    }
    return false;
}

bool JsonlReader::parseLine(const std::string& lineText, std::size_t lineNumber, const std::string& fileName,
                            Record& record, const std::string& textField, const std::string& labelField,
                            const std::string& targetField)
{
    std::string_view line = lineText;
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string::npos)
        return false;
    const std::string where = fileName + ": line " + std::to_string(lineNumber);
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(where + ": not valid JSON at byte " + std::to_string(e.byte) + " of the line");
    } catch (const nlohmann::json::exception& e) { // a number out of range, 1e999
        throw InputError(where + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object())
        throw InputError(where + ": expected a JSON object");
    const auto text = j.find(textField);
    if (text == j.end())
        throw InputError(where + ": no field '" + textField + "' (use --text-field to name the text field)");
    if (!text->is_string())
        throw InputError(where + ": field '" + textField + "' is not a string");
    record.text = text->get<std::string>();
    record.line = lineNumber;
    record.label.reset();
    if (!labelField.empty()) {
        const auto label = j.find(labelField);
        if (label == j.end() || label->is_null())
            throw InputError(where + ": no label field '" + labelField + "'");
        record.label = label->is_string() ? label->get<std::string>() : label->dump();
    }
    record.target.reset();
    if (!targetField.empty()) {
        const auto target = j.find(targetField);
        if (target == j.end())
            throw InputError(where + ": no field '" + targetField + "' (use --target-field to name the target field)");
        if (!target->is_string())
            throw InputError(where + ": field '" + targetField + "' is not a string");
        record.target = target->get<std::string>();
    }
    return true;
}

} // namespace wb
