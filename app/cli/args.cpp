// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/args.h"

#include "core/errors.h"
#include "settings/settings.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace wb::cli {

namespace {
const std::set<std::string> kGlobal = {"--catalog", "--json", "--help"};
}

Args::Args(int argc, char** argv, const std::set<std::string>& flags)
{
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") {
            for (++i; i < argc; ++i)
                m_positional.push_back(argv[i]);
            break;
        }
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string name = a, val;
            const auto eq = a.find('=');
            if (eq != std::string::npos) {
                name = a.substr(0, eq);
                val = a.substr(eq + 1);
            } else if (!flags.count(name)) {
                if (i + 1 >= argc) {
                    // Given last without a value: an unknown option is
                    // reported as unknown (allowOnly), a known one as
                    // needing a value when it is read.
                    m_missingValue = name;
                    m_options.emplace(name, val);
                    continue;
                }
                val = argv[++i];
            }
            m_options.emplace(name, val);
        } else if (a == "-h") {
            m_options.emplace("--help", "");
        } else {
            m_positional.push_back(a);
        }
    }
}

bool Args::has(const std::string& name) const
{
    return m_options.count(name) > 0;
}

std::optional<std::string> Args::value(const std::string& name) const
{
    auto it = m_options.find(name);
    if (it == m_options.end())
        return std::nullopt;
    if (name == m_missingValue)
        throw InputError("option " + name + " needs a value");
    if (m_options.count(name) > 1)
        throw InputError("option " + name + " was given more than once");
    return it->second;
}

std::vector<std::string> Args::values(const std::string& name) const
{
    std::vector<std::string> out;
    auto [b, e] = m_options.equal_range(name);
    for (auto it = b; it != e; ++it)
        out.push_back(it->second);
    return out;
}

void Args::allowOnly(const std::string& command, const std::set<std::string>& allowed) const
{
    for (const auto& [name, v] : m_options)
        if (!allowed.count(name) && !kGlobal.count(name))
            throw InputError("unknown option " + name + " for 'lmwb " + command + "' (see lmwb --help)");
    if (!m_missingValue.empty() && m_missingValue != "--json" && m_missingValue != "--help")
        throw InputError("option " + m_missingValue + " needs a value");
}

std::string Args::require(const std::string& name, const std::string& command) const
{
    auto v = value(name);
    if (!v || v->empty())
        throw InputError("'lmwb " + command + "' needs " + name);
    return *v;
}

long long Args::integer(const std::string& name, long long def, long long lo, long long hi) const
{
    auto v = value(name);
    if (!v)
        return def;
    errno = 0;
    char* end = nullptr;
    const long long x = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || errno == ERANGE)
        throw InputError(name + " expects an integer, got '" + *v + "'");
    if (x < lo || x > hi)
        throw InputError(name + " must be between " + formatNumber(static_cast<double>(lo)) + " and "
                         + formatNumber(static_cast<double>(hi)) + ", got " + *v);
    return x;
}

double Args::number(const std::string& name, double def, double lo, double hi) const
{
    auto v = value(name);
    if (!v)
        return def;
    errno = 0;
    char* end = nullptr;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0' || errno == ERANGE || !std::isfinite(x))
        throw InputError(name + " expects a number, got '" + *v + "'");
    if (x < lo || x > hi)
        throw InputError(name + " must be between " + formatNumber(static_cast<double>(lo)) + " and "
                         + formatNumber(static_cast<double>(hi)) + ", got " + *v);
    return x;
}

} // namespace wb::cli
