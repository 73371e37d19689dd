// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalog/sqlite.h"

#include "core/errors.h"

#include <sqlite3.h>

namespace wb::sql {

namespace {

// SQLite's error in the user's terms, naming the catalog file; the SQL that
// failed goes into the error's detail (printed with LMWB_DEBUG=1), not into
// the sentence the user reads.
[[noreturn]] void fail(sqlite3* db, std::string_view context, const char* message = nullptr)
{
    if (!db)
        throw CatalogError("catalog: out of memory", std::string(context));
    const char* name = sqlite3_db_filename(db, "main");
    const std::string file = name && *name ? std::string(name) : std::string("(in memory)");
    const int code = sqlite3_extended_errcode(db);
    const std::string sqliteText = message ? message : sqlite3_errmsg(db);
    std::string msg;
    switch (code & 0xff) {
    case SQLITE_READONLY:
        msg = "cannot write to the catalog " + file + " (the file or its folder is read-only); copy the catalog to a "
              "writable folder and give that copy with --catalog";
        break;
    case SQLITE_FULL:
        msg = "the disk holding the catalog " + file + " is full; nothing was written";
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        msg = "the catalog " + file + " is held by another LM Workbench process for more than 10 s; try again when it is done";
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        msg = "the catalog " + file + " is damaged (" + sqliteText + "); `lmwb check` tells more";
        break;
    case SQLITE_IOERR:
        msg = "reading or writing the catalog " + file + " failed (" + sqliteText + "); the disk may be failing or gone";
        break;
    case SQLITE_CONSTRAINT:
        msg = "the catalog " + file + " refused a change that would break its rules (" + sqliteText + ")";
        break;
    default:
        msg = "catalog " + file + ": " + sqliteText;
    }
    throw CatalogError(msg, std::string(context.substr(0, 400)));
}
} // namespace

Connection::Connection(const std::filesystem::path& file, bool create) : m_file(file)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(file.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open catalog " + file.string() + ": "
                          + (m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc));
        sqlite3_close(m_db);
        m_db = nullptr;
        throw InputError(msg);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 10000);
    exec("PRAGMA foreign_keys=ON");
}

Connection::~Connection()
{
    sqlite3_close_v2(m_db);
}

void Connection::exec(std::string_view sqlText)
{
    char* err = nullptr;
    const std::string owned(sqlText);
    if (sqlite3_exec(m_db, owned.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string text = err ? err : "error";
        sqlite3_free(err);
        fail(m_db, owned, text.c_str());
    }
}

Statement Connection::prepare(std::string_view sqlText)
{
    return Statement(m_db, sqlText);
}

std::int64_t Connection::pragmaInt(const char* name)
{
    Statement st(m_db, std::string("PRAGMA ") + name);
    return st.step() ? st.int64(0) : 0;
}

std::int64_t Connection::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Connection::changes() const
{
    return sqlite3_changes(m_db);
}

Statement::Statement(sqlite3* db, std::string_view sqlText) : m_db(db)
{
    if (sqlite3_prepare_v2(db, sqlText.data(), static_cast<int>(sqlText.size()), &m_stmt, nullptr) != SQLITE_OK)
        fail(db, sqlText);
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        fail(m_db, sqlite3_sql(m_stmt));
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK)
        fail(m_db, sqlite3_sql(m_stmt));
    return *this;
}

Statement& Statement::bind(int index, std::string_view value)
{
    if (sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        fail(m_db, sqlite3_sql(m_stmt));
    return *this;
}

Statement& Statement::bindNull(int index)
{
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK)
        fail(m_db, sqlite3_sql(m_stmt));
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string sqlText = sqlite3_sql(m_stmt);
    sqlite3_reset(m_stmt);
    fail(m_db, sqlText);
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

std::int64_t Statement::int64(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}

double Statement::real(int col) const
{
    return sqlite3_column_double(m_stmt, col);
}

std::string Statement::text(int col) const
{
    const auto* p = sqlite3_column_text(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
             : std::string();
}

std::optional<double> Statement::optDouble(int col) const
{
    if (isNull(col))
        return std::nullopt;
    return real(col);
}

std::optional<std::int64_t> Statement::optInt64(int col) const
{
    if (isNull(col))
        return std::nullopt;
    return int64(col);
}

std::optional<std::string> Statement::optText(int col) const
{
    if (isNull(col))
        return std::nullopt;
    return text(col);
}

Transaction::Transaction(Connection& db) : m_db(db)
{
    // Inside an open transaction, nest with a savepoint.
    m_nested = sqlite3_get_autocommit(m_db.handle()) == 0;
    m_db.exec(m_nested ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done) {
        try {
            m_db.exec(m_nested ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK");
        } catch (...) { // a failed rollback leaves SQLite's own recovery to do the work
        }
    }
}

void Transaction::commit()
{
    m_db.exec(m_nested ? "RELEASE nested" : "COMMIT");
    m_done = true;
}

} // namespace wb::sql
