// SPDX-License-Identifier: GPL-3.0-or-later
// A thin RAII layer over the SQLite C API: a connection, prepared statements
// with typed binding, and a transaction guard. Every call is checked; a
// failure throws RuntimeError with SQLite's message and the SQL involved.
#pragma once

#include "core/enums.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace wb::sql {

class Statement;

class Connection {
public:
    // Opens (creating if `create`) the file with a busy timeout, foreign keys
    // on. WAL is switched on by the catalog after it has checked the file.
    Connection(const std::filesystem::path& file, bool create);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(std::string_view sqlText);        // one or more statements, no results
    Statement prepare(std::string_view sqlText);
    std::int64_t pragmaInt(const char* name);   // PRAGMA name, first column
    std::int64_t lastInsertId() const;
    int changes() const;
    sqlite3* handle() const { return m_db; }
    const std::filesystem::path& file() const { return m_file; }

private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_file;
};

class Statement {
public:
    Statement(sqlite3* db, std::string_view sqlText);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    // Bind by 1-based index; chainable.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, RunStatus value) { return bind(index, enumName(value)); }
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    bool step();          // true while a row is available
    void run();           // step to completion, expecting no rows
    void reset();         // ready for new bindings

    bool isNull(int col) const;
    std::int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::optional<std::int64_t> optInt64(int col) const;
    std::optional<double> optDouble(int col) const;
    std::optional<std::string> optText(int col) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

// Begins IMMEDIATE (takes the write lock up front, so a busy database waits
// on the busy timeout instead of failing at the first write), or a savepoint
// when a transaction is already open; rolls back on destruction unless
// commit() was called.
class Transaction {
public:
    explicit Transaction(Connection& db);
    ~Transaction();
    void commit();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

private:
    Connection& m_db;
    bool m_nested = false;
    bool m_done = false;
};

} // namespace wb::sql
